//! A test case's `params` (JSON, in the shape of the model) as Rust
//! expressions that build the same value with the generated types: one
//! function per IR kind, names and paths from the symbol table.
//!
//! Conventions of the protocol-test `params` format: timestamps are epoch
//! seconds, blobs are the text of their bytes, floats may be the strings
//! `"NaN"`, `"Infinity"` and `"-Infinity"`, and `null` is an absent member
//! (or a `None` item in a sparse list or map).
//!
//! The expressions live in the test module of the generated crate, which
//! imports nothing that shadows the prelude, so they use the short names
//! (`Some`, `String`, `Vec`, `Box`) and `HashMap` (imported) to stay readable.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::structures::build_is_fallible;
use crate::ir::{Member, Shape, ShapeKind, Simple};
use crate::symbols::{ident, Symbols};

/// Why a value could not be turned into an expression, with the JSON path
/// of the value (`nested.items[2]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsError {
    pub path: String,
    pub reason: String,
}

impl std::fmt::Display for ParamsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "params: {}", self.reason)
        } else {
            write!(f, "params `{}`: {}", self.path, self.reason)
        }
    }
}

type Result<T> = std::result::Result<T, ParamsError>;

fn error(path: &str, reason: impl Into<String>) -> ParamsError {
    ParamsError { path: path.to_string(), reason: reason.into() }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// An expression of the structure `shape` (built with its builder) from a
/// JSON object of member values keyed by member name.
pub fn structure_expr(symbols: &Symbols<'_>, shape: &Shape, value: &Value, path: &str) -> Result<TokenStream> {
    let ShapeKind::Structure(members) = &shape.kind else {
        return Err(error(path, format!("`{}` is not a structure", shape.id)));
    };
    let empty = serde_json::Map::new();
    let object = match value {
        Value::Object(object) => object,
        Value::Null => &empty,
        other => return Err(error(path, format!("expected an object for `{}`, found {}", shape.id, json_type(other)))),
    };
    let ty = symbols.type_path(shape);
    let mut setters = Vec::new();
    for (key, item) in object {
        let Some(member) = members.iter().find(|m| &m.name == key) else {
            return Err(error(&child(path, key), format!("`{}` has no member `{key}`", shape.id)));
        };
        if item.is_null() && !is_document(symbols, member) {
            continue;
        }
        let set = ident(&crate::naming::setter_name(member));
        let expr = member_value_expr(symbols, member, item, &child(path, key))?;
        setters.push(quote!(.#set(Some(#expr))));
    }
    let build = if build_is_fallible(shape) {
        let message = format!("`{}` builds from the params", shape.rust_name);
        quote!(.build().expect(#message))
    } else {
        quote!(.build())
    };
    Ok(quote!(#ty::builder() #( #setters )* #build))
}

fn is_document(symbols: &Symbols<'_>, member: &Member) -> bool {
    matches!(symbols.model().shape(&member.target).kind, ShapeKind::Simple(Simple::Document))
}

/// The value of a member, unboxed (builders and union variants box it).
fn member_value_expr(symbols: &Symbols<'_>, member: &Member, value: &Value, path: &str) -> Result<TokenStream> {
    value_expr(symbols, &member.target, value, path)
}

/// An expression of the Rust type of `target` (see `Symbols::value_type`).
pub fn value_expr(symbols: &Symbols<'_>, target: &str, value: &Value, path: &str) -> Result<TokenStream> {
    let shape = symbols.model().shape(target);
    match &shape.kind {
        ShapeKind::Simple(Simple::Blob) if shape.streaming => {
            let blob = simple_expr(Simple::Blob, value, path)?;
            Ok(quote!(crate::primitives::ByteStream::from(#blob.into_inner())))
        }
        ShapeKind::Simple(simple) => simple_expr(*simple, value, path),
        ShapeKind::Enum(_) => {
            let text = expect_str(value, path, "an enum value")?;
            let ty = symbols.type_path(shape);
            Ok(quote!(#ty::from(#text)))
        }
        ShapeKind::IntEnum(_) => {
            let n = value.as_i64().and_then(|n| i32::try_from(n).ok());
            let n = n.ok_or_else(|| error(path, format!("expected an intEnum value (i32), found {value}")))?;
            let ty = symbols.type_path(shape);
            let n = Literal::i32_suffixed(n);
            Ok(quote!(#ty::from(#n)))
        }
        ShapeKind::List { member, .. } => list_expr(symbols, member, value, path),
        ShapeKind::Map { key, value: map_value, .. } => map_expr(symbols, key, map_value, value, path),
        ShapeKind::Structure(_) => structure_expr(symbols, shape, value, path),
        ShapeKind::Union(members) => union_expr(symbols, shape, members, value, path),
    }
}

/// A list item or map value: wrapped in `Some` (or `None` for `null`) in
/// sparse collections.
fn element_expr(symbols: &Symbols<'_>, member: &Member, value: &Value, path: &str) -> Result<TokenStream> {
    if member.optional {
        if value.is_null() {
            return Ok(quote!(None));
        }
        let expr = value_expr(symbols, &member.target, value, path)?;
        Ok(quote!(Some(#expr)))
    } else if value.is_null() {
        Err(error(path, "null in a list or map that is not @sparse"))
    } else {
        value_expr(symbols, &member.target, value, path)
    }
}

fn list_expr(symbols: &Symbols<'_>, member: &Member, value: &Value, path: &str) -> Result<TokenStream> {
    let Value::Array(items) = value else {
        return Err(error(path, format!("expected an array, found {}", json_type(value))));
    };
    let items = items
        .iter()
        .enumerate()
        .map(|(index, item)| element_expr(symbols, member, item, &format!("{path}[{index}]")))
        .collect::<Result<Vec<_>>>()?;
    if items.is_empty() {
        let ty = symbols.value_type(&member.target);
        let item_ty = if member.optional { quote!(Option<#ty>) } else { ty };
        return Ok(quote!(Vec::<#item_ty>::new()));
    }
    Ok(quote!(Vec::from([ #( #items ),* ])))
}

fn map_expr(symbols: &Symbols<'_>, key: &Member, map_value: &Member, value: &Value, path: &str) -> Result<TokenStream> {
    let Value::Object(entries) = value else {
        return Err(error(path, format!("expected an object (map), found {}", json_type(value))));
    };
    let entries = entries
        .iter()
        .map(|(k, v)| {
            let entry_path = child(path, k);
            let key_expr = value_expr(symbols, &key.target, &Value::String(k.clone()), &entry_path)?;
            let value_expr = element_expr(symbols, map_value, v, &entry_path)?;
            Ok(quote!((#key_expr, #value_expr)))
        })
        .collect::<Result<Vec<_>>>()?;
    if entries.is_empty() {
        let key_ty = symbols.value_type(&key.target);
        let ty = symbols.value_type(&map_value.target);
        let value_ty = if map_value.optional { quote!(Option<#ty>) } else { ty };
        return Ok(quote!(HashMap::<#key_ty, #value_ty>::new()));
    }
    Ok(quote!(HashMap::from([ #( #entries ),* ])))
}

fn union_expr(symbols: &Symbols<'_>, shape: &Shape, members: &[Member], value: &Value, path: &str) -> Result<TokenStream> {
    let Value::Object(object) = value else {
        return Err(error(path, format!("expected an object for union `{}`, found {}", shape.id, json_type(value))));
    };
    let mut set = object.iter().filter(|(_, v)| !v.is_null());
    let (Some((key, item)), None) = (set.next(), set.next()) else {
        return Err(error(path, format!("a value of union `{}` must set exactly one member", shape.id)));
    };
    let Some(member) = members.iter().find(|m| &m.name == key) else {
        return Err(error(&child(path, key), format!("union `{}` has no member `{key}`", shape.id)));
    };
    let ty = symbols.type_path(shape);
    let variant = ident(&member.rust_name);
    if symbols.model().shape(&member.target).unit {
        return Ok(quote!(#ty::#variant));
    }
    let expr = member_value_expr(symbols, member, item, &child(path, key))?;
    if member.boxed {
        Ok(quote!(#ty::#variant(Box::new(#expr))))
    } else {
        Ok(quote!(#ty::#variant(#expr)))
    }
}

fn simple_expr(simple: Simple, value: &Value, path: &str) -> Result<TokenStream> {
    let integer = |what: &str| value.as_i64().ok_or_else(|| error(path, format!("expected {what}, found {value}")));
    let out_of_range = |n: i64, what: &str| error(path, format!("{n} does not fit in {what}"));
    Ok(match simple {
        Simple::String => {
            let text = expect_str(value, path, "a string")?;
            quote!(String::from(#text))
        }
        Simple::Boolean => {
            let b = value.as_bool().ok_or_else(|| error(path, format!("expected a boolean, found {value}")))?;
            quote!(#b)
        }
        Simple::Byte => {
            let n = integer("a byte")?;
            i8::try_from(n).map_err(|_| out_of_range(n, "a byte"))?;
            int_literal(n, "i8")
        }
        Simple::Short => {
            let n = integer("a short")?;
            i16::try_from(n).map_err(|_| out_of_range(n, "a short"))?;
            int_literal(n, "i16")
        }
        Simple::Integer => {
            let n = integer("an integer")?;
            i32::try_from(n).map_err(|_| out_of_range(n, "an integer"))?;
            int_literal(n, "i32")
        }
        Simple::Long => int_literal(integer("a long")?, "i64"),
        Simple::Float => float_expr(value, path, FloatWidth::F32)?,
        Simple::Double => float_expr(value, path, FloatWidth::F64)?,
        Simple::Timestamp => {
            let secs = value.as_f64().ok_or_else(|| error(path, format!("expected epoch seconds, found {value}")))?;
            let secs = float_literal(secs, FloatWidth::F64);
            quote!(crate::primitives::DateTime::from_secs_f64(#secs))
        }
        Simple::Blob => {
            let text = expect_str(value, path, "the text of a blob")?;
            let bytes = Literal::byte_string(text.as_bytes());
            quote!(crate::primitives::Blob::new(#bytes.to_vec()))
        }
        Simple::Document => {
            let json = value.to_string();
            let text = raw_string(&json);
            quote! {
                crate::primitives::Document::from(
                    ::smithy_runtime::deps::serde_json::from_str::<::smithy_runtime::deps::serde_json::Value>(#text)
                        .expect("the document is valid JSON"),
                )
            }
        }
        Simple::BigInteger | Simple::BigDecimal => {
            let text = match value {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                other => return Err(error(path, format!("expected a number, found {}", json_type(other)))),
            };
            let ty = if simple == Simple::BigInteger { quote!(BigInteger) } else { quote!(BigDecimal) };
            quote!(crate::primitives::#ty::new(#text))
        }
    })
}

/// An integer literal with its type suffix; a negative number is written
/// `-N` (a literal token cannot carry the sign), which also covers `MIN`.
fn int_literal(n: i64, suffix: &str) -> TokenStream {
    let magnitude = match format!("{}{suffix}", n.unsigned_abs()).parse::<Literal>() {
        Ok(literal) => literal,
        Err(_) => unreachable!("digits followed by an integer suffix are a literal"),
    };
    if n < 0 {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FloatWidth {
    F32,
    F64,
}

fn float_expr(value: &Value, path: &str, width: FloatWidth) -> Result<TokenStream> {
    let ty = match width {
        FloatWidth::F32 => quote!(f32),
        FloatWidth::F64 => quote!(f64),
    };
    match value {
        Value::String(s) if s == "NaN" => Ok(quote!(#ty::NAN)),
        Value::String(s) if s == "Infinity" => Ok(quote!(#ty::INFINITY)),
        Value::String(s) if s == "-Infinity" => Ok(quote!(#ty::NEG_INFINITY)),
        Value::Number(n) => {
            let n = n.as_f64().ok_or_else(|| error(path, format!("{n} is not a float")))?;
            Ok(float_literal(n, width))
        }
        other => Err(error(path, format!("expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found {other}"))),
    }
}

/// A finite float as a suffixed literal (`-` in front for negatives).
fn float_literal(n: f64, width: FloatWidth) -> TokenStream {
    let magnitude = match width {
        FloatWidth::F32 => Literal::f32_suffixed(n.abs() as f32),
        FloatWidth::F64 => Literal::f64_suffixed(n.abs()),
    };
    if n.is_sign_negative() {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    }
}

fn expect_str<'v>(value: &'v Value, path: &str, what: &str) -> Result<&'v str> {
    value.as_str().ok_or_else(|| error(path, format!("expected {what}, found {}", json_type(value))))
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A string literal for test data, raw (`r#"…"#`) when that reads better
/// than escapes (quotes or backslashes inside, no control characters).
pub fn raw_string(text: &str) -> Literal {
    let readable = (text.contains('"') || text.contains('\\')) && !text.chars().any(|c| c.is_control() && c != '\n');
    if readable {
        let mut hashes = "#".to_string();
        while text.contains(&format!("\"{hashes}")) {
            hashes.push('#');
        }
        if let Ok(literal) = format!("r{hashes}\"{text}\"{hashes}").parse::<Literal>() {
            return literal;
        }
    }
    Literal::string(text)
}
