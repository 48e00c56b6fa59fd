//! The default [`HttpClient`]: hyper-util's pooled legacy client over a
//! connector that speaks plain HTTP and, through rustls with the *ring*
//! provider and Mozilla's roots (webpki-roots), HTTPS.
//!
//! The TLS configuration is built on the first `https` connection, not when
//! the client is created, so a client that only ever talks plain HTTP (a local
//! endpoint, a test server) never pays for it, and creating a client is cheap.
//!
//! Through a proxy ([`ProxyConfig`]), `http` requests are sent to the proxy
//! in absolute form and `https` ones through a `CONNECT` tunnel, with TLS to
//! the target inside it.

use std::error::Error;
use std::fmt;
use std::future::{ready, Future};
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use ::http::uri::Uri;
use bytes::Bytes;
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpStream;
use tower_service::Service;

use super::body::{read_whole, ReadError, RequestBody, WholeBody};
use super::http2;
use super::proxy::{connect_tunnel, ProxyConfig};
use super::{
    BoxError, HttpClient, HttpError, HttpErrorKind, HttpFuture, ResponseTooLarge,
    StreamingHttpFuture, DEFAULT_MAX_RESPONSE_BODY_SIZE,
};
use crate::behavior::timeout::TimeoutConfig;
use crate::primitives::{ByteStream, ByteStreamError};

/// The default [`HttpClient`]: HTTP/1.1 over TCP, with TLS by rustls (*ring*
/// provider, Mozilla roots from webpki-roots), connection pooling and a
/// connect timeout. With the feature `http2`, a request marked
/// [`HttpVersionPreference::Http2`](super::HttpVersionPreference) goes over
/// HTTP/2 on a pool of its own (see that type).
///
/// Cloning is cheap and clones share the connection pool. Requests must be
/// sent from inside a tokio runtime with I/O and time enabled.
///
/// ```
/// use smithy_runtime::http::HyperClient;
/// use smithy_runtime::behavior::timeout::TimeoutConfig;
///
/// // Defaults: 3.1 s connect timeout, 90 s pool idle timeout.
/// let client = HyperClient::new();
/// // Or take the connect timeout from a client's timeout configuration.
/// let client = HyperClient::builder()
///     .timeout_config(&TimeoutConfig::default())
///     .build();
/// # drop(client);
/// ```
#[derive(Clone)]
pub struct HyperClient {
    client: Client<Connector, RequestBody>,
    /// The HTTP/2 pool, for requests marked
    /// [`HttpVersionPreference::Http2`](super::HttpVersionPreference).
    #[cfg(feature = "http2")]
    h2: Client<Connector, RequestBody>,
    tls: Arc<LazyTls>,
    proxy: ProxyConfig,
    max_response_body_size: u64,
}

impl HyperClient {
    /// Default pool idle timeout: 90 s, hyper-util's default and the AWS SDK
    /// for Rust's.
    pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

    /// A client with the default settings (see [`HyperClientBuilder`]).
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder starting from the default settings.
    pub fn builder() -> HyperClientBuilder {
        HyperClientBuilder {
            connect_timeout: Some(TimeoutConfig::DEFAULT_CONNECT_TIMEOUT),
            pool_idle_timeout: Some(Self::DEFAULT_POOL_IDLE_TIMEOUT),
            pool_max_idle_per_host: usize::MAX,
            tls_config: None,
            ca_bundle: None,
            #[cfg(feature = "native-roots")]
            native_roots: false,
            proxy: ProxyConfig::disabled(),
            max_response_body_size: DEFAULT_MAX_RESPONSE_BODY_SIZE,
        }
    }

    /// Whether the TLS configuration has been built yet (it is built on the
    /// first `https` connection).
    #[cfg(test)]
    fn tls_initialized(&self) -> bool {
        self.tls.config.get().is_some()
    }
}

impl Default for HyperClient {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClient")
            .field("tls_initialized", &self.tls.config.get().is_some())
            .field("proxy", &self.proxy)
            .field("max_response_body_size", &self.max_response_body_size)
            .finish_non_exhaustive()
    }
}

/// Configures a [`HyperClient`].
///
/// | setting | default |
/// |---|---|
/// | connect timeout (TCP connect + TLS handshake) | 3.1 s |
/// | pool idle timeout | 90 s |
/// | idle connections kept per host | unlimited |
/// | TLS | rustls, *ring*, webpki-roots, TLS 1.2 and 1.3, built on first use |
/// | extra trusted certificates | none ([`ca_bundle`](Self::ca_bundle)) |
/// | proxy | none ([`proxy`](Self::proxy)) |
/// | response body cap | 64 MiB ([`DEFAULT_MAX_RESPONSE_BODY_SIZE`]) |
/// | HTTP/2 | for requests marked [`HttpVersionPreference::Http2`](super::HttpVersionPreference) only, on a pool of their own (feature `http2`) |
pub struct HyperClientBuilder {
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    tls_config: Option<rustls::ClientConfig>,
    ca_bundle: Option<PathBuf>,
    #[cfg(feature = "native-roots")]
    native_roots: bool,
    proxy: ProxyConfig,
    max_response_body_size: u64,
}

impl fmt::Debug for HyperClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClientBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("custom_tls_config", &self.tls_config.is_some())
            .field("ca_bundle", &self.ca_bundle)
            .field("proxy", &self.proxy)
            .field("max_response_body_size", &self.max_response_body_size)
            .finish()
    }
}

impl HyperClientBuilder {
    /// Sets or, with `None`, removes the limit on establishing one connection
    /// (TCP connect plus TLS handshake). Default 3.1 s.
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Takes the connect timeout from `config` (the only part of a
    /// [`TimeoutConfig`] the transport applies; the retry loop applies the
    /// rest).
    pub fn timeout_config(self, config: &TimeoutConfig) -> Self {
        self.connect_timeout(config.connect_timeout())
    }

    /// Sets or, with `None`, removes how long an idle pooled connection is
    /// kept. Default 90 s.
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// Sets how many idle connections are kept per host. Default unlimited;
    /// `0` disables pooling.
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Sets the most bytes a response body may have (default 64 MiB,
    /// [`DEFAULT_MAX_RESPONSE_BODY_SIZE`]). A response whose
    /// `Content-Length` is above it fails before its body is read; any
    /// other stops being read as soon as it passes it. Either way the call
    /// fails with a non-retryable [`HttpError`] caused by
    /// [`ResponseTooLarge`].
    pub fn max_response_body_size(mut self, bytes: u64) -> Self {
        self.max_response_body_size = bytes;
        self
    }

    /// Uses `config` for HTTPS instead of the default. Its ALPN list is
    /// replaced by `http/1.1` (by `h2` for requests sent over HTTP/2, see
    /// [`HttpVersionPreference`](super::HttpVersionPreference)); the
    /// [`ca_bundle`](Self::ca_bundle) does not apply to it.
    pub fn tls_config(mut self, config: rustls::ClientConfig) -> Self {
        self.tls_config = Some(config);
        self
    }

    /// Also trusts the certificates in the PEM file at `path` (a private
    /// certificate authority, as `AWS_CA_BUNDLE` names), besides the
    /// bundled roots. The file is read when the first `https` connection is
    /// made; a file that cannot be read, or holds no certificate, fails
    /// that connection (and every later one) with an error naming it.
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// Also trusts the platform's certificate store (read on the first
    /// `https` connection), besides the bundled roots. Feature `native-roots`.
    #[cfg(feature = "native-roots")]
    pub fn native_roots(mut self, trust: bool) -> Self {
        self.native_roots = trust;
        self
    }

    /// Sends requests through the proxies `proxy` names (default: none).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// Builds the client. Cheap: no certificates are loaded and no
    /// connection is made until the first request.
    pub fn build(self) -> HyperClient {
        let mut http = HttpConnector::new();
        // The connector serves both schemes; it must accept `https` URIs.
        http.enforce_http(false);
        // Requests are written in one go; do not let Nagle delay them.
        http.set_nodelay(true);
        // Applied per address tried; the connector's own timer below covers
        // the whole connect, TLS included.
        http.set_connect_timeout(self.connect_timeout);

        let tls = Arc::new(LazyTls {
            custom: self.tls_config.map(|mut config| {
                config.alpn_protocols = vec![b"http/1.1".to_vec()];
                Arc::new(config)
            }),
            roots: ExtraRoots {
                ca_bundle: self.ca_bundle,
                #[cfg(feature = "native-roots")]
                native: self.native_roots,
            },
            config: OnceLock::new(),
            #[cfg(feature = "http2")]
            h2_config: OnceLock::new(),
        });
        let connector = Connector {
            http,
            tls: Arc::clone(&tls),
            proxy: self.proxy.clone(),
            connect_timeout: self.connect_timeout,
            http2: false,
        };
        #[cfg(feature = "http2")]
        let h2 = http2::pool(
            Connector { http2: true, ..connector.clone() },
            self.pool_idle_timeout,
            self.pool_max_idle_per_host,
        );
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .build(connector);
        HyperClient {
            client,
            #[cfg(feature = "http2")]
            h2,
            tls,
            proxy: self.proxy,
            max_response_body_size: self.max_response_body_size,
        }
    }
}

impl HttpClient for HyperClient {
    fn call(&self, mut request: ::http::Request<Bytes>) -> HttpFuture<'_> {
        Box::pin(async move {
            let empty = request.body().is_empty();
            self.prepare(&mut request, empty)?;
            let request = request.map(|body| RequestBody::Whole(WholeBody::new(body)));
            let (parts, body) = self.send(request).await?.into_parts();
            let body = self.read_capped(body).await?;
            Ok(::http::Response::from_parts(parts, body))
        })
    }

    /// Streams the request body (with `Content-Length` when its length is
    /// known, chunked otherwise) and returns a 2xx response with its body
    /// unread and uncapped; the body of any other response is read whole,
    /// under the response body cap, as [`call`](Self::call) reads it.
    fn call_streaming(&self, mut request: ::http::Request<ByteStream>) -> StreamingHttpFuture<'_> {
        Box::pin(async move {
            let empty = request.body().content_length() == Some(0);
            self.prepare(&mut request, empty)?;
            let response = self.send(request.map(RequestBody::Stream)).await?;
            if response.status().is_success() {
                return Ok(response.map(ByteStream::from_body));
            }
            let (parts, body) = response.into_parts();
            let body = self.read_capped(body).await?;
            Ok(::http::Response::from_parts(parts, ByteStream::from(body)))
        })
    }

    /// The transport never looks at the operation's name.
    fn reads_operation_name(&self) -> bool {
        false
    }
}

impl HyperClient {
    /// Checks the URI and completes the headers of a request about to be
    /// sent; `empty` says whether its body is known to be empty.
    fn prepare<B>(&self, request: &mut ::http::Request<B>, empty: bool) -> Result<(), HttpError> {
        check_uri(request.uri())?;
        http2::check_supported(request)?;
        // A plain-HTTP request to a proxy carries the proxy's credentials
        // itself (an `https` one gives them to the CONNECT request).
        if request.uri().scheme_str() == Some("http") {
            let auth = self.proxy.intercept(request.uri()).and_then(|p| p.authorization.clone());
            if let Some(auth) = auth {
                request.headers_mut().insert(::http::header::PROXY_AUTHORIZATION, auth);
            }
        }
        // hyper announces no length for an empty body; a POST, PUT or
        // PATCH must say 0 (`build_request` already sets it, before
        // signing; this covers requests built some other way).
        if empty && super::expects_body(request.method()) {
            request
                .headers_mut()
                .entry(::http::header::CONTENT_LENGTH)
                .or_insert(::http::HeaderValue::from_static("0"));
        }
        Ok(())
    }

    /// Sends the request and waits for the response head. A request body
    /// that fails is [`HttpErrorKind::RequestBody`].
    async fn send(
        &self,
        request: ::http::Request<RequestBody>,
    ) -> Result<::http::Response<hyper::body::Incoming>, HttpError> {
        self.pool_for(&request).request(request).await.map_err(|err| {
            let kind = if caused_by::<ByteStreamError>(&err) {
                HttpErrorKind::RequestBody
            } else {
                classify(&err, err.is_connect())
            };
            HttpError::new(kind, err)
        })
    }

    /// Reads a response body whole, up to the response body cap.
    async fn read_capped(&self, body: hyper::body::Incoming) -> Result<Bytes, HttpError> {
        let limit = self.max_response_body_size;
        read_whole(body, limit).await.map_err(|err| match err {
            ReadError::Body(err) => {
                // A body that stops early is almost always a broken
                // connection; classify() says Io for those.
                let kind = classify(&err, false);
                HttpError::new(kind, ReadBody(err))
            }
            ReadError::TooLarge { announced } => {
                HttpError::other(ResponseTooLarge::new(limit, announced))
            }
        })
    }
}

/// Whether `err` or one of its causes is a `T`.
fn caused_by<T: Error + 'static>(err: &(dyn Error + 'static)) -> bool {
    let mut cause: Option<&(dyn Error + 'static)> = Some(err);
    while let Some(current) = cause {
        if current.is::<T>() {
            return true;
        }
        cause = current.source();
    }
    false
}

impl HyperClient {
    /// The pool `request` goes to: HTTP/2 when it asks for it (and the
    /// runtime has it), HTTP/1.1 otherwise.
    fn pool_for<B>(&self, request: &::http::Request<B>) -> &Client<Connector, RequestBody> {
        #[cfg(feature = "http2")]
        if super::HttpVersionPreference::of(request) == super::HttpVersionPreference::Http2 {
            return &self.h2;
        }
        let _ = request;
        &self.client
    }
}

/// Rejects URIs the connector cannot serve before anything is sent, as
/// non-retryable [`HttpErrorKind::Other`] errors.
fn check_uri(uri: &Uri) -> Result<(), HttpError> {
    match uri.scheme_str() {
        Some("http" | "https") if uri.authority().is_some() => Ok(()),
        Some("http" | "https") => Err(HttpError::other(BadUri(format!(
            "request URI `{uri}` has no host"
        )))),
        Some(other) => Err(HttpError::other(BadUri(format!(
            "unsupported URI scheme `{other}` (only http and https are supported)"
        )))),
        None => Err(HttpError::other(BadUri(format!(
            "request URI `{uri}` is not absolute"
        )))),
    }
}

/// Decides the kind of a hyper or hyper-util error by walking its causes.
fn classify(err: &(dyn Error + 'static), is_connect: bool) -> HttpErrorKind {
    let mut broken_connection = false;
    let mut cause: Option<&(dyn Error + 'static)> = Some(err);
    while let Some(current) = cause {
        if current.is::<ConnectTimeout>() {
            return HttpErrorKind::Timeout;
        }
        if current.is::<http2::Http2Refused>() || current.is::<BadUri>() {
            // Asking again gets the same answer.
            return HttpErrorKind::Other;
        }
        if let Some(io_err) = current.downcast_ref::<io::Error>() {
            match io_err.kind() {
                io::ErrorKind::TimedOut => return HttpErrorKind::Timeout,
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof
                | io::ErrorKind::NotConnected => broken_connection = true,
                _ => {}
            }
        }
        if let Some(hyper_err) = current.downcast_ref::<hyper::Error>() {
            if hyper_err.is_timeout() {
                return HttpErrorKind::Timeout;
            }
            if hyper_err.is_incomplete_message() || hyper_err.is_canceled() || hyper_err.is_closed()
            {
                broken_connection = true;
            }
        }
        cause = current.source();
    }
    if is_connect {
        HttpErrorKind::Connect
    } else if broken_connection {
        HttpErrorKind::Io
    } else {
        HttpErrorKind::Other
    }
}

/// TLS state shared by every clone of a client: built at most once.
struct LazyTls {
    custom: Option<Arc<rustls::ClientConfig>>,
    roots: ExtraRoots,
    config: OnceLock<Result<Arc<rustls::ClientConfig>, rustls::Error>>,
    /// The same configuration offering only `h2` by ALPN.
    #[cfg(feature = "http2")]
    h2_config: OnceLock<Result<Arc<rustls::ClientConfig>, rustls::Error>>,
}

/// Certificates trusted besides Mozilla's roots.
struct ExtraRoots {
    ca_bundle: Option<PathBuf>,
    #[cfg(feature = "native-roots")]
    native: bool,
}

impl LazyTls {
    fn config(&self) -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
        self.config
            .get_or_init(|| match &self.custom {
                Some(config) => Ok(Arc::clone(config)),
                None => default_tls_config(&self.roots).map(Arc::new),
            })
            .clone()
    }

    /// The configuration for the HTTP/2 pool (`http2`) or the HTTP/1.1 one.
    fn config_for(&self, http2: bool) -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
        #[cfg(feature = "http2")]
        if http2 {
            return self
                .h2_config
                .get_or_init(|| {
                    let mut config = rustls::ClientConfig::clone(&*self.config()?);
                    config.alpn_protocols = vec![b"h2".to_vec()];
                    Ok(Arc::new(config))
                })
                .clone();
        }
        debug_assert!(!http2, "only the HTTP/2 pool asks for h2");
        self.config()
    }
}

/// rustls with the *ring* provider named explicitly (so another crate in the
/// build enabling aws-lc-rs cannot make the provider choice ambiguous),
/// rustls's safe protocol versions, Mozilla's roots plus `extra`, and
/// HTTP/1.1 ALPN.
fn default_tls_config(extra: &ExtraRoots) -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let versions = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?;
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = &extra.ca_bundle {
        add_pem_file(&mut roots, path)?;
    }
    #[cfg(feature = "native-roots")]
    if extra.native {
        let found = rustls_native_certs::load_native_certs();
        for error in &found.errors {
            tracing::debug!(%error, "a platform certificate could not be loaded");
        }
        let (added, ignored) = roots.add_parsable_certificates(found.certs);
        tracing::debug!(added, ignored, "platform certificates trusted");
    }
    let mut config = versions.with_root_certificates(roots).with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Adds every certificate of the PEM file at `path` to `roots`.
fn add_pem_file(roots: &mut rustls::RootCertStore, path: &std::path::Path) -> Result<(), rustls::Error> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let problem = |what: String| rustls::Error::General(format!("CA bundle {}: {what}", path.display()));
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| problem(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| problem(e.to_string()))?;
    if certs.is_empty() {
        return Err(problem("no certificate in it".to_owned()));
    }
    for cert in certs {
        roots.add(cert).map_err(|e| problem(e.to_string()))?;
    }
    Ok(())
}

type ConnectFuture = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

/// Connects `http` URIs over plain TCP and `https` URIs through rustls,
/// either directly or through the proxy the [`ProxyConfig`] names, the whole
/// connect bounded by the connect timeout.
#[derive(Clone)]
struct Connector {
    http: HttpConnector,
    tls: Arc<LazyTls>,
    proxy: ProxyConfig,
    connect_timeout: Option<Duration>,
    /// Connects for the HTTP/2 pool: ALPN offers `h2` only.
    http2: bool,
}

impl Connector {
    fn connect(&mut self, uri: Uri) -> ConnectFuture {
        let proxy = self.proxy.intercept(&uri);
        match (uri.scheme_str(), proxy) {
            (Some("https"), proxy) => {
                let config = match self.tls.config_for(self.http2) {
                    Ok(config) => config,
                    Err(err) => return Box::pin(ready(Err(err.into()))),
                };
                let Some(proxy) = proxy else {
                    let tls = HttpsConnector::from((self.http.clone(), config)).call(uri);
                    return Box::pin(async move { Ok(Conn { stream: tls.await?, via_proxy: false }) });
                };
                let to_proxy = self.http.call(proxy.uri.clone());
                let authorization = proxy.authorization.clone();
                Box::pin(async move {
                    let host = uri.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
                    let server_name = rustls::pki_types::ServerName::try_from(host.to_owned())?;
                    let authority = format!("{}:{}", uri.host().unwrap_or_default(), uri.port_u16().unwrap_or(443));
                    let tcp = to_proxy.await?.into_inner();
                    let tunnel = connect_tunnel(tcp, &authority, authorization.as_ref()).await?;
                    let io = TokioIo::new(TokioIo::new(tunnel));
                    let tls = tokio_rustls::TlsConnector::from(config).connect(server_name, io).await?;
                    Ok(Conn { stream: MaybeHttpsStream::Https(TokioIo::new(tls)), via_proxy: false })
                })
            }
            (Some("http"), Some(_)) if self.http2 => {
                let err = BadUri(format!(
                    "cannot send `{uri}` over HTTP/2 through an HTTP proxy: \
                     h2 without TLS (prior knowledge) only goes directly"
                ));
                Box::pin(ready(Err(err.into())))
            }
            (Some("http"), proxy) => {
                let via_proxy = proxy.is_some();
                let tcp = match proxy {
                    None => self.http.call(uri),
                    Some(proxy) => self.http.call(proxy.uri.clone()),
                };
                Box::pin(async move {
                    Ok(Conn { stream: MaybeHttpsStream::Http(tcp.await?), via_proxy })
                })
            }
            _ => {
                let err = BadUri(format!("cannot connect to `{uri}`: unsupported scheme"));
                Box::pin(ready(Err(err.into())))
            }
        }
    }
}

impl Service<Uri> for Connector {
    type Response = Conn;
    type Error = BoxError;
    type Future = ConnectFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // Both inner connectors are always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        #[cfg(feature = "http2")]
        let connecting = match self.http2 {
            false => self.connect(uri),
            true => {
                let connecting = self.connect(uri.clone());
                Box::pin(async move {
                    match connecting.await {
                        Ok(conn) => http2::check_negotiated(&uri, conn),
                        Err(err) => Err(http2::connect_error(&uri, err)),
                    }
                })
            }
        };
        #[cfg(not(feature = "http2"))]
        let connecting = self.connect(uri);
        match self.connect_timeout {
            None => connecting,
            Some(limit) => Box::pin(async move {
                match tokio::time::timeout(limit, connecting).await {
                    Ok(result) => result,
                    Err(_elapsed) => Err(ConnectTimeout(limit).into()),
                }
            }),
        }
    }
}

/// One connection: plain or TLS, and whether it goes to an HTTP proxy
/// (then hyper writes request targets in absolute form).
struct Conn {
    stream: MaybeHttpsStream<TokioIo<TcpStream>>,
    via_proxy: bool,
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        self.stream.connected().proxy(self.via_proxy)
    }
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }
}

/// The connect timeout passed before a connection was established.
#[derive(Debug)]
struct ConnectTimeout(Duration);

impl fmt::Display for ConnectTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connect timed out after {:?}", self.0)
    }
}

impl Error for ConnectTimeout {}

/// A request URI this client cannot send to.
#[derive(Debug)]
struct BadUri(String);

impl fmt::Display for BadUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for BadUri {}

/// Reading the response body failed.
#[derive(Debug)]
struct ReadBody(hyper::Error);

impl fmt::Display for ReadBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("failed to read the response body")
    }
}

impl Error for ReadBody {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    fn request(uri: &str) -> ::http::Request<Bytes> {
        ::http::Request::builder()
            .uri(uri)
            .body(Bytes::new())
            .unwrap()
    }

    /// A raw TCP server that answers every connection with `reply`, after
    /// reading the request head if `read_request_first`, at once otherwise.
    async fn raw_server(reply: &'static [u8], read_request_first: bool) -> std::net::SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    let mut seen = Vec::new();
                    while read_request_first && !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => seen.extend_from_slice(&buf[..n]),
                        }
                    }
                    let _ = socket.write_all(reply).await;
                });
            }
        });
        addr
    }

    #[tokio::test]
    async fn plain_http_never_builds_tls() {
        let addr = raw_server(
            b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-test: yes\r\n\r\nhello",
            true,
        )
        .await;
        let client = HyperClient::new();
        assert!(!client.tls_initialized());
        let response = client
            .call(request(&format!("http://{addr}/ping")))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-test"], "yes");
        assert_eq!(response.body().as_ref(), b"hello");
        assert!(!client.tls_initialized());
    }

    /// A raw TCP server that reads one request head, sends it back through
    /// the returned channel as text, and answers `204`.
    async fn head_recording_server() -> (
        std::net::SocketAddr,
        tokio::sync::mpsc::UnboundedReceiver<String>,
    ) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (heads, received) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let heads = heads.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    let mut seen = Vec::new();
                    loop {
                        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                            match socket.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => seen.extend_from_slice(&buf[..n]),
                            }
                        }
                        let end = seen.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                        let head: Vec<u8> = seen.drain(..end).collect();
                        let _ = heads.send(String::from_utf8_lossy(&head).into_owned());
                        let reply = b"HTTP/1.1 204 No Content\r\n\r\n";
                        if socket.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (addr, received)
    }

    #[tokio::test]
    async fn bodiless_post_put_patch_carry_content_length_zero_on_the_wire() {
        let (addr, mut heads) = head_recording_server().await;
        let client = HyperClient::new();
        for (method, expected) in [
            ("POST", true),
            ("PUT", true),
            ("PATCH", true),
            ("GET", false),
            ("DELETE", false),
            ("HEAD", false),
        ] {
            let mut request = request(&format!("http://{addr}/op"));
            *request.method_mut() = method.parse().unwrap();
            let response = client.call(request).await.unwrap();
            assert_eq!(response.status(), 204);
            let head = heads.recv().await.unwrap().to_ascii_lowercase();
            assert!(head.starts_with(&format!("{} /op ", method.to_ascii_lowercase())), "{head}");
            assert_eq!(
                head.contains("\r\ncontent-length: 0\r\n"),
                expected,
                "{method}: {head}"
            );
            assert!(!head.contains("transfer-encoding"), "{method}: {head}");
        }
    }

    #[tokio::test]
    async fn first_https_connection_builds_tls_and_fails_cleanly_on_a_plain_server() {
        // Answers the ClientHello with plain HTTP: not TLS.
        let addr = raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", false).await;
        let client = HyperClient::new();
        let err = client
            .call(request(&format!("https://{addr}/")))
            .await
            .unwrap_err();
        assert!(client.tls_initialized());
        // The handshake fails, so no connection was made.
        assert_eq!(err.kind(), HttpErrorKind::Connect, "{err}");
    }

    // The clock is paused and the server never answers the ClientHello, so
    // tokio jumps straight to the connect deadline: no real waiting.
    #[tokio::test(start_paused = true)]
    async fn silent_tls_server_hits_the_connect_timeout() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = HyperClient::builder()
            .connect_timeout(Some(Duration::from_secs(2)))
            .build();
        let err = client
            .call(request(&format!("https://{addr}/")))
            .await
            .unwrap_err();
        assert!(err.is_timeout(), "{err:?}");
        assert_eq!(err.to_string(), "timeout: connect timed out after 2s");
        drop(listener);
    }

    #[tokio::test]
    async fn refused_connection_is_a_connect_error() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let err = HyperClient::new()
            .call(request(&format!("http://{addr}/")))
            .await
            .unwrap_err();
        assert!(err.is_connect(), "{err:?}");
    }

    #[tokio::test]
    async fn truncated_body_is_an_io_error() {
        let addr = raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nshort", true).await;
        let err = HyperClient::new()
            .call(request(&format!("http://{addr}/")))
            .await
            .unwrap_err();
        assert!(err.is_io(), "{err:?}");
    }

    fn too_large(err: &HttpError) -> Option<&ResponseTooLarge> {
        err.source()?.downcast_ref()
    }

    #[tokio::test]
    async fn a_content_length_above_the_cap_fails_before_the_body_is_read() {
        // The server announces 1000 bytes, sends none and closes: reading
        // would be a broken connection; the cap answers first.
        let addr = raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n", true).await;
        let client = HyperClient::builder().max_response_body_size(999).build();
        let err = client
            .call(request(&format!("http://{addr}/")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), HttpErrorKind::Other, "{err:?}");
        assert_eq!(too_large(&err), Some(&ResponseTooLarge::new(999, Some(1000))));
        assert_eq!(
            err.to_string(),
            "HTTP client error: the response body (1000 bytes, from Content-Length) exceeds \
             the limit of 999 bytes; raise it with `ConfigBuilder::max_response_body_size`"
        );
    }

    #[tokio::test]
    async fn a_chunked_body_stops_being_read_once_past_the_cap() {
        // Three 10-byte chunks, then the connection closes without the last
        // chunk: only a read that stops at the cap sees no broken connection.
        let reply = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n\
            a\r\n0123456789\r\na\r\n0123456789\r\na\r\n0123456789\r\n";
        let addr = raw_server(reply, true).await;
        let client = HyperClient::builder().max_response_body_size(15).build();
        let err = client
            .call(request(&format!("http://{addr}/")))
            .await
            .unwrap_err();
        assert_eq!(too_large(&err), Some(&ResponseTooLarge::new(15, None)), "{err:?}");

        let addr = raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello", true).await;
        let client = HyperClient::builder().max_response_body_size(5).build();
        let response = client
            .call(request(&format!("http://{addr}/")))
            .await
            .unwrap();
        assert_eq!(response.body().as_ref(), b"hello", "a body at the cap is read");
    }

    #[tokio::test]
    async fn garbage_response_is_not_retryable() {
        let addr = raw_server(b"SMTP ready\r\n\r\n", true).await;
        let err = HyperClient::new()
            .call(request(&format!("http://{addr}/")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), HttpErrorKind::Other, "{err:?}");
    }

    #[tokio::test]
    async fn unusable_uris_are_rejected_before_connecting() {
        let client = HyperClient::new();
        for uri in ["/relative", "ftp://example.com/file"] {
            let err = client.call(request(uri)).await.unwrap_err();
            assert_eq!(err.kind(), HttpErrorKind::Other, "{uri}: {err}");
        }
        assert!(!client.tls_initialized());
    }

    fn streaming_request(uri: &str, body: ByteStream) -> ::http::Request<ByteStream> {
        let mut request = ::http::Request::new(body);
        *request.uri_mut() = uri.parse().unwrap();
        *request.method_mut() = ::http::Method::PUT;
        request
    }

    #[tokio::test]
    async fn a_streamed_success_body_is_returned_unread_and_uncapped() {
        let addr = raw_server(b"HTTP/1.1 200 OK\r\ncontent-length: 20\r\n\r\n0123456789abcdefghij", true).await;
        let client = HyperClient::builder().max_response_body_size(5).build();
        let request = streaming_request(&format!("http://{addr}/"), ByteStream::from_static(b"up"));
        let response = client.call_streaming(request).await.unwrap();
        assert_eq!(response.status(), 200);
        let body = response.into_body();
        assert_eq!(body.bytes(), None, "the body is not read before it is returned");
        assert_eq!(body.content_length(), Some(20));
        assert_eq!(body.collect().await.unwrap().as_ref(), b"0123456789abcdefghij");
    }

    #[tokio::test]
    async fn a_streamed_error_body_is_read_whole_under_the_cap() {
        let addr = raw_server(b"HTTP/1.1 404 Not Found\r\ncontent-length: 5\r\n\r\nnope!", true).await;
        let client = HyperClient::builder().max_response_body_size(5).build();
        let request = streaming_request(&format!("http://{addr}/"), ByteStream::new());
        let response = client.call_streaming(request).await.unwrap();
        assert_eq!(response.status(), 404);
        assert_eq!(response.body().bytes().map(|b| b.as_ref()), Some(&b"nope!"[..]));

        let client = HyperClient::builder().max_response_body_size(4).build();
        let request = streaming_request(&format!("http://{addr}/"), ByteStream::new());
        let err = client.call_streaming(request).await.unwrap_err();
        assert_eq!(too_large(&err), Some(&ResponseTooLarge::new(4, Some(5))), "{err:?}");
    }

    #[tokio::test]
    async fn a_failing_request_stream_is_a_request_body_error() {
        let (addr, _heads) = head_recording_server().await;
        let chunks: Vec<Result<Bytes, io::Error>> = vec![
            Ok(Bytes::from_static(b"first")),
            Err(io::Error::other("the source went away")),
        ];
        let body = ByteStream::from_stream(IterStream(chunks.into_iter()));
        let request = streaming_request(&format!("http://{addr}/"), body);
        let err = HyperClient::new().call_streaming(request).await.unwrap_err();
        assert_eq!(err.kind(), HttpErrorKind::RequestBody, "{err:?}");
        assert_eq!(err.to_string(), "request body error: the source went away");
        assert!(caused_by::<ByteStreamError>(&err));
    }

    /// A stream over an iterator's items.
    struct IterStream<I>(I);

    impl<I: Iterator + Unpin> futures_core::Stream for IterStream<I> {
        type Item = I::Item;

        fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<I::Item>> {
            Poll::Ready(self.get_mut().0.next())
        }
    }

    #[test]
    fn classify_finds_timeouts_and_resets_in_the_chain() {
        let timeout = io::Error::new(io::ErrorKind::TimedOut, "slow");
        assert_eq!(classify(&timeout, true), HttpErrorKind::Timeout);
        let reset = io::Error::new(io::ErrorKind::ConnectionReset, "reset");
        assert_eq!(classify(&reset, false), HttpErrorKind::Io);
        assert_eq!(classify(&reset, true), HttpErrorKind::Connect);
        assert_eq!(
            classify(&ConnectTimeout(Duration::from_secs(1)), true),
            HttpErrorKind::Timeout
        );
        let other = io::Error::other("weird");
        assert_eq!(classify(&other, false), HttpErrorKind::Other);
    }

    #[test]
    fn default_tls_config_builds_with_and_without_a_ca_bundle() {
        let bundle = |path: Option<&str>| ExtraRoots {
            ca_bundle: path.map(|p| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p)),
            #[cfg(feature = "native-roots")]
            native: false,
        };
        let config = default_tls_config(&bundle(None)).unwrap();
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
        assert!(default_tls_config(&bundle(Some("tests/data/tls/ca.pem"))).is_ok());
        let error = default_tls_config(&bundle(Some("tests/data/tls/README.md")))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("README.md: no certificate in it"), "{error}");
    }
}
