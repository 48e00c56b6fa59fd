//! The body of a request test: build the input from `params`, serialize it,
//! check the request with `check_request` (see `support`).

use proc_macro2::TokenStream;
use quote::quote;

use super::params::{raw_string, structure_expr, ParamsError};
use crate::ir::Operation;
use crate::protocol_test_cases::HttpRequestTestCase;
use crate::symbols::Symbols;

pub fn request_test_body(symbols: &Symbols<'_>, op: &Operation, case: &HttpRequestTestCase) -> Result<TokenStream, ParamsError> {
    let input_shape = symbols.model().shape(&op.input);
    let input = structure_expr(symbols, input_shape, &case.params, "")?;
    let expected = expected_request(case);
    let has_token = matches!(&input_shape.kind, crate::ir::ShapeKind::Structure(members) if members.iter().any(|m| m.idempotency_token));
    // Protocol tests expect clients to fill idempotency tokens with this fixed value.
    let serialize = if has_token {
        quote! {
            ::smithy_runtime::testing::with_idempotency_token("00000000-0000-4000-8000-000000000000", || input.into_request())
        }
    } else {
        quote!(input.into_request())
    };
    // The call pipeline gzips an `@requestCompression` body before signing;
    // the test runs the same runtime step, with the default settings.
    let compress = op.request_compression.contains(&crate::ir::CompressionEncoding::Gzip).then(|| {
        quote! {
            ::smithy_runtime::compression::compress_request(
                &mut request,
                &::smithy_runtime::compression::RequestCompressionSettings::default(),
            );
        }
    });
    let binding = if compress.is_some() { quote!(let mut request) } else { quote!(let request) };
    // A streamed body built from test bytes is in memory: checked as bytes.
    let buffer = symbols.model().streams(op).then(|| {
        quote! {
            let request = request.map(|body| body.bytes().cloned().unwrap_or_default());
        }
    });
    Ok(quote! {
        let input = #input;
        #binding = #serialize.expect("the input serializes");
        #buffer
        #compress
        check_request(&request, &#expected);
    })
}

/// An `ExpectedRequest { … }` literal naming only what the case checks.
fn expected_request(case: &HttpRequestTestCase) -> TokenStream {
    let method = &case.method;
    let uri = &case.uri;
    let mut fields = vec![quote!(method: #method,), quote!(uri: #uri,)];
    let optional = |name: &str, value: &Option<String>| {
        value.as_ref().map(|value| {
            let field = quote::format_ident!("{}", name);
            let value = raw_string(value);
            quote!(#field: Some(#value),)
        })
    };
    let list = |name: &str, values: &[String]| {
        (!values.is_empty()).then(|| {
            let field = quote::format_ident!("{}", name);
            quote!(#field: &[ #( #values ),* ],)
        })
    };
    fields.extend(optional("host", &case.host));
    fields.extend(optional("resolved_host", &case.resolved_host));
    fields.extend(list("query_params", &case.query_params));
    fields.extend(list("forbid_query_params", &case.forbid_query_params));
    fields.extend(list("require_query_params", &case.require_query_params));
    if !case.headers.is_empty() {
        let pairs = case.headers.iter().map(|(name, value)| quote!((#name, #value)));
        fields.push(quote!(headers: &[ #( #pairs ),* ],));
    }
    fields.extend(list("forbid_headers", &case.forbid_headers));
    fields.extend(list("require_headers", &case.require_headers));
    fields.extend(optional("body", &case.body));
    fields.extend(optional("body_media_type", &case.body_media_type));
    quote! {
        ExpectedRequest {
            #( #fields )*
            ..ExpectedRequest::default()
        }
    }
}
