//! Random (version 4) UUIDs for invocation ids and `@idempotencyToken`
//! values.
//!
//! Both only need to be unique, not unguessable, so the 122 random bits come
//! from `fastrand` (a per-thread generator seeded from the clock and the
//! thread id), as the official AWS SDKs do, rather than from the operating
//! system's entropy source.

/// A fresh random UUID in its 36-character lowercase form, e.g.
/// `9f1c2b7e-03d4-4a6f-9e21-5c8d7b0a4f13`.
pub(crate) fn v4() -> String {
    format_v4(fastrand::u128(..))
}

/// Writes `bits` as a version 4, RFC 4122 variant UUID: the version nibble
/// (bits 76..80) becomes `4` and the two top bits of the clock sequence
/// (bits 62..64) become `10`; the other 122 bits are kept.
fn format_v4(bits: u128) -> String {
    const VERSION_MASK: u128 = 0xf << 76;
    const VARIANT_MASK: u128 = 0b11 << 62;
    let bits = (bits & !VERSION_MASK & !VARIANT_MASK) | (0x4 << 76) | (0b10 << 62);
    let bytes = bits.to_be_bytes();
    let mut out = String::with_capacity(36);
    // 8-4-4-4-12 hex digits: byte groups of 4, 2, 2, 2 and 6.
    for (i, group) in [0..4, 4..6, 6..8, 8..10, 10..16].into_iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        crate::primitives::hex::push_lower_hex(&mut out, &bytes[group]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_and_variant_bits_are_set_and_the_rest_kept() {
        assert_eq!(format_v4(0), "00000000-0000-4000-8000-000000000000");
        assert_eq!(format_v4(u128::MAX), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(
            format_v4(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
            "01234567-89ab-4def-8123-456789abcdef"
        );
    }

    #[test]
    fn random_ids_are_well_formed_and_differ() {
        let ids: Vec<String> = (0..64).map(|_| v4()).collect();
        for id in &ids {
            let parsed = ::uuid::Uuid::parse_str(id).expect("a UUID");
            assert_eq!(parsed.get_version_num(), 4, "{id}");
            assert_eq!(parsed.get_variant(), ::uuid::Variant::RFC4122, "{id}");
            // 8-4-4-4-12 lowercase hex, as the parser would write it.
            assert_eq!(parsed.hyphenated().to_string(), *id);
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
    }
}
