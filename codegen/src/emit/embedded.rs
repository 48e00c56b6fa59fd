//! The embedded output mode: a client written as a module tree inside
//! another crate (the runtime's STS, SSO and SSO-OIDC clients under
//! `runtime/src/auth/credentials/clients/`) instead of a crate of its own.
//!
//! Emitters always write crate-relative paths (`crate::types::Tag`) and
//! reach the runtime as `::smithy_runtime`. For an embedded client every
//! file's tokens pass once through [`rewrite`] before formatting:
//!
//! * `crate::` gains the module path (`crate::auth::credentials::clients::sts::`),
//!   in code and in intra-doc links (`[`Tag`](crate::types::Tag)`);
//! * the `serde` feature's derives and impls are dropped: the host crate
//!   has no `serde_derive`, and its own `serde` feature means something else.
//!
//! `::smithy_runtime` paths are left alone: the runtime names itself with
//! `extern crate self as smithy_runtime;`. The files move from `src/` to
//! the module's directory, `lib.rs` becoming `mod.rs` (see [`file_path`]).

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// Where an embedded client's files go, relative to its module directory:
/// `src/lib.rs` → `mod.rs`, `src/x/y.rs` → `x/y.rs`; `None` for what a
/// module has no use for (`Cargo.toml`, `README.md`, `examples/`).
pub fn file_path(crate_path: &str) -> Option<String> {
    match crate_path.strip_prefix("src/")? {
        "lib.rs" => Some("mod.rs".to_string()),
        rest => Some(rest.to_string()),
    }
}

/// The module path as a list of identifiers: `auth::credentials::clients::sts`.
pub fn module_segments(module_path: &str) -> Vec<String> {
    module_path.split("::").map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Rewrites one file's tokens for a client embedded at `module` (its
/// segments, from [`module_segments`]).
pub fn rewrite(tokens: TokenStream, module: &[String]) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    // Set after a dropped `#[cfg(feature = "serde")]`: the item it gated is
    // skipped up to its end (`;` or its body's braces).
    let mut skipping_item = false;
    while let Some(tree) = iter.next() {
        if skipping_item {
            match &tree {
                TokenTree::Punct(p) if p.as_char() == ';' => skipping_item = false,
                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                    skipping_item = false;
                    // `impl X { … };` never happens; a struct `{ … }` ends here too.
                }
                _ => {}
            }
            continue;
        }
        match tree {
            TokenTree::Punct(ref p) if p.as_char() == '#' => {
                let Some(TokenTree::Group(attr)) = iter.peek() else {
                    out.push(tree);
                    continue;
                };
                if attr.delimiter() != Delimiter::Bracket {
                    out.push(tree);
                    continue;
                }
                let attr = attr.clone();
                iter.next();
                match serde_gate(&attr.stream()) {
                    Some(SerdeGate::Attribute) => {}
                    Some(SerdeGate::Item) => {
                        drop_trailing_attributes(&mut out);
                        skipping_item = true;
                    }
                    None => {
                        out.push(tree);
                        out.push(TokenTree::Group(rewrite_group(&attr, module)));
                    }
                }
            }
            TokenTree::Ident(ref ident) if ident == "crate" && starts_with_path_separator(&mut iter) => {
                out.push(tree);
                for segment in module {
                    out.extend(path_separator());
                    out.push(TokenTree::Ident(Ident::new(segment, Span::call_site())));
                }
            }
            TokenTree::Group(group) => out.push(TokenTree::Group(rewrite_group(&group, module))),
            TokenTree::Literal(literal) => out.push(TokenTree::Literal(rewrite_doc_literal(literal, module))),
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

fn rewrite_group(group: &Group, module: &[String]) -> Group {
    let mut rewritten = Group::new(group.delimiter(), rewrite(group.stream(), module));
    rewritten.set_span(group.span());
    rewritten
}

fn path_separator() -> [TokenTree; 2] {
    [TokenTree::Punct(Punct::new(':', Spacing::Joint)), TokenTree::Punct(Punct::new(':', Spacing::Alone))]
}

/// Whether the next two tokens are `::` (peeked, not consumed).
fn starts_with_path_separator(iter: &mut std::iter::Peekable<proc_macro2::token_stream::IntoIter>) -> bool {
    matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
}

/// Removes the attributes (`#` and `[…]` pairs) at the end of `out`: those
/// of an item being dropped, such as its doc comment.
fn drop_trailing_attributes(out: &mut Vec<TokenTree>) {
    while out.len() >= 2 {
        let is_attribute = matches!(&out[out.len() - 1], TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket)
            && matches!(&out[out.len() - 2], TokenTree::Punct(p) if p.as_char() == '#');
        if !is_attribute {
            break;
        }
        out.truncate(out.len() - 2);
    }
}

enum SerdeGate {
    /// `#[cfg_attr(feature = "serde", …)]`: drop the attribute.
    Attribute,
    /// `#[cfg(feature = "serde")]`: drop the item.
    Item,
}

/// Whether an attribute's contents are gated on the `serde` feature.
fn serde_gate(attr: &TokenStream) -> Option<SerdeGate> {
    let mut trees = attr.clone().into_iter();
    let kind = match trees.next()? {
        TokenTree::Ident(name) if name == "cfg_attr" => SerdeGate::Attribute,
        TokenTree::Ident(name) if name == "cfg" => SerdeGate::Item,
        _ => return None,
    };
    let TokenTree::Group(args) = trees.next()? else { return None };
    let text: String = args.stream().into_iter().take(3).map(|t| t.to_string()).collect();
    (text == "feature=\"serde\"").then_some(kind)
}

/// A string literal with `crate::` paths in intra-doc links rewritten; any
/// other literal unchanged. Only doc text holds such links: generated code
/// never spells a path in a string otherwise.
fn rewrite_doc_literal(literal: Literal, module: &[String]) -> Literal {
    let text = literal.to_string();
    if !(text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#")) || !text.contains("crate::") {
        return literal;
    }
    let prefix = format!("crate::{}::", module.join("::"));
    let mut rewritten = String::with_capacity(text.len() + prefix.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = &rest[..at];
        let joined = before.chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_');
        rewritten.push_str(before);
        rewritten.push_str(if joined { "crate::" } else { &prefix });
        rest = &rest[at + "crate::".len()..];
    }
    rewritten.push_str(rest);
    match rewritten.parse::<Literal>() {
        Ok(mut parsed) => {
            parsed.set_span(literal.span());
            parsed
        }
        Err(_) => literal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn rewritten(tokens: TokenStream) -> String {
        let module = module_segments("auth::credentials::clients::sts");
        crate::emit::format::format_rust(rewrite(tokens, &module), "m").expect("formats")
    }

    #[test]
    fn crate_paths_gain_the_module_path_in_code_and_doc_links() {
        let text = rewritten(quote! {
            use crate::types::{Tag, Credentials};
            /// See [`Tag`](crate::types::Tag); the runtime's [`SdkError`](smithy_runtime::client::SdkError).
            pub(crate) fn f(x: crate::types::Tag) -> ::smithy_runtime::Blob { crate::g(x) }
        });
        assert!(text.contains("use crate::auth::credentials::clients::sts::types::{Tag, Credentials};"), "{text}");
        assert!(text.contains("(crate::auth::credentials::clients::sts::types::Tag)"), "{text}");
        assert!(text.contains("(smithy_runtime::client::SdkError)"), "{text}");
        assert!(text.contains("    x: crate::auth::credentials::clients::sts::types::Tag,\n"), "{text}");
        assert!(text.contains("-> ::smithy_runtime::Blob"), "{text}");
        assert!(text.contains("crate::auth::credentials::clients::sts::g(x)"), "{text}");
    }

    #[test]
    fn serde_derives_and_impls_are_dropped_with_their_docs() {
        let text = rewritten(quote! {
            /// A.
            #[derive(Debug)]
            #[cfg_attr(feature = "serde", derive(::serde::Serialize))]
            pub struct A {
                #[cfg_attr(feature = "serde", serde(rename = "X"))]
                pub x: u8,
            }
            /// With the `serde` feature: the wire value.
            #[cfg(feature = "serde")]
            impl ::serde::Serialize for A { fn f() {} }
            /// B.
            pub struct B;
        });
        assert!(!text.contains("serde"), "{text}");
        assert!(text.contains("/// A.\n#[derive(Debug)]\npub struct A {\n    pub x: u8,\n}"), "{text}");
        assert!(text.contains("}\n\n/// B.\npub struct B;"), "{text}");
    }

    #[test]
    fn files_move_out_of_src_and_lib_rs_becomes_mod_rs() {
        assert_eq!(file_path("src/lib.rs").as_deref(), Some("mod.rs"));
        assert_eq!(file_path("src/types/tag.rs").as_deref(), Some("types/tag.rs"));
        assert_eq!(file_path("src/endpoint_rules.json").as_deref(), Some("endpoint_rules.json"));
        assert_eq!(file_path("Cargo.toml"), None);
        assert_eq!(file_path("examples/list.rs"), None);
    }
}
