//! The `regionRegex` of a partition: the small part of regular-expression
//! syntax that partition files use, matched without a regex engine.
//!
//! A pattern is anchored at both ends (`^...$`) and is a sequence of:
//! literal letters, digits, `-` and `_`; a backslash before ASCII
//! punctuation for that character (`\-`); the classes `\w` (ASCII letters,
//! digits, `_`) and `\d` (ASCII digits), each optionally followed by `+`;
//! and groups of literal alternatives such as `(us|eu|ap)`. Anything else is
//! an error when the partitions file is read, so a new construct in a future
//! copy of the file fails the partition tests rather than matching wrongly.

use std::fmt;

/// A parsed `regionRegex`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RegionPattern {
    source: String,
    items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    Literal(u8),
    Class {
        class: Class,
        repeated: bool,
    },
    /// One of these literal strings.
    Alternatives(Vec<Vec<u8>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// `\w`: ASCII letters, digits and `_`.
    Word,
    /// `\d`: ASCII digits.
    Digit,
}

impl Class {
    fn contains(self, byte: u8) -> bool {
        match self {
            Class::Word => byte.is_ascii_alphanumeric() || byte == b'_',
            Class::Digit => byte.is_ascii_digit(),
        }
    }
}

impl RegionPattern {
    /// Reads `pattern`; the error names the first construct not supported.
    pub(crate) fn parse(pattern: &str) -> Result<RegionPattern, String> {
        let bytes = pattern.as_bytes();
        let body = match (bytes.first(), bytes.last()) {
            (Some(b'^'), Some(b'$'))
                if bytes.len() >= 2 && !ends_escaped(&bytes[..bytes.len() - 1]) =>
            {
                &bytes[1..bytes.len() - 1]
            }
            _ => return Err("the pattern must start with `^` and end with `$`".to_owned()),
        };
        let mut items = Vec::new();
        // Offsets in errors count from the start of the whole pattern.
        let mut pos = 0;
        while pos < body.len() {
            let offset = pos + 1;
            match body[pos] {
                b'(' => {
                    let (alternatives, used) = alternatives(&body[pos..], offset)?;
                    items.push(Item::Alternatives(alternatives));
                    pos += used;
                }
                b'+' => match items.last_mut() {
                    Some(Item::Class { repeated, .. }) if !*repeated => {
                        *repeated = true;
                        pos += 1;
                    }
                    _ => {
                        return Err(format!(
                            "`+` at offset {offset} does not follow `\\w` or `\\d`"
                        ))
                    }
                },
                b'\\' if matches!(body.get(pos + 1), Some(b'w' | b'd')) => {
                    let class = if body[pos + 1] == b'w' {
                        Class::Word
                    } else {
                        Class::Digit
                    };
                    items.push(Item::Class {
                        class,
                        repeated: false,
                    });
                    pos += 2;
                }
                _ => {
                    let (byte, used) = literal(&body[pos..], offset)?;
                    items.push(Item::Literal(byte));
                    pos += used;
                }
            }
        }
        Ok(RegionPattern {
            source: pattern.to_owned(),
            items,
        })
    }

    /// Whether the whole of `region` matches.
    pub(crate) fn is_match(&self, region: &str) -> bool {
        matches(&self.items, region.as_bytes())
    }
}

impl fmt::Debug for RegionPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionPattern({:?})", self.source)
    }
}

/// Whether `bytes` ends in an odd number of backslashes (so a following
/// character would be escaped).
fn ends_escaped(bytes: &[u8]) -> bool {
    bytes.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// One literal character at the start of `text`: a letter, digit, `-` or
/// `_`, or a backslash and ASCII punctuation. Returns it and the bytes used.
fn literal(text: &[u8], offset: usize) -> Result<(u8, usize), String> {
    match text {
        [b, ..] if b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_' => Ok((*b, 1)),
        [b'\\', b, ..] if b.is_ascii_punctuation() => Ok((*b, 2)),
        [b'\\', ..] => Err(format!(
            "the escape at offset {offset} is not supported (only `\\w`, `\\d` and escaped punctuation)"
        )),
        [b, ..] => Err(format!(
            "{} at offset {offset} is not supported in a region pattern",
            show(*b)
        )),
        [] => Err(format!("the pattern ends early at offset {offset}")),
    }
}

/// A group `(a|b|...)` at the start of `text` of literal alternatives.
/// Returns them and the bytes used, the parentheses included.
fn alternatives(text: &[u8], offset: usize) -> Result<(Vec<Vec<u8>>, usize), String> {
    let mut alternatives = vec![Vec::new()];
    let mut pos = 1;
    loop {
        match text.get(pos) {
            None => return Err(format!("the group at offset {offset} is not closed")),
            Some(b')') => break,
            Some(b'|') => {
                alternatives.push(Vec::new());
                pos += 1;
            }
            Some(_) => {
                let (byte, used) = literal(&text[pos..], offset + pos)?;
                if let Some(current) = alternatives.last_mut() {
                    current.push(byte);
                }
                pos += used;
            }
        }
    }
    if alternatives.iter().any(Vec::is_empty) {
        return Err(format!(
            "the group at offset {offset} has an empty alternative"
        ));
    }
    Ok((alternatives, pos + 1))
}

fn show(byte: u8) -> String {
    if byte.is_ascii_graphic() {
        format!("{:?}", char::from(byte))
    } else {
        format!("byte 0x{byte:02x}")
    }
}

/// Whether `items` match all of `text`, trying each length a `+` class or
/// alternative could take (backtracking; region names are short).
fn matches(items: &[Item], text: &[u8]) -> bool {
    let Some((item, rest)) = items.split_first() else {
        return text.is_empty();
    };
    match item {
        Item::Literal(byte) => text.first() == Some(byte) && matches(rest, &text[1..]),
        Item::Class {
            class,
            repeated: false,
        } => text.first().is_some_and(|&b| class.contains(b)) && matches(rest, &text[1..]),
        Item::Class {
            class,
            repeated: true,
        } => {
            let longest = text.iter().take_while(|&&b| class.contains(b)).count();
            (1..=longest).rev().any(|len| matches(rest, &text[len..]))
        }
        Item::Alternatives(choices) => choices
            .iter()
            .any(|choice| text.starts_with(choice) && matches(rest, &text[choice.len()..])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> RegionPattern {
        RegionPattern::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn the_shapes_partition_files_use() {
        let aws = pattern(r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$");
        for region in ["us-east-1", "eu-central-2", "mx-central-1", "ap-south_x-10"] {
            assert!(aws.is_match(region), "{region}");
        }
        for region in [
            "us-east",
            "us-east-",
            "us--1",
            "cn-north-1",
            "us-east-1a",
            "xus-east-1",
            "us-east-1-",
            "US-EAST-1",
            "us-ëast-1",
            "",
        ] {
            assert!(!aws.is_match(region), "{region}");
        }
        let gov = pattern(r"^us\-gov\-\w+\-\d+$");
        assert!(gov.is_match("us-gov-west-1"));
        assert!(!gov.is_match("us-west-1"));
        // `\w` takes no `-`, so `us-iso-east-1` is not an isob region.
        let isob = pattern(r"^us\-isob\-\w+\-\d+$");
        assert!(isob.is_match("us-isob-east-1"));
        assert!(!isob.is_match("us-iso-east-1"));
        let eusc = pattern(r"^eusc\-(de)\-\w+\-\d+$");
        assert!(eusc.is_match("eusc-de-east-1"));
        assert!(!eusc.is_match("eusc-fr-east-1"));
    }

    #[test]
    fn a_repeated_class_gives_back_what_the_rest_needs() {
        // `\w+` first takes `ab1`, then gives back the `1` for `\d`.
        let p = pattern(r"^\w+\d$");
        assert!(p.is_match("ab1"));
        assert!(!p.is_match("1"));
        let p = pattern(r"^(a|ab)c$");
        assert!(p.is_match("abc") && p.is_match("ac"));
        assert!(!p.is_match("abbc"));
        let p = pattern(r"^x_\d$");
        assert!(p.is_match("x_7") && !p.is_match("x_77"));
    }

    #[test]
    fn unsupported_syntax_is_an_error_naming_it() {
        let cases = [
            ("(", "must start with `^` and end with `$`"),
            ("us-east-1", "must start with `^`"),
            (r"^us\$", "must start with `^` and end with `$`"),
            ("^", "must start with `^`"),
            ("^$", ""),
            ("^us.*$", "'.' at offset 3 is not supported"),
            ("^a?$", "'?' at offset 2"),
            ("^[a-z]+$", "'[' at offset 1"),
            (r"^\s$", "the escape at offset 1 is not supported"),
            ("^+$", "`+` at offset 1 does not follow"),
            (r"^\d++$", "`+` at offset 4 does not follow"),
            ("^a+$", "`+` at offset 2 does not follow"),
            ("^(us|eu$", "the group at offset 1 is not closed"),
            ("^(us||eu)$", "empty alternative"),
            ("^(us|e.)$", "'.' at offset 6"),
            ("^a b$", "byte 0x20 at offset 2"),
        ];
        for (text, reason) in cases {
            match RegionPattern::parse(text) {
                Ok(p) if reason.is_empty() => {
                    assert!(p.is_match("") && !p.is_match("a"), "{text}");
                }
                Ok(p) => panic!("{text:?} parsed as {p:?}"),
                Err(e) => assert!(e.contains(reason), "{text:?}: {e}"),
            }
        }
    }

    #[test]
    fn long_input_is_answered() {
        let p = pattern(r"^(us|eu)\-\w+\-\d+$");
        let long = format!("us-{}-1x", "a".repeat(10_000));
        assert!(!p.is_match(&long));
        let long = format!("us-{}-1", "a".repeat(10_000));
        assert!(p.is_match(&long));
    }
}
