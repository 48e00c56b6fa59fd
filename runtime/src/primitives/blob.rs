//! Smithy `blob` values and the base64 text that carries them in JSON bodies
//! and headers.

use std::fmt;

/// The standard base64 alphabet (RFC 4648 section 4): symbol `i` stands for
/// the six bits `i`.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

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
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        // Up to three bytes as 24 bits, zero-filled on the right.
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |bits, (i, &b)| bits | u32::from(b) << (16 - 8 * i));
        // n bytes need n + 1 symbols; `=` fills the group to four.
        for i in 0..4 {
            if i <= chunk.len() {
                let sextet = (bits >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(ALPHABET[sextet as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard, padded base64 (RFC 4648 section 4).
///
/// The input must be canonical: whitespace, the URL-safe alphabet, missing
/// padding and non-zero trailing bits are all rejected.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    decode(text.as_bytes()).map_err(|reason| Base64Error { reason })
}

fn decode(text: &[u8]) -> Result<Vec<u8>, String> {
    let padding = text.iter().rev().take_while(|&&b| b == b'=').count();
    let symbols = &text[..text.len() - padding];
    let mut out = Vec::with_capacity(symbols.len() / 4 * 3 + 2);
    let mut bits = 0u32;
    let mut pending = 0;
    for (offset, &symbol) in symbols.iter().enumerate() {
        let sextet = sextet(symbol).ok_or_else(|| {
            format!(
                "{} at offset {offset} is not in the standard base64 alphabet",
                show_byte(symbol)
            )
        })?;
        bits = bits << 6 | u32::from(sextet);
        pending += 1;
        if pending == 4 {
            out.extend_from_slice(&bits.to_be_bytes()[1..]);
            bits = 0;
            pending = 0;
        }
    }
    // The last group has 0, 2 or 3 symbols (0, 1 or 2 bytes) and as many
    // `=` as make it four; the bits past its last byte must be zero.
    let (spare_bits, bytes) = match pending {
        0 => (0, 0),
        2 => (4, 1),
        3 => (2, 2),
        _ => {
            return Err(format!(
                "{} symbols cannot be whole base64 (a padded length is a multiple of 4)",
                symbols.len()
            ))
        }
    };
    if padding != (4 - pending) % 4 {
        return Err("the `=` padding is missing or misplaced".to_owned());
    }
    if bits & ((1 << spare_bits) - 1) != 0 {
        let offset = symbols.len() - 1;
        return Err(format!(
            "the last symbol {} at offset {offset} has bits set past the end of the data",
            show_byte(symbols[offset])
        ));
    }
    let data = bits >> spare_bits;
    out.extend_from_slice(&data.to_be_bytes()[4 - bytes..]);
    Ok(out)
}

/// The six bits a base64 symbol stands for.
fn sextet(symbol: u8) -> Option<u8> {
    match symbol {
        b'A'..=b'Z' => Some(symbol - b'A'),
        b'a'..=b'z' => Some(symbol - b'a' + 26),
        b'0'..=b'9' => Some(symbol - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
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
        assert_eq!(base64_encode(&[0xfb, 0xff, 0xbf]), "+/+/");
        assert_eq!(base64_decode("+/+/"), Ok(vec![0xfb, 0xff, 0xbf]));
    }

    /// Our codec against the `base64` crate's standard engine (a
    /// dev-dependency): the same text for random bytes, and the same
    /// accept/reject decision (and bytes) for random near-base64 text.
    #[test]
    fn agrees_with_an_independent_implementation() {
        use ::base64::engine::general_purpose::STANDARD;
        use ::base64::Engine as _;

        let mut rng = fastrand::Rng::with_seed(0x6261_7365_3634);
        for _ in 0..2_000 {
            let len = rng.usize(0..40);
            let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
            let text = base64_encode(&bytes);
            assert_eq!(text, STANDARD.encode(&bytes));
            assert_eq!(base64_decode(&text).as_deref(), Ok(&bytes[..]));
        }
        const SYMBOLS: &[u8] = b"AZaz09+/=QgwB-_ \n";
        for _ in 0..20_000 {
            let len = rng.usize(0..14);
            let text: String = (0..len)
                .map(|_| char::from(SYMBOLS[rng.usize(..SYMBOLS.len())]))
                .collect();
            assert_eq!(
                base64_decode(&text).ok(),
                STANDARD.decode(&text).ok(),
                "{text:?}"
            );
        }
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
            ("Zm9v\n", "byte 0x0a at offset 4"),
            ("Zg===", "padding"),
            ("Zm8", "padding"),
            ("=", "padding"),
            ("Zm8==", "padding"),
            ("Zm9=", "bits set past the end"),
            ("Zm9vZ===", "5 symbols cannot be whole base64"),
            ("Zm9v\u{e9}", "byte 0xc3 at offset 4"),
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
