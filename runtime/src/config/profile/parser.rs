//! Line-level parser for the shared `config` and `credentials` files.
//!
//! This turns text into raw sections (the text between the brackets, plus its
//! properties) and knows nothing of what a section means; [`super`] decides
//! which sections are profiles.
//!
//! The accepted syntax is documented on the public [`profile`](super)
//! module. Errors carry the 1-based line number and never quote the line.

use std::fmt;

/// One `[...]` section and the properties under it, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawSection {
    /// The trimmed text between the brackets.
    pub(crate) header: String,
    /// 1-based line of the header.
    pub(crate) line: usize,
    pub(crate) properties: Vec<RawProperty>,
}

/// One `name = value` property with any continuation lines folded in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawProperty {
    pub(crate) name: String,
    pub(crate) value: String,
    /// Sub-properties, when the value was empty and continuation lines followed.
    pub(crate) sub_properties: Vec<(String, String)>,
    /// 1-based line of the `name = value` line.
    pub(crate) line: usize,
    /// Leading whitespace width of the `name = value` line.
    indent: usize,
}

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// 1-based line number.
    pub(crate) line: usize,
    pub(crate) message: &'static str,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Parses a whole file. Stops at the first malformed line.
pub(crate) fn parse(text: &str) -> Result<Vec<RawSection>, SyntaxError> {
    let mut sections: Vec<RawSection> = Vec::new();
    // Strip a UTF-8 byte-order mark, which some Windows editors write.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        let trimmed = raw_line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let err = |message| SyntaxError {
            line: line_no,
            message,
        };
        let indent = raw_line.len() - raw_line.trim_start().len();

        // A continuation of the previous property in the current section?
        if indent > 0 {
            let previous = sections
                .last_mut()
                .and_then(|section| section.properties.last_mut())
                .filter(|property| indent > property.indent);
            if let Some(property) = previous {
                continue_property(property, trimmed).map_err(err)?;
                continue;
            }
        }

        if trimmed.starts_with('[') {
            let header = parse_section_header(trimmed).map_err(err)?;
            sections.push(RawSection {
                header: header.to_owned(),
                line: line_no,
                properties: Vec::new(),
            });
            continue;
        }

        let section = sections
            .last_mut()
            .ok_or_else(|| err("property defined before any `[section]` header"))?;
        let (name, value) = split_property(trimmed).map_err(err)?;
        section.properties.push(RawProperty {
            name: name.to_owned(),
            value: strip_inline_comment(value).to_owned(),
            sub_properties: Vec::new(),
            line: line_no,
            indent,
        });
    }
    Ok(sections)
}

fn parse_section_header(trimmed: &str) -> Result<&str, &'static str> {
    let inner_and_rest = &trimmed[1..];
    let close = inner_and_rest
        .find(']')
        .ok_or("section header is missing its closing `]`")?;
    let inner = inner_and_rest[..close].trim();
    let rest = inner_and_rest[close + 1..].trim_start();
    if !(rest.is_empty() || rest.starts_with('#') || rest.starts_with(';')) {
        return Err("unexpected text after the section header's closing `]`");
    }
    if inner.is_empty() {
        return Err("section header has an empty name");
    }
    Ok(inner)
}

fn split_property(trimmed: &str) -> Result<(&str, &str), &'static str> {
    let (name, value) = trimmed
        .split_once('=')
        .ok_or("expected `name = value` but found no `=`")?;
    let name = name.trim();
    if name.is_empty() {
        return Err("property has an empty name before `=`");
    }
    Ok((name, value.trim()))
}

/// Cuts a trailing comment: `#` or `;` preceded by whitespace.
fn strip_inline_comment(value: &str) -> &str {
    let mut previous_blank = false;
    for (i, c) in value.char_indices() {
        if previous_blank && (c == '#' || c == ';') {
            return value[..i].trim_end();
        }
        previous_blank = c.is_whitespace();
    }
    value
}

fn continue_property(property: &mut RawProperty, trimmed: &str) -> Result<(), &'static str> {
    let starts_block = property.value.is_empty() && property.sub_properties.is_empty();
    if starts_block || !property.sub_properties.is_empty() {
        let (name, value) = split_property(trimmed)
            .map_err(|_| "expected an indented `name = value` sub-property but found no `=`")?;
        property
            .sub_properties
            .push((name.to_owned(), value.to_owned()));
    }
    property.value.push('\n');
    property.value.push_str(trimmed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(section: &RawSection) -> Vec<(&str, &str)> {
        section
            .properties
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect()
    }

    #[test]
    fn sections_properties_comments_and_blank_lines() {
        let text = "\
# leading comment
; another comment

[default] # trailing comment
aws_access_key_id = AKID   # inline comment
aws_secret_access_key=SECRET;not-a-comment
  ; indented comment line
[ profile  dev ]
region = us-west-2 ; comment
";
        let sections = parse(text).unwrap();
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].header, "default");
        assert_eq!(sections[0].line, 4);
        assert_eq!(
            props(&sections[0]),
            [
                ("aws_access_key_id", "AKID"),
                ("aws_secret_access_key", "SECRET;not-a-comment")
            ]
        );
        assert_eq!(sections[1].header, "profile  dev");
        assert_eq!(props(&sections[1]), [("region", "us-west-2")]);
        assert_eq!(sections[1].properties[0].line, 9);
    }

    #[test]
    fn continuation_lines_append_to_value() {
        let text = "[default]\nkey = first\n  second\n\tthird # kept\nnext = x\n";
        let sections = parse(text).unwrap();
        assert_eq!(
            props(&sections[0]),
            [("key", "first\nsecond\nthird # kept"), ("next", "x")]
        );
        assert!(sections[0].properties[0].sub_properties.is_empty());
    }

    #[test]
    fn empty_value_with_continuations_gives_sub_properties() {
        let text = "[profile p]\ns3 =\n  max_concurrent_requests = 10\n  addressing_style=path\nregion = eu-west-1\n";
        let sections = parse(text).unwrap();
        let s3 = &sections[0].properties[0];
        assert_eq!(s3.name, "s3");
        assert_eq!(
            s3.sub_properties,
            [
                ("max_concurrent_requests".to_owned(), "10".to_owned()),
                ("addressing_style".to_owned(), "path".to_owned())
            ]
        );
        assert_eq!(sections[0].properties[1].name, "region");
    }

    #[test]
    fn uniformly_indented_properties_are_separate() {
        let text = "[default]\n  a = 1\n  b = 2\n    more\n";
        let sections = parse(text).unwrap();
        assert_eq!(props(&sections[0]), [("a", "1"), ("b", "2\nmore")]);
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let text = "\u{feff}[default]\r\nregion = us-east-1\r\n";
        let sections = parse(text).unwrap();
        assert_eq!(props(&sections[0]), [("region", "us-east-1")]);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("region = x\n", 1, "before any"),
            ("[default]\n\nnot a property\n", 3, "no `=`"),
            ("[default\nregion = x\n", 1, "closing `]`"),
            ("[]\n", 1, "empty name"),
            ("[default] junk\n", 1, "after the section header"),
            ("[default]\n = value\n", 2, "empty name"),
            ("[default]\ns3 =\n  no equals here\n", 3, "sub-property"),
        ];
        for (text, line, needle) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}");
            assert!(err.message.contains(needle), "{text:?}: {err}");
        }
    }

    #[test]
    fn errors_do_not_quote_the_line() {
        let err = parse("[default]\nwJalrXUtnFEMI-secret\n").unwrap_err();
        assert!(!err.to_string().contains("wJalrXUtnFEMI"), "{err}");
    }
}
