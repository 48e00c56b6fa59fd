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
use crate::ir::{Operation, Shape};
use crate::symbols::Symbols;

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

    /// Requests are forms, written without the shared serializers.
    fn request_codec(&self) -> Option<BodyCodec> {
        None
    }

    fn response_codec(&self) -> BodyCodec {
        BodyCodec::Xml
    }

    fn runtime(&self) -> TokenStream {
        match self.flavor {
            QueryFlavor::AwsQuery => quote!(::smithy_runtime::protocol::Protocol::AwsQuery),
            QueryFlavor::Ec2Query => quote!(::smithy_runtime::protocol::Protocol::Ec2Query),
        }
    }

    fn request(&self, _symbols: &Symbols<'_>, _op: &Operation) -> TokenStream {
        TokenStream::new()
    }

    fn response(&self, _symbols: &Symbols<'_>, _shape: &Shape) -> TokenStream {
        TokenStream::new()
    }
}
