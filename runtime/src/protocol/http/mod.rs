//! The HTTP parts of a request and response that are not the body, one file
//! per binding, as generated serializers and deserializers use them:
//!
//! - `label`: `@httpLabel` path segments ([`label`]) and `@hostLabel` host
//!   labels ([`host_label`]);
//! - `query`: the query string ([`QueryWriter`]);
//! - `header`: `@httpHeader` and `@httpPrefixHeaders` values, lists written
//!   ([`header_list`]) and split ([`split_header_list`]), scalars read from a
//!   response ([`header_field`], `parse_header_*`) and set on a request
//!   ([`insert_header`]);
//! - `text`: the text of a timestamp or float bound to any of the three
//!   ([`timestamp_text`], [`f32_text`], [`f64_text`]);
//! - `request`: assembling the request ([`build_request`]) with its
//!   [`HostPrefix`], `@idempotencyToken` values ([`idempotency_token`]) and,
//!   with the `content-md5` feature, `set_content_md5`.
//!
//! Every function is re-exported here, so generated code names it
//! `smithy_runtime::protocol::http::label` whichever file holds it.

mod header;
mod label;
mod query;
mod request;
mod text;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

pub use header::{
    base64_header, header_field, header_list, header_string, header_text, insert_header,
    parse_base64_header, parse_header_blob, parse_header_bool, parse_header_f32, parse_header_f64,
    parse_header_i16, parse_header_i32, parse_header_i64, parse_header_i8, parse_header_timestamp,
    split_header_list, split_http_date_list,
};
pub use label::{host_label, label};
pub use query::QueryWriter;
#[cfg(feature = "content-md5")]
pub use request::set_content_md5;
pub use request::{build_request, build_streaming_request, idempotency_token, HostPrefix};
pub use text::{f32_text, f64_text, timestamp_text};

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`
/// is percent-encoded (non-ASCII as UTF-8 bytes), in labels and in the query.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

/// The message of an expected error, for the tests of every binding.
#[cfg(test)]
fn error<T: std::fmt::Debug, E: std::fmt::Display>(result: Result<T, E>) -> String {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(err) => err.to_string(),
    }
}
