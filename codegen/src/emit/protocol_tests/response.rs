//! The bodies of response and error tests: build the response, parse it,
//! compare every member of the result with the value built from `params`.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::operation_item;
use super::params::{raw_string, structure_expr, ParamsError};
use crate::ir::{Operation, Shape, ShapeKind, Simple};
use crate::protocol_test_cases::HttpResponseTestCase;
use crate::symbols::{ident, Symbols};

pub fn response_test_body(symbols: &Symbols<'_>, op: &Operation, case: &HttpResponseTestCase) -> Result<TokenStream, ParamsError> {
    let output = symbols.model().shape(&op.output);
    let ty = symbols.type_path(output);
    let response = response_expr(case);
    // An output holding a stream takes the response whole, its body a `ByteStream`.
    let (response, argument) = if symbols.holds_stream(output) {
        (quote!(#response.map(crate::primitives::ByteStream::from)), quote!(response))
    } else {
        (response, quote!(&response))
    };
    match member_checks(symbols, output, &case.params, &quote!(output))? {
        Some(checks) => Ok(quote! {
            let response = #response;
            let output = #ty::from_response(#argument).expect("the response parses");
            #checks
        }),
        None => Ok(quote! {
            let response = #response;
            #ty::from_response(#argument).expect("the response parses");
        }),
    }
}

pub fn error_test_body(
    symbols: &Symbols<'_>,
    op: &Operation,
    error: &Shape,
    case: &HttpResponseTestCase,
) -> Result<TokenStream, ParamsError> {
    let enum_ty = operation_item(op, &op.rust_error_name);
    let variant = ident(&crate::naming::error_variant_name(&error.rust_name));
    let wrong_variant = format!("expected the `{}` variant, got {{error:?}}", error.rust_name);
    let response = response_expr(case);
    let checks = member_checks(symbols, error, &case.params, &quote!(error))?;
    let binding = if checks.is_some() { quote!(error) } else { quote!(_) };
    // The protocol reads the error's metadata (code, message) as the client does.
    let runtime = crate::protocols::for_model(symbols.model()).map_or_else(|| quote!(::smithy_runtime::protocol::Protocol::RestJson1), |p| p.runtime());
    let query_compatible = symbols.model().service.query_compatible;
    Ok(quote! {
        let response = #response;
        let meta = #runtime.error_metadata(#query_compatible, response.status().as_u16(), response.headers(), response.body());
        let error = #enum_ty::parse_error(&response, meta).expect("the error response parses");
        let #enum_ty::#variant(#binding) = error else {
            panic!(#wrong_variant);
        };
        #checks
    })
}

/// `response(code, &[(name, value), …], body)`.
fn response_expr(case: &HttpResponseTestCase) -> TokenStream {
    let code = proc_macro2::Literal::u16_unsuffixed(case.code);
    let headers = case.headers.iter().map(|(name, value)| quote!((#name, #value)));
    let body = raw_string(case.body.as_deref().unwrap_or(""));
    quote!(response(#code, &[ #( #headers ),* ], #body))
}

/// `let expected = …;` and one assertion per member of `shape` on `actual`
/// (`None` for a shape without members); a member whose expected value is
/// `NaN` is checked with `is_nan()`.
fn member_checks(
    symbols: &Symbols<'_>,
    shape: &Shape,
    params: &Value,
    actual: &TokenStream,
) -> Result<Option<TokenStream>, ParamsError> {
    let ShapeKind::Structure(members) = &shape.kind else {
        return Err(ParamsError { path: String::new(), reason: format!("`{}` is not a structure", shape.id) });
    };
    let expected = structure_expr(symbols, shape, params, "")?;
    if members.is_empty() {
        return Ok(None);
    }
    let mut uses_expected = false;
    let checks: Vec<TokenStream> = members
        .iter()
        .map(|m| {
            let field = ident(&m.rust_name);
            let label = format!("member `{}`", m.name);
            let float = match symbols.model().shape(&m.target).kind {
                ShapeKind::Simple(Simple::Float) => Some(quote!(f32)),
                ShapeKind::Simple(Simple::Double) => Some(quote!(f64)),
                _ => None,
            };
            let is_nan = params.get(&m.name).and_then(Value::as_str) == Some("NaN");
            let target = symbols.model().shape(&m.target);
            if target.streaming && matches!(target.kind, ShapeKind::Simple(Simple::Blob)) {
                // Streams compare by their bytes; an empty body and none are the same on the wire.
                uses_expected = true;
                let bytes = |value: TokenStream| {
                    if m.optional {
                        quote!(#value.#field.as_ref().and_then(|body| body.bytes()).cloned().unwrap_or_default())
                    } else {
                        quote!(#value.#field.bytes().cloned().unwrap_or_default())
                    }
                };
                let (actual_bytes, expected_bytes) = (bytes(actual.clone()), bytes(quote!(expected)));
                return quote!(assert_eq!(#actual_bytes, #expected_bytes, #label););
            }
            match float.filter(|_| is_nan) {
                Some(ty) if m.optional => {
                    let message = format!("{label}: expected NaN, got {{:?}}");
                    quote!(assert!(#actual.#field.is_some_and(#ty::is_nan), #message, #actual.#field);)
                }
                Some(_) => {
                    let message = format!("{label}: expected NaN, got {{:?}}");
                    quote!(assert!(#actual.#field.is_nan(), #message, #actual.#field);)
                }
                None => {
                    uses_expected = true;
                    quote!(assert_eq!(#actual.#field, expected.#field, #label);)
                }
            }
        })
        .collect();
    if !uses_expected {
        return Ok(Some(quote! { #( #checks )* }));
    }
    Ok(Some(quote! {
        let expected = #expected;
        #( #checks )*
    }))
}
