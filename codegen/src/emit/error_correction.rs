//! Client error correction (Smithy 2.0): when a response leaves out a member
//! the model marks required, the client fills in the member's zero value
//! instead of failing the call, as the AWS SDKs do. Shared by every
//! protocol's response readers.
//!
//! Zero values: `""`, `0`, `false`, an empty list, map or blob, the epoch,
//! a `null` document, an enum's unknown value (`""`), intEnum `0`, a union's
//! `Unknown`, and a structure corrected member by member.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::structures::build_is_fallible;
use crate::ir::{Member, Role, Shape, ShapeKind, Simple};
use crate::symbols::{ident, Symbols};

/// Statements that set every required member `builder` has not got to its
/// zero value; empty when the shape's `build()` cannot fail.
pub fn correct_missing(symbols: &Symbols<'_>, shape: &Shape) -> TokenStream {
    let mut visiting = BTreeSet::from([shape.id.clone()]);
    corrections(symbols, shape, &mut visiting)
}

fn corrections(symbols: &Symbols<'_>, shape: &Shape, visiting: &mut BTreeSet<String>) -> TokenStream {
    let ShapeKind::Structure(members) = &shape.kind else { return TokenStream::new() };
    if matches!(shape.role, Role::Input(_)) {
        return TokenStream::new();
    }
    // A stream member is always set from the response body itself.
    let fixes = members.iter().filter(|m| !m.optional && m.default_value().is_none() && m.stream.is_none()).map(|m| {
        let get = ident(&crate::naming::getter_name(m));
        let set = ident(&crate::naming::setter_name(m));
        let zero = zero_value(symbols, m, visiting);
        quote! {
            if builder.#get().is_none() {
                builder = builder.#set(::std::option::Option::Some(#zero));
            }
        }
    });
    quote! { #( #fixes )* }
}

/// The zero value of a member's type, as its builder setter takes it (a
/// boxed member's setter takes the value unboxed).
fn zero_value(symbols: &Symbols<'_>, member: &Member, visiting: &mut BTreeSet<String>) -> TokenStream {
    let target = symbols.model().shape(&member.target);
    let ty = symbols.value_type(&member.target);
    match &target.kind {
        ShapeKind::Simple(simple) => match simple {
            Simple::String => quote!(::std::string::String::new()),
            Simple::Boolean => quote!(false),
            Simple::Byte | Simple::Short | Simple::Integer | Simple::Long => quote!(0),
            Simple::Float | Simple::Double => quote!(0.0),
            Simple::BigInteger | Simple::BigDecimal => quote!(#ty::new("0")),
            Simple::Timestamp => quote!(crate::primitives::DateTime::from_secs(0)),
            Simple::Blob => quote!(crate::primitives::Blob::new(::std::vec::Vec::new())),
            Simple::Document => quote!(crate::primitives::Document::Null),
        },
        ShapeKind::Enum(_) => quote!(#ty::from("")),
        ShapeKind::IntEnum(_) => quote!(#ty::from(0)),
        ShapeKind::List { .. } => quote!(::std::vec::Vec::new()),
        ShapeKind::Map { .. } => quote!(::std::collections::HashMap::new()),
        ShapeKind::Union(_) => quote!(#ty::Unknown),
        ShapeKind::Structure(_) => {
            let value = if !build_is_fallible(target) {
                quote!(#ty::builder().build())
            } else if visiting.insert(target.id.clone()) {
                let fixes = corrections(symbols, target, visiting);
                visiting.remove(&target.id);
                let name = crate::naming::unraw(&member.rust_name);
                quote! {
                    {
                        let mut builder = #ty::builder();
                        #fixes
                        builder.build().map_err(|e| ::smithy_runtime::protocol::DeserializeError::new(e.member(), "required member is missing").in_member(#name))?
                    }
                }
            } else {
                // A structure that requires itself has no finite zero value
                // (Smithy rejects such models); report the member as missing.
                let name = crate::naming::unraw(&member.rust_name);
                quote!(return ::std::result::Result::Err(::smithy_runtime::protocol::DeserializeError::new(#name, "required member is missing")))
            };
            value
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::tests::lower_str;

    #[test]
    fn every_missing_required_member_gets_its_zero_value() {
        let model = lower_str(
            r#"{"a#Svc": {"type": "service", "version": "1", "operations": [{"target": "a#Get"}]},
                "a#Get": {"type": "operation", "output": {"target": "a#Out"}},
                "a#Out": {"type": "structure", "members": {
                    "name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                    "count": {"target": "smithy.api#Integer", "traits": {"smithy.api#required": {}}},
                    "when": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#required": {}}},
                    "inner": {"target": "a#Inner", "traits": {"smithy.api#required": {}}},
                    "size": {"target": "a#Size", "traits": {"smithy.api#required": {}}},
                    "on": {"target": "smithy.api#Boolean", "traits": {"smithy.api#required": {}}},
                    "ratio": {"target": "smithy.api#Double", "traits": {"smithy.api#required": {}}},
                    "big": {"target": "smithy.api#BigInteger", "traits": {"smithy.api#required": {}}},
                    "data": {"target": "smithy.api#Blob", "traits": {"smithy.api#required": {}}},
                    "doc": {"target": "smithy.api#Document", "traits": {"smithy.api#required": {}}},
                    "names": {"target": "a#Names", "traits": {"smithy.api#required": {}}},
                    "tags": {"target": "a#Tags", "traits": {"smithy.api#required": {}}},
                    "level": {"target": "a#Level", "traits": {"smithy.api#required": {}}},
                    "choice": {"target": "a#Choice", "traits": {"smithy.api#required": {}}},
                    "note": {"target": "smithy.api#String"},
                    "limit": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 5}}}},
                "a#Inner": {"type": "structure", "members": {
                    "flag": {"target": "smithy.api#Boolean", "traits": {"smithy.api#required": {}}}}},
                "a#Size": {"type": "enum", "members": {"BIG": {"target": "smithy.api#Unit"}}},
                "a#Level": {"type": "intEnum", "members": {"HIGH": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}}},
                "a#Names": {"type": "list", "member": {"target": "smithy.api#String"}},
                "a#Tags": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}},
                "a#Choice": {"type": "union", "members": {"one": {"target": "smithy.api#String"}}}}"#,
        );
        let symbols = Symbols::new(&model);
        let code = correct_missing(&symbols, model.shape("a#Out")).to_string().replace(' ', "");
        assert!(code.contains("builder.get_name().is_none(){builder=builder.set_name(::std::option::Option::Some(::std::string::String::new()));}"), "{code}");
        assert!(code.contains("set_count(::std::option::Option::Some(0))"), "{code}");
        assert!(code.contains("set_when(::std::option::Option::Some(crate::primitives::DateTime::from_secs(0)))"), "{code}");
        assert!(code.contains("letmutbuilder=crate::types::Inner::builder();ifbuilder.get_flag().is_none()"), "{code}");
        assert!(code.contains("set_size(::std::option::Option::Some(crate::types::Size::from(\"\")))"), "{code}");
        for (member, zero) in [
            ("on", "false"),
            ("ratio", "0.0"),
            ("big", "crate::primitives::BigInteger::new(\"0\")"),
            ("data", "crate::primitives::Blob::new(::std::vec::Vec::new())"),
            ("doc", "crate::primitives::Document::Null"),
            ("names", "::std::vec::Vec::new()"),
            ("tags", "::std::collections::HashMap::new()"),
            ("level", "crate::types::Level::from(0)"),
            ("choice", "crate::types::Choice::Unknown"),
        ] {
            let expected = format!("set_{member}(::std::option::Option::Some({zero}))");
            assert!(code.contains(&expected), "{expected} in {code}");
        }
        assert!(!code.contains("note") && !code.contains("limit"), "optional and defaulted members need no correction: {code}");
    }
}
