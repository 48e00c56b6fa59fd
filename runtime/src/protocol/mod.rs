//! The JSON protocols (restJson1, awsJson1_0, awsJson1_1) and the XML
//! family (restXml, awsQuery, ec2Query): pure helpers that generated
//! serializers and deserializers call, so the generated code stays thin.
//!
//! - [`json_de`] parses a JSON body in one pass into a tree borrowing from
//!   it, and reads typed values out of it, with errors that give the path
//!   (`events[2].errorCode`) and the expected and found JSON types;
//! - [`json_ser`] writes JSON bodies straight into bytes ([`json_ser::JsonWriter`]),
//!   including the values JSON has no direct form for (special floats,
//!   timestamps, blobs, big numbers);
//! - [`http`] handles labels, query strings and headers, one file each, and
//!   assembles the request;
//! - [`error_code`] finds an error response's code (header, `__type` or
//!   `code`) and strips its namespace and suffix;
//! - [`error_metadata`] reads the code, message and request id of an error
//!   response into an [`ErrorMetadata`];
//! - [`aws_json`] builds the `POST /` requests of the awsJson protocols;
//! - [`query`] writes the form bodies of the awsQuery and ec2Query protocols;
//! - [`xml_de`] parses an XML body into a small tree and reads typed values
//!   from it, [`xml_ser`] writes XML bodies (quick-xml does the escaping);
//! - [`xml_errors`] finds the `<Error>` of an XML error response in its
//!   three layouts and reads its metadata.

pub mod aws_json;
pub mod error_code;
pub(crate) mod error_metadata;
mod errors;
pub mod http;
pub mod json_de;
pub mod json_ser;
pub mod query;
pub mod xml_de;
pub mod xml_errors;
pub mod xml_ser;

pub use self::http::HostPrefix;
pub use error_metadata::{
    error_metadata, query_error_code, request_id, ErrorMetadata, ErrorMetadataBuilder,
    ALT_REQUEST_ID_HEADER, QUERY_ERROR_HEADER, REQUEST_ID_HEADER,
};
pub(crate) use errors::{bad_base64, bad_timestamp, body_text};
pub use errors::{DeserializeError, SerializeError};

/// The wire protocol a service speaks, as far as the runtime needs to know
/// it: how an error response names its error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Protocol {
    /// `aws.protocols#restJson1`.
    RestJson1,
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
    /// `aws.protocols#restXml`.
    RestXml,
    /// `aws.protocols#awsQuery`.
    AwsQuery,
    /// `aws.protocols#ec2Query`.
    Ec2Query,
}

impl Protocol {
    /// Reads the metadata of an error response. Never fails. The JSON
    /// protocols share [`error_metadata`], the XML ones
    /// [`xml_errors::xml_error_metadata`]; a `query_compatible` service's
    /// `x-amzn-query-error` header, when present, gives the code
    /// ([`query_error_code`]).
    pub fn error_metadata(
        self,
        query_compatible: bool,
        status: u16,
        headers: &::http::HeaderMap,
        body: &[u8],
    ) -> ErrorMetadata {
        let meta = match self {
            Protocol::RestJson1 | Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
                error_metadata(status, headers, body)
            }
            Protocol::RestXml | Protocol::AwsQuery | Protocol::Ec2Query => {
                xml_errors::xml_error_metadata(status, headers, body)
            }
        };
        match query_error_code(headers).filter(|_| query_compatible) {
            Some(code) => meta.to_builder().code(code).build(),
            None => meta,
        }
    }
}

/// A header map of static pairs, for the tests of the error readers.
#[cfg(test)]
pub(crate) fn test_headers(pairs: &[(&'static str, &'static str)]) -> ::http::HeaderMap {
    let mut map = ::http::HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, ::http::HeaderValue::from_static(value));
    }
    map
}
