//! Scalars in HTTP labels, query strings and headers: how a value becomes
//! text and how text becomes a value. Shared by the request serializer and
//! the response parser.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::json_serializers::timestamp_format_tokens;
use crate::ir::{Member, ShapeKind, Simple};
use crate::symbols::Symbols;
use crate::traits::TimestampFormat;

/// Where a scalar travels; decides the default timestamp format.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Label,
    Query,
    Header,
}

fn default_format(location: Location) -> TimestampFormat {
    match location {
        Location::Header => TimestampFormat::HttpDate,
        Location::Label | Location::Query => TimestampFormat::DateTime,
    }
}

/// The timestamp format of a member's target in `location`.
pub fn member_format(symbols: &Symbols<'_>, member: &Member, target: &str, location: Location) -> TimestampFormat {
    member
        .timestamp_format
        .or(symbols.model().shape(target).timestamp_format)
        .unwrap_or(default_format(location))
}

/// A scalar as text: a new `String`, or a `&str` borrowed from the value
/// (strings and enums), so no copy is made where none is needed.
pub enum Text {
    Owned(TokenStream),
    Borrowed(TokenStream),
}

impl Text {
    /// A `&str` expression.
    pub fn as_str(&self) -> TokenStream {
        match self {
            Text::Owned(expr) => quote!(&#expr),
            Text::Borrowed(expr) => expr.clone(),
        }
    }

    /// The expression itself: a `String` or a `&str` (both `AsRef<str>`).
    pub fn value(&self) -> TokenStream {
        match self {
            Text::Owned(expr) | Text::Borrowed(expr) => expr.clone(),
        }
    }
}

/// The text of `value: &T` (the Rust type of `target`) in `location`.
pub fn to_text(symbols: &Symbols<'_>, target: &str, value: TokenStream, format: TimestampFormat, location: Location) -> Text {
    let shape = symbols.model().shape(target);
    let b = quote!(::smithy_runtime::protocol::http);
    match &shape.kind {
        ShapeKind::Simple(Simple::String) => {
            if location == Location::Header && shape.media_type.is_some() {
                Text::Owned(quote!(#b::base64_header(#value)))
            } else {
                Text::Borrowed(quote!(#value.as_str()))
            }
        }
        ShapeKind::Simple(Simple::Timestamp) => {
            let format = timestamp_format_tokens(format);
            Text::Owned(quote!(#b::timestamp_text(#value, #format)))
        }
        ShapeKind::Simple(Simple::Float) => Text::Owned(quote!(#b::f32_text(*#value))),
        ShapeKind::Simple(Simple::Double) => Text::Owned(quote!(#b::f64_text(*#value))),
        ShapeKind::Simple(Simple::Blob) => Text::Owned(quote!(::smithy_runtime::primitives::base64_encode(#value.as_ref()))),
        ShapeKind::Enum(_) => Text::Borrowed(quote!(#value.as_str())),
        ShapeKind::IntEnum(_) => Text::Owned(quote!(#value.as_i32().to_string())),
        _ => Text::Owned(quote!(#value.to_string())),
    }
}

/// A `Result<T, DeserializeError>` expression parsing `text: &str` from a
/// header named `header`.
pub fn from_header_text(symbols: &Symbols<'_>, target: &str, text: TokenStream, header: &str, format: TimestampFormat) -> TokenStream {
    let shape = symbols.model().shape(target);
    let b = quote!(::smithy_runtime::protocol::http);
    let ok = |expr: TokenStream| quote!(::std::result::Result::<_, ::smithy_runtime::protocol::DeserializeError>::Ok(#expr));
    match &shape.kind {
        ShapeKind::Simple(Simple::String) => {
            if shape.media_type.is_some() {
                quote!(#b::parse_base64_header(#text).map_err(|e| e.in_member(#header)))
            } else {
                ok(quote!(#text.to_string()))
            }
        }
        ShapeKind::Simple(Simple::Boolean) => quote!(#b::parse_header_bool(#text, #header)),
        ShapeKind::Simple(Simple::Byte) => quote!(#b::parse_header_i8(#text, #header)),
        ShapeKind::Simple(Simple::Short) => quote!(#b::parse_header_i16(#text, #header)),
        ShapeKind::Simple(Simple::Integer) => quote!(#b::parse_header_i32(#text, #header)),
        ShapeKind::Simple(Simple::Long) => quote!(#b::parse_header_i64(#text, #header)),
        ShapeKind::Simple(Simple::Float) => quote!(#b::parse_header_f32(#text, #header)),
        ShapeKind::Simple(Simple::Double) => quote!(#b::parse_header_f64(#text, #header)),
        ShapeKind::Simple(Simple::Timestamp) => {
            let format = timestamp_format_tokens(format);
            quote!(#b::parse_header_timestamp(#text, #header, #format))
        }
        ShapeKind::Enum(_) => {
            let ty = symbols.value_type(target);
            ok(quote!(#ty::from(#text)))
        }
        ShapeKind::IntEnum(_) => {
            let ty = symbols.value_type(target);
            quote!(#b::parse_header_i32(#text, #header).map(#ty::from))
        }
        ShapeKind::Simple(Simple::Blob) => {
            quote!(#b::parse_header_blob(#text, #header))
        }
        _ => ok(quote!(#text.to_string())),
    }
}
