//! The fixed block of checks at the end of `src/protocol_tests.rs`: what a
//! request test expects, how a request is compared with it, how a test
//! response is built and how JSON bodies are compared. Written literally so
//! the generated file reads like the output.

use proc_macro2::TokenStream;
use quote::quote;

pub fn support_items() -> TokenStream {
    quote! {
        /// What a request test expects, as the model writes it; an empty list
        /// or `None` is not checked.
        #[derive(Default)]
        struct ExpectedRequest {
            method: &'static str,
            /// The path (anything after `?` is ignored; `query_params` checks the query).
            uri: &'static str,
            /// The endpoint the client was given; a path in it prefixes the request path.
            host: ::std::option::Option<&'static str>,
            /// The host the request must go to (host prefix + endpoint host).
            resolved_host: ::std::option::Option<&'static str>,
            /// `key=value` pairs, as encoded on the wire, that must all be present.
            query_params: &'static [&'static str],
            forbid_query_params: &'static [&'static str],
            require_query_params: &'static [&'static str],
            headers: &'static [(&'static str, &'static str)],
            forbid_headers: &'static [&'static str],
            require_headers: &'static [&'static str],
            body: ::std::option::Option<&'static str>,
            body_media_type: ::std::option::Option<&'static str>,
        }

        /// Checks a serialized request against what its test case expects.
        fn check_request(request: &Request<Bytes>, expected: &ExpectedRequest) {
            assert_eq!(request.method().as_str(), expected.method, "method");

            let (host, base_path) = match expected.host {
                Some(host) => match host.split_once('/') {
                    Some((host, path)) => (host, format!("/{}", path.trim_end_matches('/'))),
                    None => (host, String::new()),
                },
                None => ("", String::new()),
            };
            let expected_path = expected.uri.split('?').next().unwrap_or(expected.uri);
            assert_eq!(format!("{base_path}{}", request.uri().path()), expected_path, "path");
            if let Some(resolved_host) = expected.resolved_host {
                let prefix = request.extensions().get::<HostPrefix>().map_or("", |prefix| prefix.0.as_str());
                assert_eq!(format!("{prefix}{host}"), resolved_host, "host (HostPrefix extension + endpoint host)");
            }

            let query = request.uri().query().unwrap_or("");
            let params: Vec<&str> = query.split('&').filter(|param| !param.is_empty()).collect();
            let key = |param: &str| param.split('=').next().unwrap_or(param).to_string();
            let mut unmatched = params.clone();
            for param in expected.query_params {
                match unmatched.iter().position(|actual| actual == param) {
                    Some(index) => {
                        unmatched.remove(index);
                    }
                    None => panic!("query parameter `{param}` is missing; the query is `{query}`"),
                }
            }
            for name in expected.forbid_query_params {
                assert!(!params.iter().any(|param| key(param) == *name), "query parameter `{name}` is forbidden; the query is `{query}`");
            }
            for name in expected.require_query_params {
                assert!(params.iter().any(|param| key(param) == *name), "query parameter `{name}` is required; the query is `{query}`");
            }

            for (name, value) in expected.headers {
                let values: Vec<String> = request
                    .headers()
                    .get_all(*name)
                    .iter()
                    .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                    .collect();
                assert!(!values.is_empty(), "header `{name}` is missing; the headers are {:?}", request.headers());
                assert_eq!(values.join(", "), *value, "header `{name}`");
            }
            for name in expected.forbid_headers {
                assert!(!request.headers().contains_key(*name), "header `{name}` is forbidden");
            }
            for name in expected.require_headers {
                assert!(request.headers().contains_key(*name), "header `{name}` is required");
            }

            if let Some(body) = expected.body {
                check_body(request.body(), body, expected.body_media_type);
            }
        }

        /// JSON bodies are compared as JSON values; anything else byte for byte.
        fn check_body(actual: &[u8], expected: &str, media_type: Option<&str>) {
            let is_json = media_type.is_some_and(|media_type| media_type == "application/json" || media_type.ends_with("+json"));
            if is_json && !expected.is_empty() {
                let expected: Value = serde_json::from_str(expected).expect("the expected body is JSON");
                let actual: Value = serde_json::from_slice(actual)
                    .unwrap_or_else(|e| panic!("the body is not JSON ({e}): {:?}", String::from_utf8_lossy(actual)));
                assert!(json_eq(&actual, &expected), "JSON body differs\n  actual:   {actual}\n  expected: {expected}");
            } else {
                assert!(
                    actual == expected.as_bytes(),
                    "body differs\n  actual:   {:?}\n  expected: {expected:?}",
                    String::from_utf8_lossy(actual)
                );
            }
        }

        /// JSON equality where numbers compare by value (`1` equals `1.0`).
        fn json_eq(actual: &Value, expected: &Value) -> bool {
            match (actual, expected) {
                (Value::Number(a), Value::Number(b)) => a == b || a.as_f64() == b.as_f64(),
                (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| json_eq(a, b)),
                (Value::Object(a), Value::Object(b)) => {
                    a.len() == b.len() && a.iter().all(|(key, a)| b.get(key).is_some_and(|b| json_eq(a, b)))
                }
                (a, b) => a == b,
            }
        }

        /// The response a response test describes.
        fn response(status: u16, headers: &[(&str, &str)], body: &'static str) -> Response<Bytes> {
            let mut builder = Response::builder().status(status);
            for (name, value) in headers {
                builder = builder.header(*name, *value);
            }
            builder.body(Bytes::from_static(body.as_bytes())).expect("the test response is valid")
        }
    }
}
