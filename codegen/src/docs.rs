//! Model documentation (Smithy's HTML subset) → rustdoc Markdown.
//!
//! AWS models use a small, fixed set of tags (`p`, `code`, `a`, `ul`/`ol`/`li`,
//! `b`/`strong`, `i`/`em`, `note`, `important`, `br`, `pre`), so a small
//! converter is enough and keeps the generator free of an HTML parser's
//! dependency tree. The output is escaped so `cargo doc -D warnings` stays
//! clean: brackets, stray `<`/`>`, backticks and `*` in text are escaped, bare
//! URLs are wrapped in `<…>`. Paragraphs are wrapped at [`WRAP_WIDTH`].

/// Column at which paragraphs are wrapped.
pub const WRAP_WIDTH: usize = 100;

/// Converts model HTML (or plain text) to Markdown lines for `///` comments.
pub fn html_to_markdown(html: &str) -> String {
    let mut converter = Converter::default();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => match tag_end(rest) {
                Some(end) => {
                    converter.tag(&rest[1..end]);
                    rest = &rest[end + 1..];
                }
                // Not a tag (`x<y`, `a < b`): the `<` is text.
                None => {
                    converter.text("<");
                    rest = &rest[1..];
                }
            },
            Some(start) => {
                converter.text(&rest[..start]);
                rest = &rest[start..];
            }
            None => {
                converter.text(rest);
                rest = "";
            }
        }
    }
    converter.finish()
}

/// The offset of the `>` closing the tag `text` starts with, when it is one:
/// `<` then a lowercase name (or `/`, `!`), and no other `<` before the `>`.
/// AWS models write HTML tags in lowercase; `<Code>` in their prose names an
/// XML element and stays text.
fn tag_end(text: &str) -> Option<usize> {
    let after = text[1..].trim_start_matches('/');
    let name_len = after.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(after.len());
    let name = &after[..name_len];
    let is_tag_name = name.starts_with(|c: char| c.is_ascii_lowercase()) && !name.contains(|c: char| c.is_ascii_uppercase());
    if !is_tag_name && !after.starts_with('!') {
        return None;
    }
    let end = text.find('>')?;
    (!text[1..end].contains('<')).then_some(end)
}

#[derive(Default)]
struct Converter {
    out: String,
    lists: Vec<OpenList>,
    in_code: bool,
    in_pre: bool,
    /// Start offset in `out` and href of the `<a>` being read.
    link: Option<(usize, Option<String>)>,
    /// Length of `out` right after an opening `*`/`**`, while nothing follows it.
    emphasis_opened: Option<(usize, &'static str)>,
    /// Where the text of the `<pre>` being read starts in `out`.
    pre_start: Option<usize>,
    /// Text that follows here starts a new paragraph of the current list item.
    resume_item: bool,
}

#[derive(Clone, Copy)]
enum List {
    Bullet,
    Numbered(usize),
}

/// A list being read, and the column where the text of its current item starts.
#[derive(Clone, Copy)]
struct OpenList {
    kind: List,
    content_indent: usize,
}

impl Converter {
    fn tag(&mut self, tag: &str) {
        let tag = tag.trim();
        let closing = tag.starts_with('/');
        let self_closing = tag.ends_with('/');
        let body = tag.trim_start_matches('/').trim_end_matches('/');
        let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        let attributes = &body[name_end..];
        match (name.as_str(), closing) {
            ("p" | "div", _) => self.paragraph_break(),
            ("br", _) => self.line_break(),
            // A `<code>` inside a code span, or a stray `</code>`, changes nothing.
            ("code", _) if !self.in_pre && !self_closing && self.in_code == closing => {
                self.out.push('`');
                self.in_code = !closing;
            }
            ("pre", false) => {
                self.paragraph_break();
                if !self.lists.is_empty() {
                    // A block inside a list item: its own paragraph, indented like the item's text.
                    self.trim_trailing_spaces();
                    self.out.push_str("\n\n");
                }
                self.pre_start = Some(self.out.len());
                self.in_pre = true;
            }
            ("pre", true) => self.close_pre(),
            ("b" | "strong", _) => self.emphasis("**", closing),
            ("i" | "em", _) => self.emphasis("*", closing),
            ("note", false) => {
                self.paragraph_break();
                self.out.push_str("**Note:** ");
            }
            ("important", false) => {
                self.paragraph_break();
                self.out.push_str("**Important:** ");
            }
            ("note" | "important", true) => self.paragraph_break(),
            ("ul", false) => self.open_list(List::Bullet),
            ("ol", false) => self.open_list(List::Numbered(0)),
            ("ul" | "ol", true) => {
                self.lists.pop();
                self.paragraph_break();
                // Text after a nested list is a new paragraph of the enclosing item.
                self.resume_item = !self.lists.is_empty();
            }
            ("li", false) => self.list_item(),
            ("a", false) if !self_closing => self.link = Some((self.out.len(), href(attributes))),
            ("a", true) => self.close_link(),
            _ => {}
        }
    }

    /// `*`/`**`, kept next to the text it marks: Markdown reads `* text` at
    /// the start of a line as a list item, and `text *` as a literal star.
    fn emphasis(&mut self, marker: &'static str, closing: bool) {
        if closing {
            let had_space = self.out.ends_with(' ');
            self.trim_trailing_spaces();
            self.out.push_str(marker);
            if had_space {
                self.out.push(' ');
            }
        } else {
            self.out.push_str(marker);
            self.emphasis_opened = Some((self.out.len(), marker));
        }
    }

    fn text(&mut self, raw: &str) {
        let text = decode_entities(raw);
        if self.in_pre {
            // A carriage return or a tab would break the doc comment (rustdoc,
            // clippy); the block keeps its lines and indentation.
            self.out.push_str(&text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    "));
            return;
        }
        let collapsed = collapse_whitespace(&text);
        if collapsed.is_empty() {
            return;
        }
        if let Some((end, marker)) = self.emphasis_opened.take() {
            if end == self.out.len() && collapsed.starts_with(' ') {
                self.out.truncate(end - marker.len());
                if !self.out.is_empty() && !self.out.ends_with([' ', '\n']) {
                    self.out.push(' ');
                }
                self.out.push_str(marker);
                let rest = collapsed.trim_start();
                if !rest.is_empty() {
                    self.text_collapsed(rest);
                }
                return;
            }
        }
        self.text_collapsed(&collapsed);
    }

    fn text_collapsed(&mut self, collapsed: &str) {
        if std::mem::take(&mut self.resume_item) && !self.lists.is_empty() {
            self.trim_trailing_spaces();
            self.out.push_str("\n\n");
            self.out.push_str(&" ".repeat(self.item_indent()));
        }
        let starts_line = self.out.is_empty() || self.out.ends_with('\n') || self.out.ends_with(' ');
        let collapsed = if starts_line { collapsed.trim_start() } else { collapsed };
        if self.in_code {
            self.out.push_str(&collapsed.replace('`', "'"));
        } else {
            self.out.push_str(&escape_text(collapsed, self.link.is_some()));
        }
    }

    fn open_list(&mut self, kind: List) {
        self.paragraph_break();
        let content_indent = self.item_indent();
        self.lists.push(OpenList { kind, content_indent });
    }

    /// The column where text of the innermost list item starts (0 outside lists).
    fn item_indent(&self) -> usize {
        self.lists.last().map_or(0, |list| list.content_indent)
    }

    /// Starts an item: its marker goes at the column where the text of the
    /// enclosing item starts, so every continuation line can be indented to
    /// match (clippy's `doc_lazy_continuation`). When the enclosing item has no
    /// text yet (`<li><ul><li>…`), the marker goes on that item's line
    /// (`- - text`) rather than leaving an empty item.
    fn list_item(&mut self) {
        self.resume_item = false;
        self.trim_trailing_spaces();
        let parent_indent = match self.lists.len() {
            0 | 1 => 0,
            n => self.lists[n - 2].content_indent,
        };
        let line_start = self.out.rfind('\n').map_or(0, |i| i + 1);
        let parent_is_empty = self.lists.len() > 1 && is_bare_marker(self.out[line_start..].trim_start());
        if parent_is_empty {
            self.out.push(' ');
        } else {
            if !self.out.is_empty() && !self.out.ends_with('\n') {
                self.out.push('\n');
            }
            self.out.push_str(&" ".repeat(parent_indent));
        }
        let Some(list) = self.lists.last_mut() else {
            self.out.push_str("- ");
            return;
        };
        let marker = match &mut list.kind {
            List::Numbered(n) => {
                *n += 1;
                format!("{n}. ")
            }
            List::Bullet => "- ".to_string(),
        };
        list.content_indent = parent_indent + marker.len();
        self.out.push_str(&marker);
    }

    /// Ends a `<pre>`: a fenced block (the fence longer than any run of
    /// backticks inside), indented like the list item it is in.
    fn close_pre(&mut self) {
        self.in_pre = false;
        let Some(start) = self.pre_start.take() else { return };
        let content = self.out.split_off(start);
        let content = content.trim_end_matches(' ');
        let longest_run = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat((longest_run + 1).max(3));
        let indent = " ".repeat(self.item_indent());
        self.out.push_str(&format!("{indent}{fence}text\n"));
        for line in content.split('\n') {
            if !line.is_empty() {
                self.out.push_str(&indent);
            }
            self.out.push_str(line);
            self.out.push('\n');
        }
        self.out.push_str(&indent);
        self.out.push_str(&fence);
        self.paragraph_break();
        self.resume_item = !self.lists.is_empty();
    }

    fn close_link(&mut self) {
        let Some((start, href)) = self.link.take() else { return };
        let text = self.out[start..].trim().to_string();
        self.out.truncate(start);
        match href {
            Some(url) if url.starts_with("http") && !text.is_empty() => {
                self.out.push_str(&format!("[{text}]({url})"));
            }
            Some(url) if url.starts_with("http") => self.out.push_str(&format!("<{url}>")),
            // AWS models use `<a>Name</a>` for references to other shapes.
            _ if !text.is_empty() && !text.contains('`') => self.out.push_str(&format!("`{}`", unescape(&text))),
            _ => self.out.push_str(&text),
        }
    }

    fn paragraph_break(&mut self) {
        self.trim_trailing_spaces();
        if self.out.is_empty() {
            return;
        }
        if self.out.ends_with(":**") {
            // A `<note><p>…` keeps the label on the paragraph's line.
            self.out.push(' ');
            return;
        }
        if !self.lists.is_empty() {
            // Inside a list item, a paragraph continues the item.
            if !self.out.ends_with(' ') && !self.out.ends_with('\n') {
                self.out.push(' ');
            }
            return;
        }
        while !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn line_break(&mut self) {
        self.trim_trailing_spaces();
        if !self.out.is_empty() {
            self.out.push('\n');
            // Inside a list item the next line continues the item.
            self.out.push_str(&" ".repeat(self.item_indent()));
        }
    }

    fn trim_trailing_spaces(&mut self) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
    }

    fn finish(mut self) -> String {
        if self.link.is_some() {
            self.close_link();
        }
        let mut lines: Vec<String> = Vec::new();
        let mut in_fence = false;
        for line in self.out.lines() {
            if line.trim_start().starts_with("```") {
                in_fence = !in_fence;
                lines.push(line.to_string());
            } else if in_fence {
                lines.push(line.to_string());
            } else {
                let line = line.trim_end();
                if line.trim().is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
                    continue;
                }
                lines.extend(wrap(line, WRAP_WIDTH));
            }
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines.join("\n")
    }
}

fn href(attributes: &str) -> Option<String> {
    let start = attributes.find("href=")? + 5;
    let rest = &attributes[start..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = rest[1..].find(quote)?;
        Some(rest[1..1 + end].trim().to_string())
    } else {
        Some(rest.split_whitespace().next()?.to_string())
    }
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

/// Escapes Markdown-significant characters in plain text and wraps bare URLs.
fn escape_text(text: &str, in_link: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (index, word) in text.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        let is_url = word.starts_with("http://") || word.starts_with("https://");
        if is_url && !in_link {
            let trimmed = word.trim_end_matches(['.', ',', ';', ')']);
            out.push('<');
            out.push_str(trimmed);
            out.push('>');
            out.push_str(&word[trimmed.len()..]);
            continue;
        }
        for c in word.chars() {
            match c {
                '[' | ']' | '*' | '`' | '\\' | '_' if !is_url => {
                    if c == '_' && !word.starts_with('_') && !word.ends_with('_') {
                        out.push(c);
                    } else {
                        out.push('\\');
                        out.push(c);
                    }
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
        }
    }
    out
}

/// Whether a line is only a list marker (`-`, `12.`): an item with no text yet.
fn is_bare_marker(line: &str) -> bool {
    line == "-" || (line.len() > 1 && line.ends_with('.') && line[..line.len() - 1].chars().all(|c| c.is_ascii_digit()))
}

/// Undoes [`escape_text`] for text moved into a code span.
fn unescape(text: &str) -> String {
    text.replace("\\[", "[").replace("\\]", "]").replace("\\*", "*").replace("\\_", "_").replace("&lt;", "<").replace("&gt;", ">")
}

/// Wraps one Markdown line at `width`, keeping list-item indentation and never
/// starting a continuation line with something Markdown would read as a
/// list marker or heading.
fn wrap(line: &str, width: usize) -> Vec<String> {
    if line.len() <= width {
        return vec![line.to_string()];
    }
    let content = line.trim_start();
    let indent_len = line.len() - content.len();
    let marker_len = markers_len(content);
    let (first_prefix, body) = line.split_at(indent_len + marker_len);
    let continuation = " ".repeat(first_prefix.len());
    let mut lines = Vec::new();
    let mut current = first_prefix.to_string();
    let mut has_word = false;
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        let looks_like_marker = word.starts_with(['-', '+', '#', '>', '='])
            || (word.len() > 1 && word.ends_with('.') && word[..word.len() - 1].chars().all(|c| c.is_ascii_digit()));
        if has_word && current.len() + 1 + word.len() > width && !looks_like_marker {
            lines.push(std::mem::replace(&mut current, format!("{continuation}{word}")));
        } else {
            if has_word {
                current.push(' ');
            }
            current.push_str(word);
        }
        has_word = true;
    }
    lines.push(current);
    lines
}

/// Model text (a `@pattern`, a `@default` value, an enum value) as an inline
/// code span that survives any character: CR, LF and tab are written as
/// `\r`, `\n` and `\t` (other control characters as `\u{…}`), so the span
/// stays on one line; the fence is one backtick longer than the longest run of
/// backticks in the text, with a space inside when the text starts or ends
/// with a backtick (or a space), as CommonMark requires.
pub fn code_span(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => escaped.push_str("\\r"),
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push_str("\\t"),
            c if c.is_control() => escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => escaped.push(c),
        }
    }
    if escaped.is_empty() {
        return "(empty)".to_string();
    }
    let longest_run = escaped.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if escaped.starts_with(['`', ' ']) || escaped.ends_with(['`', ' ']) { " " } else { "" };
    format!("{fence}{pad}{escaped}{pad}{fence}")
}

/// Plain model text (a title, a version) as Markdown that reads as the same
/// text: whitespace collapsed to single spaces, Markdown characters escaped.
pub fn escape_plain(text: &str) -> String {
    escape_text(collapse_whitespace(text).trim(), false)
}

/// The length of the list markers a line starts with (`- `, `3. `, or
/// several, as in `- - text`), so wrapped lines line up with the text.
fn markers_len(content: &str) -> usize {
    let mut len = 0;
    loop {
        let rest = &content[len..];
        let marker = if rest.starts_with("- ") {
            2
        } else {
            rest.find(". ").filter(|&i| i > 0 && rest[..i].chars().all(|c| c.is_ascii_digit())).map_or(0, |i| i + 2)
        };
        if marker == 0 {
            return len;
        }
        len += marker;
    }
}

/// The first sentence of converted docs, for one-line summaries.
pub fn first_sentence(markdown: &str) -> String {
    let paragraph = markdown.split("\n\n").next().unwrap_or("").replace('\n', " ");
    match paragraph.find(". ") {
        Some(end) => paragraph[..=end].to_string(),
        None => paragraph,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_code_and_links() {
        let md = html_to_markdown(
            "<p>Creates a <code>Stage</code>.</p> <p>See <a href=\"https://docs.aws.amazon.com/ivs/\">the guide</a> and <a>CreateParticipantToken</a>.</p>",
        );
        assert_eq!(
            md,
            "Creates a `Stage`.\n\nSee [the guide](https://docs.aws.amazon.com/ivs/) and `CreateParticipantToken`."
        );
    }

    #[test]
    fn lists_nest_and_number() {
        let md = html_to_markdown("<p>Values:</p><ul><li><p><code>A</code> — first</p></li><li>second<ol><li>x</li><li>y</li></ol></li></ul><p>End.</p>");
        assert_eq!(md, "Values:\n\n- `A` — first\n- second\n  1. x\n  2. y\n\nEnd.");
    }

    #[test]
    fn brackets_urls_and_angle_brackets_are_escaped() {
        let md = html_to_markdown("Use [a-z] or x<y, see https://example.com/page. Also *wild* and _under_ and snake_case.");
        assert_eq!(
            md,
            "Use \\[a-z\\] or x&lt;y, see <https://example.com/page>. Also \\*wild\\* and \\_under\\_ and snake_case."
        );
    }

    #[test]
    fn entities_pre_notes_and_empty_paragraphs() {
        assert_eq!(html_to_markdown("<p/>"), "");
        assert_eq!(html_to_markdown("a &lt;b&gt; &amp; c"), "a &lt;b&gt; & c");
        assert_eq!(html_to_markdown("<note><p>Careful.</p></note>"), "**Note:** Careful.");
        assert_eq!(html_to_markdown("<pre>let x = [1];\n  y</pre>"), "```text\nlet x = [1];\n  y\n```");
    }

    #[test]
    fn long_lines_wrap_without_starting_a_list() {
        let text = format!("{} - not a list item", "word ".repeat(19).trim_end());
        let md = html_to_markdown(&text);
        for line in md.lines() {
            assert!(!line.trim_start().starts_with("- "), "{md}");
        }
        assert!(md.lines().count() >= 1);
        let long = html_to_markdown(&"alpha beta gamma delta ".repeat(10));
        assert!(long.lines().all(|l| l.len() <= WRAP_WIDTH), "{long}");
        assert!(long.lines().count() > 1);
    }

    #[test]
    fn list_continuations_are_indented_and_items_never_empty() {
        let md = html_to_markdown(
            "<ul><li><ul><li><i>Code:</i> A</li><li><i>Cause:</i> B</li></ul></li><li><ul><li>C</li></ul></li></ul>",
        );
        assert_eq!(md, "- - *Code:* A\n  - *Cause:* B\n- - C");
        let md = html_to_markdown("<ol><li>first<br/>second line<ul><li>nested</li></ul>after the list</li><li>two</li></ol>");
        assert_eq!(md, "1. first\n   second line\n   - nested\n\n   after the list\n2. two");
        let long = html_to_markdown(&format!("<ul><li><ul><li>{}</li></ul></li></ul>", "word ".repeat(30)));
        assert!(long.lines().skip(1).all(|l| l.starts_with("    word")), "{long}");
    }

    #[test]
    fn a_less_than_sign_that_starts_no_tag_is_text() {
        assert_eq!(html_to_markdown("<p>x<y, [a] and 1 < 2 <b>bold</b></p>"), "x&lt;y, \\[a\\] and 1 &lt; 2 **bold**");
        assert_eq!(html_to_markdown("the <Code> tag of <code>Get</code>"), "the &lt;Code&gt; tag of `Get`");
        assert_eq!(html_to_markdown("<code>a<code>b</code></code>"), "`ab`");
    }

    #[test]
    fn emphasis_stays_next_to_its_text() {
        assert_eq!(html_to_markdown("<i> Only for A:</i> text"), "*Only for A:* text");
        assert_eq!(html_to_markdown("a<b> bold </b>b"), "a **bold** b");
    }

    #[test]
    fn pre_blocks_lose_carriage_returns_and_tabs_and_keep_their_fence() {
        assert_eq!(html_to_markdown("<pre>a\r\n\tb ``` c</pre>"), "````text\na\n    b ``` c\n````");
        assert_eq!(html_to_markdown("<ul><li>x<pre>a\n b</pre>y</li></ul>"), "- x\n\n  ```text\n  a\n   b\n  ```\n\n  y");
    }

    #[test]
    fn code_spans_survive_any_text() {
        assert_eq!(code_span("^[a-z]+$"), "`^[a-z]+$`");
        assert_eq!(code_span("a\r\nb\tc\u{1}"), "`a\\r\\nb\\tc\\u{1}`");
        assert_eq!(code_span("x``y`"), "``` x``y` ```");
        assert_eq!(code_span(""), "(empty)");
        assert_eq!(escape_plain("A [b]\n*c*"), "A \\[b\\] \\*c\\*");
    }

    #[test]
    fn first_sentence_stops_at_the_first_period() {
        assert_eq!(first_sentence("One thing. Two things.\n\nMore."), "One thing.");
        assert_eq!(first_sentence("No period"), "No period");
    }
}
