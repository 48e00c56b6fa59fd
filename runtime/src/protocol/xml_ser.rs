//! Writing restXml bodies: generated serializers drive an [`XmlWriter`]
//! element by element; quick-xml escapes text and attribute values.
//!
//! A start tag stays open until its first child, text or end, so namespace
//! declarations and attributes can be added after [`XmlWriter::start`].
//! Every element is written with an end tag (`<a></a>`, never `<a/>`).

use bytes::Bytes;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::SerializeError;
use crate::primitives::{base64_encode, Blob, Document};

/// Writes one XML document.
///
/// ```
/// use smithy_runtime::protocol::xml_ser::XmlWriter;
///
/// let mut xml = XmlWriter::new();
/// xml.start("Greeting");
/// xml.namespace(None, "https://example.com/");
/// xml.attribute("lang", "en");
/// xml.element("Text", "a < b & c");
/// xml.end();
/// assert_eq!(
///     &xml.finish()[..],
///     br#"<Greeting xmlns="https://example.com/" lang="en"><Text>a &lt; b &amp; c</Text></Greeting>"#
/// );
/// ```
pub struct XmlWriter {
    writer: Writer<Vec<u8>>,
    /// The start tag being written: attributes may still be added.
    pending: Option<BytesStart<'static>>,
    /// The names of the open elements, innermost last.
    open: Vec<String>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl XmlWriter {
    /// A writer with nothing written.
    pub fn new() -> Self {
        XmlWriter {
            writer: Writer::new(Vec::new()),
            pending: None,
            open: Vec::new(),
        }
    }

    fn write(&mut self, event: Event<'_>) {
        // The sink is a `Vec<u8>`, to which writing cannot fail.
        let _ = self.writer.write_event(event);
    }

    fn flush_start(&mut self) {
        if let Some(start) = self.pending.take() {
            self.write(Event::Start(start));
        }
    }

    /// Opens element `name` (with its prefix, if any: `xsi:type`).
    pub fn start(&mut self, name: &str) {
        self.flush_start();
        self.pending = Some(BytesStart::new(name.to_owned()));
        self.open.push(name.to_owned());
    }

    /// Declares a namespace on the element just opened: `xmlns="uri"`
    /// without a prefix, `xmlns:prefix="uri"` with one. Ignored once the
    /// element has content.
    pub fn namespace(&mut self, prefix: Option<&str>, uri: &str) {
        match prefix {
            Some(prefix) => self.attribute(&format!("xmlns:{prefix}"), uri),
            None => self.attribute("xmlns", uri),
        }
    }

    /// Adds an attribute (its value escaped) to the element just opened.
    /// Ignored once the element has content.
    pub fn attribute(&mut self, name: &str, value: &str) {
        if let Some(start) = self.pending.as_mut() {
            start.push_attribute((name, value));
        }
    }

    /// Writes text (escaped) inside the open element.
    pub fn text(&mut self, text: &str) {
        self.flush_start();
        if !text.is_empty() {
            self.write(Event::Text(BytesText::new(text)));
        }
    }

    /// Closes the innermost open element; does nothing if none is open.
    pub fn end(&mut self) {
        self.flush_start();
        if let Some(name) = self.open.pop() {
            self.write(Event::End(BytesEnd::new(name)));
        }
    }

    /// `<name>text</name>`.
    pub fn element(&mut self, name: &str, text: &str) {
        self.start(name);
        self.text(text);
        self.end();
    }

    /// The document, with any element still open closed.
    pub fn finish(mut self) -> Bytes {
        while !self.open.is_empty() {
            self.end();
        }
        Bytes::from(self.writer.into_inner())
    }
}

/// A `document`: XML has no form for one, so writing it is always an error
/// (the XML protocols do not support documents).
pub fn document(_value: &Document) -> Result<String, SerializeError> {
    Err(SerializeError::new(
        "a document cannot be written as XML: the XML protocols do not support documents",
    ))
}

/// The text of a value that has none: a structure, union, list or map a
/// model marks `@xmlAttribute`. Always an error.
pub fn not_text() -> Result<String, SerializeError> {
    Err(SerializeError::new(
        "an XML attribute cannot hold a structure, union, list or map",
    ))
}

/// The text of a `blob`: base64.
pub fn blob(value: &Blob) -> String {
    base64_encode(value.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::xml_de::parse_body;

    #[test]
    fn escapes_text_and_attributes_and_reads_back() {
        let mut xml = XmlWriter::new();
        xml.start("a:Root");
        xml.namespace(Some("a"), "https://a.example/?x=1&y=2");
        xml.attribute("note", "\"quoted\" <tag> & 'single'");
        xml.element("Text", "1 < 2 && 3 > 2 ]]>");
        xml.start("Empty");
        xml.end();
        xml.text("tail");
        let body = xml.finish();
        let root = parse_body(&body).expect("our own output parses");
        assert_eq!(root.qualified_name(), "a:Root");
        assert_eq!(root.attribute("xmlns:a"), Some("https://a.example/?x=1&y=2"));
        assert_eq!(root.attribute("note"), Some("\"quoted\" <tag> & 'single'"));
        assert_eq!(root.child("Text").map(|t| t.text()), Some("1 < 2 && 3 > 2 ]]>"));
        assert_eq!(root.child("Empty").map(|t| t.text()), Some(""));
        assert_eq!(root.text(), "tail");
        let text = String::from_utf8(body.to_vec()).expect("UTF-8");
        assert!(text.contains("<Empty></Empty>"), "{text}");
        assert!(!text.contains("<tag>"), "{text}");
    }

    #[test]
    fn attributes_after_content_are_ignored_and_finish_closes_everything() {
        let mut xml = XmlWriter::default();
        xml.start("a");
        xml.text("x");
        xml.attribute("late", "1");
        xml.start("b");
        xml.end();
        xml.end();
        xml.end();
        assert_eq!(&xml.finish()[..], b"<a>x<b></b></a>");
        let mut xml = XmlWriter::new();
        xml.start("a");
        xml.start("b");
        assert_eq!(&xml.finish()[..], b"<a><b></b></a>");
        assert_eq!(blob(&Blob::new(b"value".to_vec())), "dmFsdWU=");
        assert!(document(&Document::Null).is_err());
        assert_eq!(
            not_text().map_err(|e| e.to_string()),
            Err("an XML attribute cannot hold a structure, union, list or map".to_owned())
        );
    }
}
