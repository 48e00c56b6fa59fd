//! JSON serializers for shapes sent in request bodies (`src/json_ser.rs` of
//! the generated crate): one function per structure, union, list and map,
//! each writing its value to the runtime's `protocol::json_ser::JsonWriter`
//! (which also writes the scalars).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::aggregates::{aggregate_functions, shapes_needing_ser, with_member_item, AggregateEmitters};
use crate::ir::{Member, Shape, ShapeKind, Simple};
use crate::protocols::BodyCodec;
use crate::symbols::{ident, Symbols};
use crate::traits::TimestampFormat;

/// The name of the serializer function of an aggregate shape, e.g. `ser_stage`.
pub fn ser_fn(shape: &Shape) -> proc_macro2::Ident {
    format_ident!("ser_{}", crate::naming::shape_fn_suffix(shape))
}

/// A statement writing `value: &T`, where `T` is the Rust type of `target`,
/// to the `JsonWriter` named `out`. Aggregates call their serializer with
/// `?`, so the statement belongs in a function returning
/// `Result<_, SerializeError>`.
pub fn write_value(symbols: &Symbols<'_>, target: &str, value: TokenStream, format: Option<TimestampFormat>) -> TokenStream {
    let shape = symbols.model().shape(target);
    match &shape.kind {
        ShapeKind::Simple(simple) => match simple {
            Simple::String => quote!(out.string(#value);),
            Simple::Boolean => quote!(out.boolean(*#value);),
            Simple::Byte | Simple::Short | Simple::Integer => quote!(out.integer(::std::primitive::i64::from(*#value));),
            Simple::Long => quote!(out.integer(*#value);),
            Simple::Float => quote!(out.f32(*#value);),
            Simple::Double => quote!(out.f64(*#value);),
            Simple::Timestamp => {
                let format = timestamp_format_tokens(format.or(shape.timestamp_format).unwrap_or(TimestampFormat::EpochSeconds));
                quote!(out.timestamp(#value, #format);)
            }
            Simple::Blob => quote!(out.blob(#value);),
            Simple::Document => quote!(out.document(#value);),
            Simple::BigInteger => quote!(out.big_integer(#value);),
            Simple::BigDecimal => quote!(out.big_decimal(#value);),
        },
        ShapeKind::Enum(_) => quote!(out.string(#value.as_str());),
        ShapeKind::IntEnum(_) => quote!(out.integer(::std::primitive::i64::from(#value.as_i32()));),
        _ => {
            let function = ser_fn(shape);
            quote!(crate::json_ser::#function(out, #value)?;)
        }
    }
}

/// The path of the runtime's JSON writer.
pub fn json_writer() -> TokenStream {
    quote!(::smithy_runtime::protocol::json_ser::JsonWriter)
}

/// A block writing one JSON document to a new `JsonWriter` with
/// `statements` (which write to `out`), evaluating to its bytes.
pub fn json_document(statements: TokenStream) -> TokenStream {
    let writer = json_writer();
    quote! {
        {
            let mut writer = #writer::new();
            let out = &mut writer;
            #statements
            writer.finish()
        }
    }
}

pub fn timestamp_format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(::smithy_runtime::DateTimeFormat::DateTime),
        TimestampFormat::HttpDate => quote!(::smithy_runtime::DateTimeFormat::HttpDate),
        TimestampFormat::EpochSeconds => quote!(::smithy_runtime::DateTimeFormat::EpochSeconds),
    }
}

/// The JSON key of a member (`@jsonName` or the member name).
pub fn json_key(member: &Member) -> &str {
    member.json_name.as_deref().unwrap_or(&member.name)
}

/// Statements that write a structure as a JSON object to `out`, its set
/// members in model order. `value` names the structure value; with
/// `only_body` (operation inputs) members bound to HTTP headers, labels,
/// query or payload are skipped.
pub fn write_object(symbols: &Symbols<'_>, members: &[Member], value: TokenStream, only_body: bool) -> TokenStream {
    let writes = members.iter().filter(|m| !only_body || m.http == crate::ir::HttpBinding::Body).map(|m| {
        let key = json_key(m);
        // A boxed (recursive) member's `&Box<T>` derefs to the `&T` its serializer takes.
        let write = write_value(symbols, &m.target, quote!(item), m.timestamp_format);
        with_member_item(m, &value, quote! { out.key(#key); #write })
    });
    quote! {
        out.begin_object();
        #( #writes )*
        out.end_object();
    }
}

/// The signature of the serializer of `ty`.
fn signature(function: &proc_macro2::Ident, ty: &TokenStream) -> TokenStream {
    let writer = json_writer();
    quote! {
        pub(crate) fn #function(out: &mut #writer, value: &#ty) -> ::std::result::Result<(), ::smithy_runtime::protocol::SerializeError>
    }
}

fn structure_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let function = ser_fn(shape);
    let signature = signature(&function, &symbols.type_path(shape));
    let writes = write_object(symbols, members, quote!(value), false);
    let unused = if members.is_empty() { quote!(let _ = value;) } else { quote!() };
    quote! {
        #signature {
            #unused
            #writes
            ::std::result::Result::Ok(())
        }
    }
}

fn union_fn(symbols: &Symbols<'_>, shape: &Shape, members: &[Member]) -> TokenStream {
    let function = ser_fn(shape);
    let ty = symbols.type_path(shape);
    let type_name = &shape.rust_name;
    let arms = members.iter().map(|m| {
        let variant = ident(&m.rust_name);
        let key = json_key(m);
        if symbols.model().shape(&m.target).unit {
            quote! { #ty::#variant => { out.key(#key); out.begin_object(); out.end_object(); } }
        } else {
            let write = write_value(symbols, &m.target, quote!(item), m.timestamp_format);
            quote! { #ty::#variant(item) => { out.key(#key); #write } }
        }
    });
    let message = format!("cannot send {type_name}::Unknown: it stands for a member this crate does not know");
    let signature = signature(&function, &ty);
    quote! {
        #signature {
            out.begin_object();
            match value {
                #( #arms )*
                #ty::Unknown => return ::std::result::Result::Err(::smithy_runtime::protocol::SerializeError::new(#message)),
            }
            out.end_object();
            ::std::result::Result::Ok(())
        }
    }
}

/// Writes a list item or map value named `item`; `null` for `None` in sparse collections.
fn write_element(symbols: &Symbols<'_>, member: &Member) -> TokenStream {
    let write = write_value(symbols, &member.target, quote!(item), member.timestamp_format);
    if member.optional {
        quote! {
            match item {
                ::std::option::Option::Some(item) => { #write }
                ::std::option::Option::None => out.null(),
            }
        }
    } else {
        write
    }
}

fn list_fn(symbols: &Symbols<'_>, shape: &Shape, member: &Member) -> TokenStream {
    let function = ser_fn(shape);
    let signature = signature(&function, &symbols.value_type(&shape.id));
    let each = write_element(symbols, member);
    quote! {
        #signature {
            out.begin_array();
            for item in value {
                #each
            }
            out.end_array();
            ::std::result::Result::Ok(())
        }
    }
}

fn map_fn(symbols: &Symbols<'_>, shape: &Shape, key: &Member, value_member: &Member) -> TokenStream {
    let function = ser_fn(shape);
    let signature = signature(&function, &symbols.value_type(&shape.id));
    let key_text = match &symbols.model().shape(&key.target).kind {
        ShapeKind::Enum(_) => quote!(key.as_str()),
        _ => quote!(key),
    };
    let each = write_element(symbols, value_member);
    quote! {
        #signature {
            out.begin_object();
            for (key, item) in value {
                out.key(#key_text);
                #each
            }
            out.end_object();
            ::std::result::Result::Ok(())
        }
    }
}

/// `src/json_ser.rs`.
pub fn json_ser_module(symbols: &Symbols<'_>) -> TokenStream {
    let emitters = AggregateEmitters { structure: structure_fn, union: union_fn, list: list_fn, map: map_fn };
    let functions = aggregate_functions(symbols, shapes_needing_ser(symbols.model(), BodyCodec::Json), &emitters);
    quote! {
        //! JSON serializers for shapes sent in request bodies.

        #( #functions )*
    }
}
