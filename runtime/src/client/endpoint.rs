//! Turning a resolved [`Endpoint`] into what each request needs: the URI to
//! send to (the endpoint's base path joined with the request's path and
//! query, an optional host prefix in front of the host), extra headers, and
//! the SigV4 scope from the endpoint's `authSchemes`.

use std::collections::VecDeque;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use http::uri::{Authority, PathAndQuery, Scheme};
use http::{HeaderMap, HeaderName, HeaderValue, Uri};

use super::config::redact_userinfo;
use super::error::EndpointError;
use crate::auth::sigv4::UriEncoding;
use crate::endpoint::{Endpoint, EndpointParams, Value};

/// The property of an endpoint that lists its auth schemes.
const AUTH_SCHEMES: &str = "authSchemes";

/// An endpoint checked and split once, reused by every call of a client.
#[derive(Debug, Clone)]
pub(crate) struct PreparedEndpoint {
    scheme: Scheme,
    authority: Authority,
    /// The URL's path without its trailing `/`: `""` or `/base`.
    base_path: String,
    /// The URL for messages.
    display: String,
    headers: HeaderMap,
    signing: SigningOverrides,
}

/// What the endpoint's `sigv4` auth scheme says about signing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SigningOverrides {
    /// `signingRegion`, replacing the configured region.
    pub(crate) region: Option<String>,
    /// `signingName`, replacing the service's signing name.
    pub(crate) name: Option<String>,
    /// `disableDoubleEncoding: true` asks for single path encoding.
    pub(crate) disable_double_encoding: bool,
}

impl SigningOverrides {
    /// The path encoding to sign with.
    pub(crate) fn uri_encoding(&self) -> UriEncoding {
        if self.disable_double_encoding {
            UriEncoding::Single
        } else {
            UriEncoding::Double
        }
    }
}

impl PreparedEndpoint {
    /// Checks `endpoint` and splits its URL.
    pub(crate) fn new(endpoint: &Endpoint) -> Result<Self, EndpointError> {
        let display = redact_userinfo(&endpoint.url);
        let invalid = |why: &str| {
            EndpointError::new(
                format!("endpoint URL `{display}` cannot be used: {why}"),
                None,
            )
        };
        let uri = Uri::from_str(&endpoint.url)
            .map_err(|e| invalid(&format!("it is not a valid URI ({e})")))?;
        let scheme = match uri.scheme() {
            Some(scheme) if *scheme == Scheme::HTTP || *scheme == Scheme::HTTPS => scheme.clone(),
            Some(other) => return Err(invalid(&format!("scheme `{other}` is not http or https"))),
            None => return Err(invalid("it has no scheme (expected http:// or https://)")),
        };
        let authority = match uri.authority() {
            Some(authority) if !authority.host().is_empty() => authority.clone(),
            _ => return Err(invalid("it has no host")),
        };
        if authority.as_str().contains('@') {
            return Err(invalid("it holds user information (`user@`)"));
        }
        if uri.query().is_some() {
            return Err(invalid("it has a query string"));
        }
        let base_path = uri.path().trim_end_matches('/').to_owned();
        let headers = endpoint_headers(endpoint, &display)?;
        let signing = signing_overrides(endpoint, &display)?;
        Ok(PreparedEndpoint {
            scheme,
            authority,
            base_path,
            display,
            headers,
            signing,
        })
    }

    /// The endpoint URL, for messages.
    pub(crate) fn display(&self) -> &str {
        &self.display
    }

    /// Headers the endpoint asks every request to carry.
    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The signing scope the endpoint asks for.
    pub(crate) fn signing(&self) -> &SigningOverrides {
        &self.signing
    }

    /// The URI for a request whose URI is `request_uri` (normally just a
    /// path and query, such as `/ListStages?x=1`): the endpoint's scheme and
    /// host, `host_prefix` in front of the host, the endpoint's base path,
    /// then the request's path and query.
    pub(crate) fn request_uri(
        &self,
        request_uri: &Uri,
        host_prefix: Option<&str>,
    ) -> Result<Uri, EndpointError> {
        let path_and_query = request_uri
            .path_and_query()
            .map(PathAndQuery::as_str)
            .unwrap_or("/");
        let path_and_query = if path_and_query.starts_with('/') {
            path_and_query
        } else if path_and_query.is_empty() {
            "/"
        } else {
            // `*` or similar: not something an operation produces.
            return Err(EndpointError::new(
                format!("request path `{path_and_query}` does not start with `/`"),
                None,
            ));
        };
        let authority = match host_prefix {
            None | Some("") => self.authority.clone(),
            Some(prefix) => prefixed_authority(prefix, &self.authority)?,
        };
        let full = if self.base_path.is_empty() {
            PathAndQuery::from_str(path_and_query)
        } else {
            PathAndQuery::from_str(&format!("{}{}", self.base_path, path_and_query))
        }
        .map_err(|e| {
            EndpointError::new(
                format!(
                    "request path `{path_and_query}` cannot be joined onto endpoint `{}`: {e}",
                    self.display
                ),
                None,
            )
        })?;
        Uri::builder()
            .scheme(self.scheme.clone())
            .authority(authority)
            .path_and_query(full)
            .build()
            .map_err(|e| {
                EndpointError::new(
                    format!(
                        "cannot build the request URI from endpoint `{}`: {e}",
                        self.display
                    ),
                    None,
                )
            })
    }
}

/// How many endpoints resolved from operation parameters a client keeps.
pub(crate) const ENDPOINT_CACHE_CAPACITY: usize = 64;

/// Endpoints resolved for operations whose inputs feed the endpoint rules
/// (an S3 bucket, a DynamoDB table), keyed by the operation's parameters;
/// the client's own parameters are the same for every entry. The least
/// recently used entry goes when the cache is full. A lookup is a scan of
/// at most [`ENDPOINT_CACHE_CAPACITY`] small parameter lists under a lock
/// held for nothing else, far cheaper than evaluating the rules again.
#[derive(Debug)]
pub(crate) struct ParamsCache<T> {
    capacity: usize,
    /// Most recently used last.
    entries: Mutex<VecDeque<(EndpointParams, Arc<T>)>>,
}

impl<T> ParamsCache<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        ParamsCache {
            capacity,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, VecDeque<(EndpointParams, Arc<T>)>> {
        // A panic elsewhere while the lock was held cannot leave the deque
        // half-changed (every change is one call), so a poisoned lock is used.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The value kept for `params`, marked as just used.
    pub(crate) fn get(&self, params: &EndpointParams) -> Option<Arc<T>> {
        let mut entries = self.entries();
        let at = entries.iter().position(|(key, _)| key == params)?;
        let entry = entries.remove(at)?;
        let value = Arc::clone(&entry.1);
        entries.push_back(entry);
        Some(value)
    }

    /// Keeps `value` for `params`, dropping the least recently used entry
    /// when full.
    pub(crate) fn insert(&self, params: EndpointParams, value: Arc<T>) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries();
        if let Some(at) = entries.iter().position(|(key, _)| *key == params) {
            entries.remove(at);
        }
        while entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back((params, value));
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries().len()
    }
}

/// `prefix` in front of the host of `authority`, checked to form a valid
/// host name.
fn prefixed_authority(prefix: &str, authority: &Authority) -> Result<Authority, EndpointError> {
    let host = authority.host();
    let labels_ok = prefix.trim_end_matches('.').split('.').all(is_host_label);
    if !labels_ok || host.starts_with('[') {
        return Err(EndpointError::new(
            format!(
                "host prefix `{prefix}` cannot be put in front of host `{host}`: \
                 it must be dot-separated labels of letters, digits and `-`, \
                 and the host must be a name"
            ),
            None,
        ));
    }
    let separator = if prefix.ends_with('.') { "" } else { "." };
    let text = match authority.port_u16() {
        Some(port) => format!("{prefix}{separator}{host}:{port}"),
        None => format!("{prefix}{separator}{host}"),
    };
    Authority::from_str(&text).map_err(|e| {
        EndpointError::new(
            format!("host prefix `{prefix}` gives an invalid host `{text}`: {e}"),
            None,
        )
    })
}

/// A DNS label: 1 to 63 letters, digits and `-`, not starting with `-`.
fn is_host_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn endpoint_headers(endpoint: &Endpoint, display: &str) -> Result<HeaderMap, EndpointError> {
    let mut headers = HeaderMap::new();
    for (name, values) in &endpoint.headers {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            EndpointError::new(
                format!("endpoint `{display}` asks for a header with the invalid name `{name}`"),
                None,
            )
        })?;
        for value in values {
            let value = HeaderValue::from_str(value).map_err(|_| {
                EndpointError::new(
                    format!("endpoint `{display}` asks for header `{name}` with an invalid value"),
                    None,
                )
            })?;
            headers.append(header.clone(), value);
        }
    }
    Ok(headers)
}

/// Reads the `sigv4` entry of the `authSchemes` property. No property, or an
/// empty list, means "sign as configured"; a list without `sigv4` is an
/// error, since SigV4 is the only scheme this client signs with.
fn signing_overrides(
    endpoint: &Endpoint,
    display: &str,
) -> Result<SigningOverrides, EndpointError> {
    let schemes = match endpoint.properties.get(AUTH_SCHEMES) {
        None => return Ok(SigningOverrides::default()),
        Some(Value::Array(schemes)) => schemes,
        Some(other) => {
            return Err(EndpointError::new(
                format!(
                "endpoint `{display}` has an `{AUTH_SCHEMES}` property that is a {}, not an array",
                other.type_name()
            ),
                None,
            ))
        }
    };
    if schemes.is_empty() {
        return Ok(SigningOverrides::default());
    }
    let name_of = |scheme: &Value| {
        scheme
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let Some(sigv4) = schemes
        .iter()
        .find(|scheme| name_of(scheme).as_deref() == Some("sigv4"))
    else {
        let names: Vec<String> = schemes
            .iter()
            .map(|scheme| name_of(scheme).unwrap_or_else(|| "(unnamed)".to_owned()))
            .collect();
        return Err(EndpointError::new(
            format!(
                "endpoint `{display}` allows only the auth schemes [{}]; this client signs with sigv4 only",
                names.join(", ")
            ),
            None,
        ));
    };
    let text = |key: &str| -> Result<Option<String>, EndpointError> {
        match sigv4.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(other) => Err(EndpointError::new(
                format!(
                    "endpoint `{display}`: sigv4 `{key}` is a {}, not a string",
                    other.type_name()
                ),
                None,
            )),
        }
    };
    Ok(SigningOverrides {
        region: text("signingRegion")?,
        name: text("signingName")?,
        disable_double_encoding: sigv4
            .get("disableDoubleEncoding")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn endpoint(url: &str) -> Endpoint {
        Endpoint {
            url: url.to_owned(),
            headers: BTreeMap::new(),
            properties: BTreeMap::new(),
        }
    }

    fn join(url: &str, request: &str, prefix: Option<&str>) -> Result<String, String> {
        let prepared = PreparedEndpoint::new(&endpoint(url)).map_err(|e| e.to_string())?;
        let request: Uri = request.parse().map_err(|e| format!("{e}"))?;
        prepared
            .request_uri(&request, prefix)
            .map(|uri| uri.to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn joins_base_path_with_request_path_and_query() {
        let ok = |url, req| join(url, req, None).unwrap();
        assert_eq!(
            ok("https://h.example.com", "/CreateStage"),
            "https://h.example.com/CreateStage"
        );
        assert_eq!(
            ok("https://h.example.com/", "/CreateStage"),
            "https://h.example.com/CreateStage"
        );
        assert_eq!(
            ok("http://127.0.0.1:9000/base", "/Stage?a=1&b=2"),
            "http://127.0.0.1:9000/base/Stage?a=1&b=2"
        );
        assert_eq!(
            ok("http://127.0.0.1:9000/base/", "/Stage"),
            "http://127.0.0.1:9000/base/Stage"
        );
        assert_eq!(ok("http://h/a/b", "/"), "http://h/a/b/");
        assert_eq!(ok("http://h", "/x%2Fy"), "http://h/x%2Fy");
    }

    #[test]
    fn host_prefix_goes_in_front_of_the_host() {
        assert_eq!(
            join(
                "https://ivsrealtime.us-west-2.amazonaws.com",
                "/Op",
                Some("data.")
            )
            .unwrap(),
            "https://data.ivsrealtime.us-west-2.amazonaws.com/Op"
        );
        assert_eq!(
            join("http://localhost:8080/base", "/Op", Some("abc-1")).unwrap(),
            "http://abc-1.localhost:8080/base/Op"
        );
        let err = join("https://h.example.com", "/Op", Some("bad label.")).unwrap_err();
        assert!(err.contains("host prefix `bad label.`"), "{err}");
        let err = join("http://[::1]:80", "/Op", Some("p.")).unwrap_err();
        assert!(err.contains("must be a name"), "{err}");
    }

    #[test]
    fn unusable_urls_are_errors_that_name_the_url() {
        for (url, why) in [
            ("not a url", "not a valid URI"),
            ("ftp://h.example.com", "scheme `ftp`"),
            ("/just/a/path", "no scheme"),
            ("https://u:p@h.example.com", "user information"),
            ("https://h.example.com/?x=1", "query string"),
        ] {
            let err = join(url, "/Op", None).unwrap_err();
            assert!(err.contains(why), "{url}: {err}");
            assert!(!err.contains("u:p@"), "{err}");
        }
    }

    fn with_schemes(schemes: Value) -> Endpoint {
        let mut e = endpoint("https://h.example.com");
        e.properties.insert(AUTH_SCHEMES.to_owned(), schemes);
        e
    }

    fn object(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn auth_schemes_pick_sigv4() {
        let e = with_schemes(Value::Array(vec![
            object(&[
                ("name", Value::from("sigv4a")),
                ("signingName", Value::from("other")),
            ]),
            object(&[
                ("name", Value::from("sigv4")),
                ("signingName", Value::from("ivs")),
                ("signingRegion", Value::from("us-gov-west-1")),
                ("disableDoubleEncoding", Value::Bool(true)),
            ]),
        ]));
        let signing = PreparedEndpoint::new(&e).unwrap().signing().clone();
        assert_eq!(signing.region.as_deref(), Some("us-gov-west-1"));
        assert_eq!(signing.name.as_deref(), Some("ivs"));
        assert_eq!(signing.uri_encoding(), UriEncoding::Single);
        let none = PreparedEndpoint::new(&endpoint("https://h")).unwrap();
        assert_eq!(none.signing(), &SigningOverrides::default());
        assert_eq!(none.signing().uri_encoding(), UriEncoding::Double);
    }

    #[test]
    fn auth_schemes_without_sigv4_are_an_error() {
        let e = with_schemes(Value::Array(vec![object(&[(
            "name",
            Value::from("sigv4a"),
        )])]));
        let err = PreparedEndpoint::new(&e).unwrap_err().to_string();
        assert!(
            err.contains("[sigv4a]") && err.contains("sigv4 only"),
            "{err}"
        );
        let e = with_schemes(Value::from("sigv4"));
        let err = PreparedEndpoint::new(&e).unwrap_err().to_string();
        assert!(err.contains("not an array"), "{err}");
        let e = with_schemes(Value::Array(vec![object(&[
            ("name", Value::from("sigv4")),
            ("signingRegion", Value::Bool(true)),
        ])]));
        let err = PreparedEndpoint::new(&e).unwrap_err().to_string();
        assert!(
            err.contains("signingRegion") && err.contains("not a string"),
            "{err}"
        );
    }

    #[test]
    fn params_cache_keeps_the_most_recently_used() {
        let cache = ParamsCache::new(2);
        let key = |bucket: &str| EndpointParams::new().set_str("Bucket", bucket);
        assert!(cache.get(&key("a")).is_none());
        cache.insert(key("a"), Arc::new("A"));
        cache.insert(key("b"), Arc::new("B"));
        assert_eq!(cache.get(&key("a")).as_deref(), Some(&"A"), "a is now the most recent");
        cache.insert(key("c"), Arc::new("C"));
        assert!(cache.get(&key("b")).is_none(), "b was the least recently used");
        assert_eq!(cache.get(&key("a")).as_deref(), Some(&"A"));
        assert_eq!(cache.get(&key("c")).as_deref(), Some(&"C"));
        cache.insert(key("c"), Arc::new("C2"));
        assert_eq!(cache.len(), 2, "replacing a key does not grow the cache");
        assert_eq!(cache.get(&key("c")).as_deref(), Some(&"C2"));
        assert!(
            cache.get(&EndpointParams::new().set_bool("Bucket", true)).is_none(),
            "keys compare by value type too"
        );
        let none = ParamsCache::new(0);
        none.insert(key("a"), Arc::new("A"));
        assert!(none.get(&key("a")).is_none());
    }

    #[test]
    fn endpoint_headers_are_checked() {
        let mut e = endpoint("https://h");
        e.headers
            .insert("x-extra".to_owned(), vec!["a".to_owned(), "b".to_owned()]);
        let prepared = PreparedEndpoint::new(&e).unwrap();
        let values: Vec<_> = prepared.headers().get_all("x-extra").iter().collect();
        assert_eq!(values, ["a", "b"]);
        e.headers.insert("bad name".to_owned(), vec![]);
        assert!(PreparedEndpoint::new(&e).is_err());
    }
}
