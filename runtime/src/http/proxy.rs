//! Which requests go through an HTTP proxy: [`ProxyConfig`], from code or
//! from the usual variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
//! `NO_PROXY`), and the `CONNECT` tunnel for `https` targets.
//! [`HyperClient`](super::HyperClient) sends `http` requests to the proxy in
//! absolute form and `https` ones through the tunnel, TLS to the target
//! inside it.
//!
//! Written here rather than taken from hyper-util's `client-proxy` feature,
//! which would add base64 and ipnet to every client's build for what is a
//! few dozen lines: the `NO_PROXY` rules and one `CONNECT` exchange.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use ::http::{HeaderValue, Uri};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::config::environment::Environment;

/// Where requests are proxied: by target scheme, with hosts that bypass
/// the proxy. The default sends everything directly.
///
/// A proxy URL may carry user information (`http://user:pass@proxy:3128`),
/// sent as `Proxy-Authorization: Basic …`; `Debug` never shows it.
///
/// ```
/// use smithy_runtime::http::ProxyConfig;
///
/// let proxy = ProxyConfig::builder()
///     .https("http://proxy.internal:3128")
///     .no_proxy("localhost,.corp.example.com")
///     .build();
/// assert!(proxy.is_enabled());
/// assert_eq!(
///     proxy.proxy_for(&"https://s3.us-east-1.amazonaws.com/".parse().unwrap()).as_deref(),
///     Some("http://proxy.internal:3128/")
/// );
/// assert_eq!(proxy.proxy_for(&"https://git.corp.example.com/".parse().unwrap()), None);
/// assert_eq!(proxy.proxy_for(&"http://example.com/".parse().unwrap()), None, "no http proxy");
/// ```
#[derive(Clone, Default)]
pub struct ProxyConfig {
    http: Option<Arc<Proxy>>,
    https: Option<Arc<Proxy>>,
    no_proxy: Arc<NoProxy>,
    /// The variables or settings it came from, for `Debug`.
    sources: Vec<&'static str>,
}

/// One proxy: where to connect, and its credentials.
#[derive(Debug)]
pub(crate) struct Proxy {
    /// `http://host:port/`.
    pub(crate) uri: Uri,
    /// `Basic …` from the URL's user information.
    pub(crate) authorization: Option<HeaderValue>,
}

impl Proxy {
    /// An `http://[user[:password]@]host[:port]` URL (the scheme may be
    /// left out; the port defaults to 80), or why not.
    fn parse(url: &str) -> Result<Proxy, String> {
        let rest = match url.split_once("://") {
            Some(("http", rest)) => rest,
            Some((scheme, _)) => return Err(format!("`{scheme}` proxies are not supported (only `http`)")),
            None => url,
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host_port)) => (Some(userinfo), host_port),
            None => (None, authority),
        };
        let uri: Uri = format!("http://{host_port}/").parse().map_err(|_| "not a URL".to_owned())?;
        if uri.host().is_none_or(str::is_empty) {
            return Err("no host".to_owned());
        }
        let authorization = userinfo.map(|userinfo| {
            let decoded = percent_encoding::percent_decode_str(userinfo).decode_utf8_lossy();
            let credentials = if decoded.contains(':') { decoded.into_owned() } else { format!("{decoded}:") };
            let mut value = HeaderValue::try_from(format!(
                "Basic {}",
                crate::primitives::base64_encode(credentials.as_bytes())
            ))
            .unwrap_or_else(|_| HeaderValue::from_static(""));
            value.set_sensitive(true);
            value
        });
        Ok(Proxy { uri, authorization })
    }
}

impl ProxyConfig {
    /// No proxy: every request goes directly to its host.
    pub fn disabled() -> Self {
        ProxyConfig::default()
    }

    /// A builder with nothing set.
    pub fn builder() -> ProxyConfigBuilder {
        ProxyConfigBuilder::default()
    }

    /// The proxy the usual variables name: `HTTPS_PROXY` (or
    /// `https_proxy`) for `https` targets, `HTTP_PROXY` (or `http_proxy`)
    /// for `http` ones, `ALL_PROXY` (or `all_proxy`) for both when the
    /// scheme's own is unset, and `NO_PROXY` (or `no_proxy`): a
    /// comma-separated list of hosts, domains (`.example.com`), IP
    /// addresses or ranges, or `*`, reached directly.
    pub fn from_environment(env: &Environment) -> Self {
        let var = |upper: &'static str, lower: &'static str| {
            env.non_empty_var(upper)
                .map(|value| (upper, value))
                .or_else(|| env.non_empty_var(lower).map(|value| (lower, value)))
        };
        let mut builder = ProxyConfig::builder();
        if let Some((name, url)) = var("ALL_PROXY", "all_proxy") {
            builder = builder.all(url).source(name);
        }
        if let Some((name, url)) = var("HTTP_PROXY", "http_proxy") {
            builder = builder.http(url).source(name);
        }
        if let Some((name, url)) = var("HTTPS_PROXY", "https_proxy") {
            builder = builder.https(url).source(name);
        }
        if let Some((name, hosts)) = var("NO_PROXY", "no_proxy") {
            builder = builder.no_proxy(hosts).source(name);
        }
        builder.build()
    }

    /// Whether any request can go through a proxy.
    pub fn is_enabled(&self) -> bool {
        self.http.is_some() || self.https.is_some()
    }

    /// The proxy URL (without user information) a request to `uri` goes
    /// through, if any.
    pub fn proxy_for(&self, uri: &Uri) -> Option<String> {
        self.intercept(uri).map(|proxy| proxy.uri.to_string())
    }

    /// The proxy for a request to `uri`: by its scheme, unless `NO_PROXY`
    /// names its host.
    pub(crate) fn intercept(&self, uri: &Uri) -> Option<&Proxy> {
        let proxy = match uri.scheme_str()? {
            "http" => self.http.as_deref(),
            "https" => self.https.as_deref(),
            _ => None,
        }?;
        (!self.no_proxy.contains(uri.host()?)).then_some(proxy)
    }
}

/// The `NO_PROXY` rules: `*`, IP addresses and ranges (`10.0.0.0/8`), and
/// domains, each matching itself and its subdomains (`example.com` and
/// `.example.com` alike). A port after an entry is ignored.
#[derive(Debug, Default)]
struct NoProxy {
    all: bool,
    ranges: Vec<(IpAddr, u8)>,
    domains: Vec<String>,
}

impl NoProxy {
    fn parse(list: &str) -> NoProxy {
        let mut rules = NoProxy::default();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if entry == "*" {
                rules.all = true;
                continue;
            }
            let (address, prefix) = match entry.split_once('/') {
                Some((address, prefix)) => (address, prefix.parse::<u8>().ok()),
                None => (entry, None),
            };
            let bare = address.trim_start_matches('[').split(']').next().unwrap_or(address);
            if let Ok(ip) = bare.parse::<IpAddr>() {
                let full = if ip.is_ipv4() { 32 } else { 128 };
                rules.ranges.push((ip, prefix.unwrap_or(full).min(full)));
                continue;
            }
            let domain = entry.split(':').next().unwrap_or(entry);
            let domain = domain.trim_start_matches('*').trim_start_matches('.');
            if !domain.is_empty() {
                rules.domains.push(domain.to_ascii_lowercase());
            }
        }
        rules
    }

    fn contains(&self, host: &str) -> bool {
        if self.all {
            return true;
        }
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = host.parse::<IpAddr>() {
            return self.ranges.iter().any(|&(range, prefix)| in_range(ip, range, prefix));
        }
        let host = host.to_ascii_lowercase();
        self.domains.iter().any(|domain| {
            host == *domain || (host.len() > domain.len() && host.ends_with(domain.as_str()) && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
        })
    }
}

/// Whether `ip` lies in `range`/`prefix` (same address family only).
fn in_range(ip: IpAddr, range: IpAddr, prefix: u8) -> bool {
    let (ip, range, bits) = match (ip, range) {
        (IpAddr::V4(ip), IpAddr::V4(range)) => (u128::from(u32::from(ip)), u128::from(u32::from(range)), 32),
        (IpAddr::V6(ip), IpAddr::V6(range)) => (u128::from(ip), u128::from(range), 128),
        _ => return false,
    };
    let shift = bits - u32::from(prefix);
    shift >= 128 || ip >> shift == range >> shift
}

/// Asks the proxy at the other end of `stream` for a tunnel to `authority`
/// (`host:port`) and returns the stream once the proxy agreed (any 2xx).
pub(crate) async fn connect_tunnel(
    mut stream: TcpStream,
    authority: &str,
    authorization: Option<&HeaderValue>,
) -> std::io::Result<TcpStream> {
    let mut head = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n").into_bytes();
    if let Some(value) = authorization {
        head.extend_from_slice(b"Proxy-Authorization: ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    stream.write_all(&head).await?;
    // The reply head is read byte by byte, so nothing of the tunnelled
    // stream (the TLS handshake) is consumed with it.
    let mut reply = Vec::with_capacity(128);
    let mut byte = [0u8; 1];
    while !reply.ends_with(b"\r\n\r\n") {
        if reply.len() >= MAX_CONNECT_REPLY {
            return Err(std::io::Error::other("the proxy's reply to CONNECT is too long"));
        }
        if stream.read(&mut byte).await? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the proxy closed the connection before answering CONNECT",
            ));
        }
        reply.push(byte[0]);
    }
    let status_line = String::from_utf8_lossy(reply.split(|&b| b == b'\r').next().unwrap_or_default()).into_owned();
    let status = status_line.split_whitespace().nth(1).and_then(|code| code.parse::<u16>().ok());
    match status {
        Some(200..=299) => Ok(stream),
        _ => Err(std::io::Error::other(format!("the proxy refused the tunnel to {authority}: {status_line}"))),
    }
}

/// The most bytes of a CONNECT reply head read before giving up.
const MAX_CONNECT_REPLY: usize = 8 * 1024;

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("enabled", &self.is_enabled())
            .field("from", &self.sources)
            .finish()
    }
}

/// Builds a [`ProxyConfig`]; every setting is optional.
#[derive(Default)]
pub struct ProxyConfigBuilder {
    all: Option<String>,
    http: Option<String>,
    https: Option<String>,
    no_proxy: Option<String>,
    sources: Vec<&'static str>,
}

impl ProxyConfigBuilder {
    /// The proxy for both schemes, unless [`http`](Self::http) or
    /// [`https`](Self::https) names another.
    pub fn all(mut self, url: impl Into<String>) -> Self {
        self.all = Some(url.into());
        self
    }

    /// The proxy for `http` targets.
    pub fn http(mut self, url: impl Into<String>) -> Self {
        self.http = Some(url.into());
        self
    }

    /// The proxy for `https` targets (reached through a `CONNECT` tunnel).
    pub fn https(mut self, url: impl Into<String>) -> Self {
        self.https = Some(url.into());
        self
    }

    /// Hosts reached directly, as in `NO_PROXY`.
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    fn source(mut self, name: &'static str) -> Self {
        self.sources.push(name);
        self
    }

    /// Finishes the configuration. A proxy URL that cannot be used (not
    /// `http`, no host) is left out, with a warning event saying why;
    /// without any it is [`ProxyConfig::disabled`].
    pub fn build(self) -> ProxyConfig {
        let parse = |url: Option<String>| {
            let url = url?;
            match Proxy::parse(&url) {
                Ok(proxy) => Some(Arc::new(proxy)),
                Err(reason) => {
                    tracing::warn!(%reason, "proxy URL ignored");
                    None
                }
            }
        };
        let all = parse(self.all);
        ProxyConfig {
            http: parse(self.http).or_else(|| all.clone()),
            https: parse(self.https).or(all),
            no_proxy: Arc::new(NoProxy::parse(self.no_proxy.as_deref().unwrap_or_default())),
            sources: self.sources,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> ::http::Uri {
        text.parse().expect("uri")
    }

    #[test]
    fn variables_choose_the_proxy_per_scheme_and_no_proxy_bypasses_it() {
        let env = Environment::from_map([
            ("https_proxy", "http://user:secret@tls-proxy:3128"),
            ("HTTP_PROXY", "http://plain-proxy:8080"),
            ("NO_PROXY", "169.254.169.254,.internal"),
        ]);
        let proxy = ProxyConfig::from_environment(&env);
        assert_eq!(proxy.proxy_for(&uri("https://sts.amazonaws.com/")).as_deref(), Some("http://tls-proxy:3128/"));
        assert_eq!(proxy.proxy_for(&uri("http://example.com/")).as_deref(), Some("http://plain-proxy:8080/"));
        assert_eq!(proxy.proxy_for(&uri("http://169.254.169.254/latest")), None);
        assert_eq!(proxy.proxy_for(&uri("https://db.internal/")), None);
        let debug = format!("{proxy:?}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(debug.contains("https_proxy"), "{debug}");
        let auth = proxy.intercept(&uri("https://sts.amazonaws.com/")).and_then(|p| p.authorization.clone());
        // base64("user:secret")
        assert_eq!(auth.as_ref().map(HeaderValue::as_bytes), Some(&b"Basic dXNlcjpzZWNyZXQ="[..]));
    }

    #[test]
    fn all_proxy_covers_the_schemes_without_their_own_and_nothing_set_is_disabled() {
        let proxy = ProxyConfig::from_environment(&Environment::from_map([("ALL_PROXY", "http://any:1")]));
        assert_eq!(proxy.proxy_for(&uri("https://a/")).as_deref(), Some("http://any:1/"));
        assert_eq!(proxy.proxy_for(&uri("http://a/")).as_deref(), Some("http://any:1/"));
        assert!(!ProxyConfig::from_environment(&Environment::empty()).is_enabled());
        assert!(!ProxyConfig::builder().no_proxy("*").build().is_enabled());
        assert!(!ProxyConfig::builder().https("socks5://p:1").build().is_enabled(), "only http proxies");
    }

    #[test]
    fn no_proxy_matches_hosts_domains_addresses_and_ranges() {
        let rules = NoProxy::parse(" localhost, .corp.example, internal.test:8080, 10.0.0.0/8, ::1, [fd00::]/16 ");
        for host in ["localhost", "corp.example", "a.b.corp.example", "internal.test", "10.1.2.3", "[::1]", "fd00::5"] {
            assert!(rules.contains(host), "{host} bypasses the proxy");
        }
        for host in ["notcorp.example", "example", "11.0.0.1", "::2", "192.168.0.1", "localhost.evil"] {
            assert!(!rules.contains(host), "{host} goes through the proxy");
        }
        assert!(NoProxy::parse("*").contains("anything"));
        assert!(NoProxy::parse("0.0.0.0/0").contains("8.8.8.8"));
    }
}
