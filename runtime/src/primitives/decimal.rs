//! Decimal digits written straight into a string, for the values every
//! request carries (the SigV4 date, the attempt header, a host's port):
//! `format!` costs more than the rest of the work around them.

/// Appends `value` in decimal, without padding.
pub(crate) fn push_decimal(out: &mut String, value: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    let mut rest = value;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

/// How many digits [`push_decimal`] writes for `value`.
pub(crate) fn decimal_len(value: u32) -> usize {
    value.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// Appends the last `width` decimal digits of `value`, zero-padded.
pub(crate) fn push_padded(out: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        out.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_digits_as_display_writes_them() {
        for value in [0, 7, 10, 99, 443, 65_535, 1_000_000, u32::MAX] {
            let mut out = String::from("=");
            push_decimal(&mut out, value);
            assert_eq!(out, format!("={value}"));
            assert_eq!(decimal_len(value), out.len() - 1, "{value}");
        }
    }

    #[test]
    fn padded_digits_keep_the_last_width_digits() {
        for (value, width, expected) in [(5, 2, "05"), (2024, 4, "2024"), (12, 4, "0012"), (123, 2, "23"), (9, 0, "")] {
            let mut out = String::new();
            push_padded(&mut out, value, width);
            assert_eq!(out, expected, "{value} in {width}");
        }
    }
}
