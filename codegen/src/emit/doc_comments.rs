//! `#[doc]` attributes for generated items: model docs converted to Markdown,
//! constraints and defaults spelled out, and a generated sentence where the
//! model says nothing.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::docs::{code_span, escape_plain, html_to_markdown};
use crate::ir::{Constraints, Member, Shape};
use crate::symbols::Symbols;

/// One `#[doc = " line"]` per line, so prettyplease prints `/// line`.
pub fn doc_attrs(markdown: &str) -> TokenStream {
    let lines = doc_lines(markdown);
    quote! { #( #[doc = #lines] )* }
}

/// Inner `#![doc]` attributes for a module or crate.
pub fn inner_doc_attrs(markdown: &str) -> TokenStream {
    let lines = doc_lines(markdown);
    quote! { #( #![doc = #lines] )* }
}

/// The doc lines of `markdown`. Whatever text reaches here, no line keeps a
/// carriage return (rustdoc rejects a bare CR in a doc comment) or a tab
/// (clippy's `tabs_in_doc_comments`): a CR ends a line and a tab becomes four
/// spaces. Model text that must keep them is escaped before (see
/// [`crate::docs::code_span`]).
fn doc_lines(markdown: &str) -> Vec<Literal> {
    if markdown.contains(['\r', '\t']) {
        let cleaned = markdown.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ");
        cleaned.lines().map(doc_line).collect()
    } else {
        markdown.lines().map(doc_line).collect()
    }
}

/// The string literal of one doc line, with the space `///` is followed by.
/// A raw literal (`r" line"`) when the line allows one: prettyplease prints
/// either kind as `/// line`, and a raw one is much cheaper to build and to
/// parse than an escaped one (docs are a large part of the generated code).
fn doc_line(line: &str) -> Literal {
    let text = if line.is_empty() { String::new() } else { format!(" {line}") };
    if text.contains(['"', '\r']) {
        return Literal::string(&text);
    }
    match format!("r\"{text}\"").parse() {
        Ok(literal) => literal,
        Err(_) => Literal::string(&text),
    }
}

/// Model docs as Markdown, or `fallback` when the model has none.
pub fn model_docs(docs: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    match docs.map(html_to_markdown).filter(|d| !d.trim().is_empty()) {
        Some(markdown) => markdown,
        None => fallback(),
    }
}

/// Docs of a named type (structure, enum, union, error).
pub fn shape_docs(shape: &Shape, fallback: impl FnOnce() -> String) -> String {
    let mut text = model_docs(shape.docs.as_deref(), fallback);
    if let Some(deprecated) = &shape.deprecated {
        text.push_str(&deprecation_note(deprecated));
    }
    text
}

/// Docs of a structure member: model docs, then what a caller needs to know
/// about presence, default and constraints.
pub fn member_docs(symbols: &Symbols<'_>, owner: &Shape, member: &Member) -> String {
    let target = symbols.model().shape(&member.target);
    let docs = member.docs.as_deref().or(target.docs.as_deref().filter(|_| target.rust_name.is_empty()));
    let mut text = model_docs(docs, || format!("The `{}` member of `{}`.", member.name, owner.rust_name));
    let mut facts = Vec::new();
    if member.required {
        facts.push("**Required.**".to_string());
    }
    if let Some(default) = member.default_value() {
        facts.push(format!("**Default:** {}.", code_span(&default.to_string())));
    }
    let constraints = constraint_text(&member.constraints).or_else(|| constraint_text(&target.constraints));
    if let Some(constraints) = constraints {
        facts.push(format!("**Constraints:** {constraints}."));
    }
    if !facts.is_empty() {
        text.push_str("\n\n");
        text.push_str(&facts.join(" "));
    }
    if let Some(usage) = stream_usage(symbols, member) {
        text.push_str("\n\n");
        text.push_str(&usage);
    }
    if let Some(deprecated) = &member.deprecated {
        text.push_str(&deprecation_note(deprecated));
    }
    text
}

/// How a stream member is used, for its docs.
fn stream_usage(symbols: &Symbols<'_>, member: &Member) -> Option<String> {
    let union = &symbols.model().shape(&member.target).rust_name;
    Some(match member.stream? {
        crate::ir::StreamKind::Blob => {
            "A stream of bytes: build it from bytes, a file (`ByteStream::from_path`) or any stream of `Bytes`; read it \
             with `next()`, `collect()` or `into_async_read()`."
                .to_string()
        }
        crate::ir::StreamKind::InputEvents => format!(
            "The events to send, each a [`{union}`](crate::types::{union}): `EventStreamSender::from_stream` or \
             `EventStreamSender::channel`. Each message is signed when the request is."
        ),
        crate::ir::StreamKind::OutputEvents => format!(
            "Call `recv().await` for each event, a [`{union}`](crate::types::{union}); `Ok(None)` once the stream \
             ends; an exception the model lists is `EventStreamError::Service` with a [`{error}`](crate::types::{error}).",
            error = crate::naming::event_stream_error_name(union)
        ),
    })
}

fn deprecation_note(deprecated: &crate::traits::Deprecated) -> String {
    let mut note = "\n\n**Deprecated**".to_string();
    if let Some(since) = &deprecated.since {
        note.push_str(&format!(" since {}", escape_plain(since)));
    }
    if let Some(message) = &deprecated.message {
        note.push_str(&format!(": {}", html_to_markdown(message)));
    } else {
        note.push('.');
    }
    note
}

/// `length 1–128; pattern `^[a-z]+$`` — documented only; never enforced by
/// the client, as Smithy recommends, so the service stays the judge.
pub fn constraint_text(constraints: &Constraints) -> Option<String> {
    if constraints.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(length) = &constraints.length {
        parts.push(format!("length {}", bounds(length.min.map(|n| n.to_string()), length.max.map(|n| n.to_string()))));
    }
    if let Some(range) = &constraints.range {
        parts.push(format!("range {}", bounds(range.min.as_ref().map(ToString::to_string), range.max.as_ref().map(ToString::to_string))));
    }
    if let Some(pattern) = &constraints.pattern {
        parts.push(format!("pattern {}", code_span(pattern)));
    }
    if constraints.unique_items {
        parts.push("items are unique".to_string());
    }
    Some(parts.join("; "))
}

fn bounds(min: Option<String>, max: Option<String>) -> String {
    match (min, max) {
        (Some(min), Some(max)) if min == max => format!("exactly {min}"),
        (Some(min), Some(max)) => format!("{min}–{max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "unbounded".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traits::{Length, Range};

    #[test]
    fn constraints_read_like_prose() {
        let c = Constraints {
            length: Some(Length { min: Some(1), max: Some(128) }),
            range: Some(Range { min: Some(2.into()), max: None }),
            pattern: Some("^[a-z]*$".into()),
            unique_items: false,
        };
        assert_eq!(constraint_text(&c).as_deref(), Some("length 1–128; range at least 2; pattern `^[a-z]*$`"));
        assert_eq!(constraint_text(&Constraints::default()), None);
    }

    #[test]
    fn doc_lines_become_attributes() {
        let tokens = doc_attrs("First.\n\nSecond.").to_string();
        assert_eq!(tokens, "# [doc = r\" First.\"] # [doc = r\"\"] # [doc = r\" Second.\"]");
        let escaped = doc_attrs("Say \"hi\".\ra\\b\tc").to_string();
        // A bare CR ends the line and a tab becomes spaces: neither may reach a doc comment.
        assert_eq!(escaped, "# [doc = \" Say \\\"hi\\\".\"] # [doc = r\" a\\b    c\"]");
        let docs = doc_attrs("A \\ b, \"c\", é.\n\nd");
        let formatted = crate::emit::format::format_rust(quote! { #docs pub struct S; }, "m").expect("formats");
        assert!(formatted.ends_with("/// A \\ b, \"c\", é.\n///\n/// d\npub struct S;\n"), "{formatted}");
    }
}
