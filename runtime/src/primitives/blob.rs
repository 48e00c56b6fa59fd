//! Smithy `blob` values and the base64 text that carries them in JSON bodies
//! and headers.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// Opaque binary data (a Smithy `blob`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Blob {
    inner: Vec<u8>,
}

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob {
            inner: bytes.into(),
        }
    }

    /// The bytes, unwrapped.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob { inner: bytes }
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob {
            inner: bytes.to_vec(),
        }
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.inner
    }
}

/// Standard base64 (RFC 4648 section 4 alphabet, with `=` padding), as Smithy
/// protocols write blobs.
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes standard, padded base64 (RFC 4648 section 4).
///
/// The input must be canonical: whitespace, the URL-safe alphabet, missing
/// padding and non-zero trailing bits are all rejected.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    STANDARD.decode(text).map_err(|source| Base64Error {
        reason: describe(&source),
    })
}

fn describe(error: &base64::DecodeError) -> String {
    match error {
        base64::DecodeError::InvalidByte(offset, byte) => {
            format!(
                "{} at offset {offset} is not in the standard base64 alphabet",
                show_byte(*byte)
            )
        }
        base64::DecodeError::InvalidLength(len) => {
            format!("{len} symbols cannot be whole base64 (a padded length is a multiple of 4)")
        }
        base64::DecodeError::InvalidLastSymbol { offset, symbol, .. } => format!(
            "the last symbol {} at offset {offset} has bits set past the end of the data",
            show_byte(*symbol)
        ),
        base64::DecodeError::InvalidPadding => "the `=` padding is missing or misplaced".to_owned(),
    }
}

fn show_byte(byte: u8) -> String {
    if byte.is_ascii_graphic() {
        format!("{:?}", char::from(byte))
    } else {
        format!("byte 0x{byte:02x}")
    }
}

/// Text that [`base64_decode`] rejected, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base64Error {
    reason: String,
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid base64: {}", self.reason)
    }
}

impl std::error::Error for Base64Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_conversions() {
        let blob = Blob::new(b"hi".to_vec());
        assert_eq!(blob.as_ref(), b"hi");
        assert_eq!(Blob::from(&b"hi"[..]), blob);
        assert_eq!(Blob::from(vec![b'h', b'i']), blob);
        assert_eq!(blob.clone().into_inner(), b"hi".to_vec());
        assert_eq!(Vec::from(blob), b"hi".to_vec());
        assert_eq!(Blob::default().as_ref(), b"");
    }

    #[test]
    fn base64_round_trips_rfc4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64_encode(plain.as_bytes()), encoded);
            assert_eq!(base64_decode(encoded).as_deref(), Ok(plain.as_bytes()));
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(base64_decode(&base64_encode(&all)), Ok(all));
    }

    #[test]
    fn base64_rejects_bad_input_with_reasons() {
        let cases = [
            ("Zm9v!", "'!' at offset 4"),
            ("Zm9-", "'-' at offset 3"),
            ("Zg", "padding"),
            ("Zm9vY", "symbols cannot be whole base64"),
            ("Zh==", "bits set past the end"),
            ("Zg=a", "'=' at offset 2"),
            ("Zm 9v", "byte 0x20 at offset 2"),
        ];
        for (input, reason) in cases {
            let message = match base64_decode(input) {
                Ok(bytes) => panic!("{input:?} decoded to {bytes:?}"),
                Err(e) => e.to_string(),
            };
            assert!(message.contains(reason), "{input:?}: {message}");
        }
    }
}
