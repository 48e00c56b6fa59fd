//! `aws.protocols#awsQuery` and `aws.protocols#ec2Query`: every request is
//! `POST /` with a form-encoded body (`Action=<operation>&Version=<service
//! version>` and the input's members under dotted keys); responses are XML,
//! `<OperationResponse><OperationResult>…` for awsQuery and
//! `<OperationResponse>…` for ec2Query. The two differ in their keys
//! (ec2Query capitalizes names, honours `@ec2QueryName` and always flattens
//! lists) and their errors (`<ErrorResponse><Error>` against
//! `<Response><Errors><Error>`). HTTP binding traits do not apply.

use proc_macro2::TokenStream;
use quote::quote;

use super::{BodyCodec, Protocol};
use crate::emit::http_request::{host_prefix_statement, idempotency_statements};
use crate::emit::http_response::from_response_impl;
use crate::emit::query_serializers::write_members;
use crate::emit::xml_deserializers::read_xml_members;
use crate::ir::{local_name, Model, Operation, Role, Shape, ShapeKind};
use crate::symbols::{ident, Symbols};

/// Which of the two query protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryFlavor {
    AwsQuery,
    Ec2Query,
}

pub struct Query {
    pub flavor: QueryFlavor,
}

pub static AWS_QUERY: Query = Query { flavor: QueryFlavor::AwsQuery };
pub static EC2_QUERY: Query = Query { flavor: QueryFlavor::Ec2Query };

impl Protocol for Query {
    fn trait_id(&self) -> &'static str {
        match self.flavor {
            QueryFlavor::AwsQuery => crate::traits::AWS_QUERY,
            QueryFlavor::Ec2Query => crate::traits::EC2_QUERY,
        }
    }

    fn http_bindings(&self) -> bool {
        false
    }

    fn json_name(&self) -> bool {
        false
    }

    fn runtime(&self) -> TokenStream {
        match self.flavor {
            QueryFlavor::AwsQuery => quote!(::smithy_runtime::protocol::Protocol::AwsQuery),
            QueryFlavor::Ec2Query => quote!(::smithy_runtime::protocol::Protocol::Ec2Query),
        }
    }

    /// Requests are forms, written by `src/query_ser.rs` rather than a document codec.
    fn request_codec(&self) -> Option<BodyCodec> {
        None
    }

    fn form_requests(&self) -> bool {
        true
    }

    fn response_codec(&self) -> BodyCodec {
        BodyCodec::Xml
    }

    fn request(&self, symbols: &Symbols<'_>, op: &Operation) -> TokenStream {
        let model = symbols.model();
        let input = model.shape(&op.input);
        let ShapeKind::Structure(members) = &input.kind else { return TokenStream::new() };
        let ty = ident(&input.rust_name);
        let action = &op.name;
        let version = &model.service.version;
        let (idempotency, input_binding) = idempotency_statements(members);
        let new_form = quote!(::smithy_runtime::protocol::query::QueryForm::new(#action, #version));
        let (form, writes) = if members.is_empty() {
            (quote!(let form = #new_form;), quote!(let _ = &input;))
        } else {
            // The member writes share one `form: &mut QueryForm`, as in `query_ser`.
            let writes = write_members(symbols, members, quote!(input), None);
            (quote!(let mut form = #new_form;), quote! { { let form = &mut form; #writes } })
        };
        let host_prefix = host_prefix_statement(symbols, op, members);
        let request_mut = if host_prefix.is_empty() { quote!() } else { quote!(mut) };
        let docs = format!(" Serializes this input into an HTTP request ({}).", local_name(self.trait_id()));
        quote! {
            impl #ty {
                #[doc = #docs]
                pub(crate) fn into_request(self) -> ::std::result::Result<::smithy_runtime::deps::http::Request<::smithy_runtime::deps::bytes::Bytes>, ::smithy_runtime::protocol::SerializeError> {
                    let #input_binding = self;
                    #idempotency
                    #form
                    #writes
                    let #request_mut request = ::smithy_runtime::protocol::query::request(&form)?;
                    #host_prefix
                    ::std::result::Result::Ok(request)
                }
            }
        }
    }

    fn response(&self, symbols: &Symbols<'_>, shape: &Shape) -> TokenStream {
        let ShapeKind::Structure(members) = &shape.kind else { return TokenStream::new() };
        let protocol = local_name(self.trait_id());
        if members.is_empty() {
            return from_response_impl(symbols, shape, protocol, &[]);
        }
        let query = quote!(::smithy_runtime::protocol::query);
        let reads = read_xml_members(symbols, members, true);
        let statement = match &shape.role {
            Role::Output(op_id) => {
                let Some(op) = symbols.model().operations.iter().find(|op| &op.id == op_id) else { return TokenStream::new() };
                let action = &op.name;
                let wrapping = match self.flavor {
                    QueryFlavor::AwsQuery => quote!(#query::OutputWrapping::ResponseAndResult),
                    QueryFlavor::Ec2Query => quote!(#query::OutputWrapping::Response),
                };
                quote! {
                    if let ::std::option::Option::Some(element) = #query::output_element(response.body(), #action, #wrapping)? {
                        let element = &element;
                        #reads
                    }
                }
            }
            // A modeled error: its members sit beside `Code` and `Message` in `<Error>`.
            _ => quote! {
                let root = ::smithy_runtime::protocol::xml_de::parse_body(response.body())?;
                if let ::std::option::Option::Some(element) = ::smithy_runtime::protocol::xml_errors::error_element(&root) {
                    #reads
                }
            },
        };
        from_response_impl(symbols, shape, protocol, &[statement])
    }

    /// The query protocols name a modeled error by its `@awsQueryError`
    /// code when it has one, else by its shape name.
    fn error_codes(&self, _model: &Model, shape: &Shape) -> Vec<String> {
        match &shape.query_error {
            Some(query) => vec![query.code.clone()],
            None => vec![local_name(&shape.id).to_string()],
        }
    }
}
