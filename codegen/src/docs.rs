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
            Some(0) => match rest.find('>') {
                Some(end) => {
                    converter.tag(&rest[1..end]);
                    rest = &rest[end + 1..];
                }
                None => {
                    converter.text(rest);
                    rest = "";
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

#[derive(Default)]
struct Converter {
    out: String,
    lists: Vec<List>,
    in_code: bool,
    in_pre: bool,
    /// Start offset in `out` and href of the `<a>` being read.
    link: Option<(usize, Option<String>)>,
}

#[derive(Clone, Copy)]
enum List {
    Bullet,
    Numbered(usize),
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
            ("code", _) if !self.in_pre && !self_closing => {
                self.out.push('`');
                self.in_code = !closing;
            }
            ("pre", false) => {
                self.paragraph_break();
                self.out.push_str("```text\n");
                self.in_pre = true;
            }
            ("pre", true) => {
                self.in_pre = false;
                self.trim_trailing_spaces();
                self.out.push_str("\n```");
                self.paragraph_break();
            }
            ("b" | "strong", _) => self.out.push_str("**"),
            ("i" | "em", _) => self.out.push('*'),
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
            }
            ("li", false) => self.list_item(),
            ("a", false) if !self_closing => self.link = Some((self.out.len(), href(attributes))),
            ("a", true) => self.close_link(),
            _ => {}
        }
    }

    fn text(&mut self, raw: &str) {
        let text = decode_entities(raw);
        if self.in_pre {
            self.out.push_str(&text);
            return;
        }
        let collapsed = collapse_whitespace(&text);
        if collapsed.is_empty() {
            return;
        }
        let starts_line = self.out.is_empty() || self.out.ends_with('\n') || self.out.ends_with(' ');
        let collapsed = if starts_line { collapsed.trim_start() } else { &collapsed };
        if self.in_code {
            self.out.push_str(&collapsed.replace('`', "'"));
        } else {
            self.out.push_str(&escape_text(collapsed, self.link.is_some()));
        }
    }

    fn open_list(&mut self, list: List) {
        self.paragraph_break();
        self.lists.push(list);
    }

    fn list_item(&mut self) {
        self.trim_trailing_spaces();
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        let depth = self.lists.len().saturating_sub(1);
        let indent = "  ".repeat(depth);
        let marker = match self.lists.last_mut() {
            Some(List::Numbered(n)) => {
                *n += 1;
                format!("{n}. ")
            }
            _ => "- ".to_string(),
        };
        self.out.push_str(&indent);
        self.out.push_str(&marker);
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
    let marker_len = if content.starts_with("- ") {
        2
    } else {
        content.find(". ").filter(|&i| i > 0 && content[..i].chars().all(|c| c.is_ascii_digit())).map_or(0, |i| i + 2)
    };
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
    fn first_sentence_stops_at_the_first_period() {
        assert_eq!(first_sentence("One thing. Two things.\n\nMore."), "One thing.");
        assert_eq!(first_sentence("No period"), "No period");
    }
}
