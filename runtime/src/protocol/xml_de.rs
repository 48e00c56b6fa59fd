//! Reading XML bodies (restXml, awsQuery, ec2Query): parse once with
//! [`parse_body`] into a small owned tree of [`XmlElement`]s, then pull
//! typed values out of it with one function per Smithy type.
//!
//! The tree keeps what the protocols need and nothing else: each element's
//! local name (namespace prefixes stripped), its attributes, its child
//! elements in order and its text (entities, character references and
//! CDATA decoded). The XML declaration, comments, processing instructions
//! and a doctype are skipped.
//!
//! Like [`json_de`](super::json_de), every scalar reader takes the path of
//! the value so an error says where the body went wrong; generated code
//! passes `""` and adds the path on the way out.

use std::collections::HashMap;
use std::hash::Hash;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::http::{
    parse_header_bool, parse_header_f32, parse_header_f64, parse_header_i16, parse_header_i32,
    parse_header_i64, parse_header_i8,
};
use super::json_de::{is_decimal_text, is_integer_text};
use super::{bad_base64, bad_timestamp, DeserializeError};
use crate::primitives::big_number::{BigDecimal, BigInteger};
use crate::primitives::{base64_decode, Blob, DateTime, DateTimeFormat, Document};

/// How deep elements may nest; deeper bodies are rejected rather than risk
/// the stack of the recursive readers (the JSON parser's limit is 128 too).
const MAX_DEPTH: usize = 128;

/// One element of a parsed XML body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XmlElement {
    name: String,
    qualified_name: String,
    attributes: Vec<(String, String)>,
    children: Vec<XmlElement>,
    text: String,
}

impl XmlElement {
    /// The element's local name: `Error` for both `<Error>` and `<s3:Error>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name as written, with its prefix if it has one (`s3:Error`).
    pub fn qualified_name(&self) -> &str {
        &self.qualified_name
    }

    /// The value of an attribute (entities decoded), found by its name as
    /// written (`xsi:type`) or by its local name (`type`). Namespace
    /// declarations (`xmlns`, `xmlns:p`) are only found by their full name.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .or_else(|| {
                self.attributes.iter().find(|(key, _)| {
                    !is_namespace_declaration(key) && local_part(key) == name
                })
            })
            .map(|(_, value)| value.as_str())
    }

    /// Every attribute as written (namespace declarations included), in
    /// document order.
    pub fn attributes(&self) -> &[(String, String)] {
        &self.attributes
    }

    /// The child elements, in document order.
    pub fn children(&self) -> &[XmlElement] {
        &self.children
    }

    /// The first child element with local name `name`.
    pub fn child(&self, name: &str) -> Option<&XmlElement> {
        self.children.iter().find(|child| child.name == name)
    }

    /// The element's own text: every text and CDATA node directly inside
    /// it, joined, with entities decoded and nothing trimmed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The first child element with local name `name`, taken out of this
    /// element without copying it.
    pub fn into_child(self, name: &str) -> Option<XmlElement> {
        self.children.into_iter().find(|child| child.name == name)
    }
}

fn is_namespace_declaration(key: &str) -> bool {
    key == "xmlns" || key.starts_with("xmlns:")
}

fn local_part(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

fn syntax_error(err: impl std::fmt::Display) -> DeserializeError {
    DeserializeError::new("", format!("the body is not valid XML: {err}"))
}

fn open(start: &BytesStart<'_>) -> Result<XmlElement, DeserializeError> {
    let qualified_name = start.name().into_inner().to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(syntax_error)?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(syntax_error)?;
        attributes.push((attribute.key.into_inner().to_owned(), value.into_owned()));
    }
    Ok(XmlElement {
        name: local_part(&qualified_name).to_owned(),
        qualified_name,
        attributes,
        children: Vec::new(),
        text: String::new(),
    })
}

/// Parses a response body that may be empty: `None` for an empty or
/// all-whitespace body (a service may leave out a body whose members are
/// all absent), else as [`parse_body`].
pub fn parse_optional_body(body: &[u8]) -> Result<Option<XmlElement>, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    parse_body(body).map(Some)
}

/// Puts a finished element under its parent, or makes it the root.
fn close(element: XmlElement, open_elements: &mut [XmlElement], root: &mut Option<XmlElement>) {
    match open_elements.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

/// Parses a response body as XML and returns its root element.
///
/// Invalid UTF-8, malformed XML (mismatched end tags, bad entities, text
/// after the root), an empty body and nesting deeper than 128 elements are
/// errors.
pub fn parse_body(body: &[u8]) -> Result<XmlElement, DeserializeError> {
    let text = super::body_text(body)?;
    // A byte order mark is allowed before the declaration.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    // The open elements, innermost last.
    let mut open_elements: Vec<XmlElement> = Vec::new();
    let mut root = None;
    loop {
        let event = reader.read_event().map_err(syntax_error)?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(syntax_error("a second root element"));
                }
                if open_elements.len() >= MAX_DEPTH {
                    return Err(DeserializeError::new(
                        "",
                        format!("the body nests elements deeper than {MAX_DEPTH} levels"),
                    ));
                }
                open_elements.push(open(&start)?);
            }
            Event::Empty(start) => {
                if root.is_some() {
                    return Err(syntax_error("a second root element"));
                }
                let element = open(&start)?;
                close(element, &mut open_elements, &mut root);
            }
            Event::End(_) => {
                let element = open_elements
                    .pop()
                    .ok_or_else(|| syntax_error("an end tag without a start tag"))?;
                close(element, &mut open_elements, &mut root);
            }
            Event::Text(text) => match open_elements.last_mut() {
                Some(element) => element.text.push_str(&text.xml10_content()),
                None if text.xml10_content().trim().is_empty() => {}
                None => return Err(syntax_error("text outside the root element")),
            },
            Event::CData(data) => match open_elements.last_mut() {
                Some(element) => element.text.push_str(&data.xml10_content()),
                None => return Err(syntax_error("CDATA outside the root element")),
            },
            Event::GeneralRef(reference) => {
                let decoded = match reference.resolve_char_ref().map_err(syntax_error)? {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&reference)
                        .ok_or_else(|| syntax_error("an unknown entity"))?
                        .to_owned(),
                };
                match open_elements.last_mut() {
                    Some(element) => element.text.push_str(&decoded),
                    None => return Err(syntax_error("text outside the root element")),
                }
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if !open_elements.is_empty() {
        return Err(syntax_error("the body ends inside an element"));
    }
    root.ok_or_else(|| DeserializeError::new("", "the body has no XML element"))
}

/// A `string` (also enums, which the caller wraps): the text of an element
/// or attribute, as is.
pub fn string(text: &str, _path: &str) -> Result<String, DeserializeError> {
    Ok(text.to_owned())
}

/// A `boolean`: `true` or `false` (surrounding whitespace ignored).
pub fn boolean(text: &str, path: &str) -> Result<bool, DeserializeError> {
    parse_header_bool(text, path)
}

/// A `byte`: an integer in `-128..=127`.
pub fn i8(text: &str, path: &str) -> Result<i8, DeserializeError> {
    parse_header_i8(text, path)
}

/// A `short`: an integer in `-32768..=32767`.
pub fn i16(text: &str, path: &str) -> Result<i16, DeserializeError> {
    parse_header_i16(text, path)
}

/// An `integer`: a 32-bit signed integer.
pub fn i32(text: &str, path: &str) -> Result<i32, DeserializeError> {
    parse_header_i32(text, path)
}

/// A `long`: a 64-bit signed integer.
pub fn i64(text: &str, path: &str) -> Result<i64, DeserializeError> {
    parse_header_i64(text, path)
}

/// A `float`: a decimal number or `NaN`, `Infinity`, `-Infinity`.
pub fn f32(text: &str, path: &str) -> Result<f32, DeserializeError> {
    parse_header_f32(text, path)
}

/// A `double`: a decimal number or `NaN`, `Infinity`, `-Infinity`.
pub fn f64(text: &str, path: &str) -> Result<f64, DeserializeError> {
    parse_header_f64(text, path)
}

/// A `timestamp` in `format` (`DateTime` unless the member says otherwise).
pub fn timestamp(
    text: &str,
    path: &str,
    format: DateTimeFormat,
) -> Result<DateTime, DeserializeError> {
    DateTime::parse(format, text.trim()).map_err(|_| bad_timestamp(path, format))
}

/// A `blob`: base64 text (surrounding whitespace ignored).
pub fn blob(text: &str, path: &str) -> Result<Blob, DeserializeError> {
    base64_decode(text.trim())
        .map(Blob::new)
        .map_err(|_| bad_base64(path))
}

/// A `bigInteger`: decimal digits with an optional sign, kept as text.
pub fn big_integer(text: &str, path: &str) -> Result<BigInteger, DeserializeError> {
    let text = text.trim();
    if is_integer_text(text) {
        Ok(BigInteger::new(text))
    } else {
        Err(DeserializeError::new(
            path,
            "expected an integer (a bigInteger), found text that is not one",
        ))
    }
}

/// A `bigDecimal`: a decimal number, kept as text.
pub fn big_decimal(text: &str, path: &str) -> Result<BigDecimal, DeserializeError> {
    let text = text.trim();
    if is_decimal_text(text) {
        Ok(BigDecimal::new(text))
    } else {
        Err(DeserializeError::new(
            path,
            "expected a decimal number (a bigDecimal), found text that is not one",
        ))
    }
}

/// A `document`: XML has no form for one, so reading it is always an
/// error (the XML protocols do not support documents).
pub fn document(_text: &str, path: &str) -> Result<Document, DeserializeError> {
    Err(DeserializeError::new(
        path,
        "a document cannot be read from XML: the XML protocols do not support documents",
    ))
}

/// The child elements named `name` (a local name), in document order: the
/// items of a list or the entries of a map, wrapped or flattened.
pub fn children<'a>(element: &'a XmlElement, name: &'a str) -> impl Iterator<Item = &'a XmlElement> + 'a {
    element.children.iter().filter(move |child| child.name == name)
}

/// The items of a list, each read by `read`; an error's path gets the
/// item's index.
pub fn list<'a, T>(
    items: impl Iterator<Item = &'a XmlElement>,
    read: impl Fn(&'a XmlElement) -> Result<T, DeserializeError>,
) -> Result<Vec<T>, DeserializeError> {
    items
        .enumerate()
        .map(|(index, item)| read(item).map_err(|e| e.in_index(index)))
        .collect()
}

/// The entries of a map: each entry element holds a `key_name` element
/// (its text is the key) and a `value_name` element, read by `read`. An
/// entry without a key or a value is an error; an error's path gets the key.
pub fn map<'a, K, V>(
    entries: impl Iterator<Item = &'a XmlElement>,
    key_name: &str,
    value_name: &str,
    read: impl Fn(&'a XmlElement) -> Result<V, DeserializeError>,
) -> Result<HashMap<K, V>, DeserializeError>
where
    K: From<&'a str> + Eq + Hash,
{
    let mut map = HashMap::new();
    for (index, entry) in entries.enumerate() {
        let key = entry.child(key_name).ok_or_else(|| {
            DeserializeError::new("", format!("map entry has no `{key_name}` element")).in_index(index)
        })?;
        let value = entry.child(value_name).ok_or_else(|| {
            DeserializeError::new("", format!("map entry has no `{value_name}` element")).in_key(key.text())
        })?;
        let read = read(value).map_err(|e| e.in_key(key.text()))?;
        map.insert(K::from(key.text()), read);
    }
    Ok(map)
}

/// The single child of a union's element: its local name and the element.
/// Whitespace-only text is ignored; no child or several is an error.
pub fn union_member<'a>(
    element: &'a XmlElement,
    path: &str,
) -> Result<(&'a str, &'a XmlElement), DeserializeError> {
    match element.children.as_slice() {
        [only] => Ok((only.name.as_str(), only)),
        [] => Err(DeserializeError::new(
            path,
            "a union must have exactly one member set, found none",
        )),
        _ => Err(DeserializeError::new(
            path,
            "a union must have exactly one member set, found several",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message<T: std::fmt::Debug>(result: Result<T, DeserializeError>) -> String {
        match result {
            Ok(value) => panic!("expected an error, got {value:?}"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn builds_the_tree_and_skips_declarations_comments_and_instructions() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <s3:Result xmlns:s3="https://example.com/" id="7"><?pi data?>
                <Name>a</Name><!-- inside --><Name>b</Name>
                <Empty/>
            </s3:Result>"#;
        let root = parse_body(body).expect("parses");
        assert_eq!(root.name(), "Result");
        assert_eq!(root.qualified_name(), "s3:Result");
        assert_eq!(root.attribute("id"), Some("7"));
        assert_eq!(root.attribute("xmlns:s3"), Some("https://example.com/"));
        assert_eq!(root.attribute("s3"), None);
        let names: Vec<&str> = root.children().iter().map(XmlElement::name).collect();
        assert_eq!(names, ["Name", "Name", "Empty"]);
        assert_eq!(root.child("Name").map(XmlElement::text), Some("a"));
        assert_eq!(root.child("Empty").map(XmlElement::text), Some(""));
        assert_eq!(root.child("Missing"), None);
    }

    #[test]
    fn entities_character_references_and_cdata_are_decoded() {
        let body = "<a x=\"&lt;&amp;&quot;\"><b>1 &lt; 2 &amp;&amp; &#x41;&#66;</b><c><![CDATA[<raw> & ]]></c><d>caf\u{e9}</d></a>";
        let root = parse_body(body.as_bytes()).expect("parses");
        assert_eq!(root.attribute("x"), Some("<&\""));
        assert_eq!(root.child("b").map(XmlElement::text), Some("1 < 2 && AB"));
        assert_eq!(root.child("c").map(XmlElement::text), Some("<raw> & "));
        assert_eq!(root.child("d").map(XmlElement::text), Some("caf\u{e9}"));
        assert_eq!(
            parse_body(b"<a>\r\nline</a>").map(|root| root.text),
            Ok("\nline".to_owned())
        );
    }

    #[test]
    fn malformed_bodies_are_errors_not_panics() {
        for body in [
            &b""[..],
            b"   ",
            b"not xml",
            b"<a>",
            b"<a></b>",
            b"<a>&bogus;</a>",
            b"<a/><b/>",
            b"</a>",
            b"<a>\xff</a>",
            b"<a x=1/>",
        ] {
            assert!(parse_body(body).is_err(), "{:?}", String::from_utf8_lossy(body));
        }
        assert_eq!(
            message(parse_body(b"<a>\xff</a>")),
            "the body is not valid UTF-8 (invalid byte at offset 3)"
        );
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert_eq!(
            message(parse_body(deep.as_bytes())),
            "the body nests elements deeper than 128 levels"
        );
        assert_eq!(parse_optional_body(b" \n"), Ok(None));
        let with_bom = parse_body("\u{feff}<?xml version=\"1.0\"?><a>x</a>".as_bytes()).expect("a BOM is skipped");
        assert_eq!(with_bom.text(), "x");
        assert!(parse_optional_body(b"<a/>").is_ok_and(|root| root.is_some()));
        assert!(parse_optional_body(b"<a>").is_err());
        let fits = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
        assert!(parse_body(fits.as_bytes()).is_ok());
    }

    #[test]
    fn scalars_read_the_text() {
        assert_eq!(string(" a b ", "s"), Ok(" a b ".to_owned()));
        assert_eq!(boolean("true", "b"), Ok(true));
        assert_eq!(
            message(boolean("yes", "b")),
            "at `b`: expected `true` or `false`, found another value"
        );
        assert_eq!(i8("-128", "n"), Ok(-128));
        assert!(i8("128", "n").is_err());
        assert_eq!(i16(" 300 ", "n"), Ok(300));
        assert_eq!(i32("-7", "n"), Ok(-7));
        assert_eq!(i64("9223372036854775807", "n"), Ok(i64::MAX));
        assert_eq!(
            message(i32("1.5", "items[0]")),
            "at `items[0]`: expected a 32-bit integer, found text that is not an integer"
        );
        assert_eq!(f64("1.25", "f"), Ok(1.25));
        assert_eq!(f64("-Infinity", "f"), Ok(f64::NEG_INFINITY));
        assert!(f32("NaN", "f").is_ok_and(f32::is_nan));
        assert!(f64("one", "f").is_err());
    }

    #[test]
    fn timestamps_blobs_and_big_numbers() {
        let t = timestamp("2014-04-29T18:30:38Z", "t", DateTimeFormat::DateTime);
        assert_eq!(t, Ok(DateTime::from_secs(1398796238)));
        let t = timestamp("1398796238", "t", DateTimeFormat::EpochSeconds);
        assert_eq!(t, Ok(DateTime::from_secs(1398796238)));
        let t = timestamp("Tue, 29 Apr 2014 18:30:38 GMT", "t", DateTimeFormat::HttpDate);
        assert_eq!(t, Ok(DateTime::from_secs(1398796238)));
        assert_eq!(
            message(timestamp("soon", "t", DateTimeFormat::DateTime)),
            "at `t`: expected a date-time timestamp, found text that is not one"
        );
        assert_eq!(blob("dmFsdWU=", "b"), Ok(Blob::new(b"value".to_vec())));
        assert!(blob("!!", "b").is_err());
        assert_eq!(
            big_integer("-123456789012345678901234567890", "n").map(|n| n.as_str().to_owned()),
            Ok("-123456789012345678901234567890".to_owned())
        );
        assert!(big_integer("1.5", "n").is_err());
        assert_eq!(
            big_decimal("1.5e10", "n").map(|n| n.as_str().to_owned()),
            Ok("1.5e10".to_owned())
        );
        assert!(big_decimal("x", "n").is_err());
        assert_eq!(
            message(document("{}", "doc")),
            "at `doc`: a document cannot be read from XML: the XML protocols do not support documents"
        );
    }

    #[test]
    fn lists_and_maps_read_their_items_with_paths() {
        let root = parse_body(b"<r><member>1</member><other/><member>2</member></r>").expect("parses");
        assert_eq!(list(children(&root, "member"), |item| i32(item.text(), "")), Ok(vec![1, 2]));
        let bad = parse_body(b"<r><member>1</member><member>x</member></r>").expect("parses");
        assert_eq!(
            message(list(children(&bad, "member"), |item| i32(item.text(), ""))),
            "at `[1]`: expected a 32-bit integer, found text that is not an integer"
        );
        let body = b"<m><entry><key>a</key><value>1</value></entry><entry><key>b</key><value>2</value></entry></m>";
        let root = parse_body(body).expect("parses");
        let read: HashMap<String, i64> = map(children(&root, "entry"), "key", "value", |v| i64(v.text(), "")).expect("reads");
        assert_eq!(read, HashMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]));
        let no_value = parse_body(b"<m><entry><key>k</key></entry></m>").expect("parses");
        assert_eq!(
            message(map::<String, String>(children(&no_value, "entry"), "key", "value", |v| string(v.text(), ""))),
            "at `[\"k\"]`: map entry has no `value` element"
        );
        let no_key = parse_body(b"<m><entry><value>v</value></entry></m>").expect("parses");
        assert!(map::<String, String>(children(&no_key, "entry"), "key", "value", |v| string(v.text(), "")).is_err());
    }

    #[test]
    fn unions_have_exactly_one_child() {
        let root = parse_body(b"<u>\n  <stringValue>a</stringValue>\n</u>").expect("parses");
        let (name, item) = union_member(&root, "").expect("one member");
        assert_eq!((name, item.text()), ("stringValue", "a"));
        let none = parse_body(b"<u> </u>").expect("parses");
        assert_eq!(
            message(union_member(&none, "u")),
            "at `u`: a union must have exactly one member set, found none"
        );
        let two = parse_body(b"<u><a/><b/></u>").expect("parses");
        assert!(union_member(&two, "").is_err());
    }
}
