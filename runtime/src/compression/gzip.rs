//! The gzip container (RFC 1952) around a raw DEFLATE stream from
//! `miniz_oxide`: a fixed 10-byte header, the compressed data, then the
//! CRC-32 and the length of the original data.

/// Compression level 6, the zlib and gzip default: the usual balance of
/// speed and size.
const LEVEL: u8 = 6;

/// Magic bytes, method 8 (deflate), no flags, no modification time, no
/// extra flags, OS 255 (unknown): the same bytes for every body, so a
/// request is reproducible.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// `data` as a gzip member.
pub(crate) fn compress(data: &[u8]) -> Vec<u8> {
    let deflated = miniz_oxide::deflate::compress_to_vec(data, LEVEL);
    let mut out = Vec::with_capacity(HEADER.len() + deflated.len() + 8);
    out.extend_from_slice(&HEADER);
    out.extend_from_slice(&deflated);
    // CRC-32 (IEEE 802.3, reflected), the one event-stream frames use too.
    out.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    // ISIZE is the length modulo 2^32 (RFC 1952 §2.3.1).
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// `data` decompressed by an independent decoder (flate2's, which checks
/// the header, the CRC-32 and the length); panics if it is not gzip.
#[cfg(test)]
pub(crate) fn gunzip(data: &[u8]) -> Vec<u8> {
    use std::io::Read;

    let mut out = Vec::new();
    let read = flate2::read::GzDecoder::new(data).read_to_end(&mut out);
    assert!(read.is_ok(), "not a valid gzip member: {read:?}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_check_value() {
        // The CRC catalogue's check value for CRC-32/ISO-HDLC, gzip's CRC.
        assert_eq!(crc32fast::hash(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32fast::hash(b""), 0);
    }

    #[test]
    fn an_independent_decoder_reads_it_back() {
        for data in [
            Vec::new(),
            b"a".to_vec(),
            b"{\"data\":\"hello\"}".repeat(1000),
            (0..=255u8).cycle().take(70_000).collect::<Vec<u8>>(),
        ] {
            let gz = compress(&data);
            assert_eq!(&gz[..3], &[0x1f, 0x8b, 8]);
            assert_eq!(gunzip(&gz), data);
        }
    }

    #[test]
    fn repetitive_text_shrinks_and_output_is_reproducible() {
        let data = b"{\"message\":\"the same words again\"}".repeat(500);
        let gz = compress(&data);
        assert!(gz.len() * 10 < data.len(), "{} of {}", gz.len(), data.len());
        assert_eq!(gz, compress(&data));
    }
}
