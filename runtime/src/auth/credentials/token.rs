//! Bearer tokens, for operations the model marks `smithy.api#httpBearerAuth`:
//! the client sends `Authorization: Bearer <token>`.

use std::fmt;
use std::sync::Arc;

use super::IdentityFuture;

/// A bearer token. Cloning is cheap; `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Arc<str>);

impl Token {
    /// A token as the service issued it (without the `Bearer ` prefix).
    pub fn new(token: impl Into<String>) -> Self {
        Token(Arc::from(token.into()))
    }

    /// The token itself. Never log this.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(** redacted **)")
    }
}

/// The future returned by [`ProvideToken::provide_token`].
pub type TokenFuture<'a> = IdentityFuture<'a, Token>;

/// Something that can load a bearer [`Token`]; object safe, like
/// [`ProvideCredentials`](super::ProvideCredentials).
///
/// A fixed [`Token`] is its own provider (what
/// `ConfigBuilder::bearer_token` sets); implement this trait to fetch or
/// refresh tokens, returning a [`CredentialsError`](super::CredentialsError) that says why none
/// could be loaded.
///
/// ```
/// use smithy_runtime::auth::credentials::{ProvideToken, Token, TokenFuture};
///
/// #[derive(Debug)]
/// struct FromCache;
///
/// impl ProvideToken for FromCache {
///     fn provide_token(&self) -> TokenFuture<'_> {
///         TokenFuture::new(async move { Ok(Token::new("cached-token")) })
///     }
/// }
/// ```
pub trait ProvideToken: fmt::Debug + Send + Sync {
    /// Loads a token, or explains why none could be loaded.
    fn provide_token(&self) -> TokenFuture<'_>;
}

/// A fixed token is its own provider.
impl ProvideToken for Token {
    fn provide_token(&self) -> TokenFuture<'_> {
        TokenFuture::ready(Ok(self.clone()))
    }
}

impl<T: ProvideToken + ?Sized> ProvideToken for Arc<T> {
    fn provide_token(&self) -> TokenFuture<'_> {
        (**self).provide_token()
    }
}

/// A cheaply cloned, type-erased token provider, as held by clients.
#[derive(Clone, Debug)]
pub struct SharedTokenProvider(Arc<dyn ProvideToken>);

impl SharedTokenProvider {
    /// Erases the type of `provider`.
    pub fn new(provider: impl ProvideToken + 'static) -> Self {
        SharedTokenProvider(Arc::new(provider))
    }
}

impl ProvideToken for SharedTokenProvider {
    fn provide_token(&self) -> TokenFuture<'_> {
        self.0.provide_token()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_token_provides_itself_and_never_prints() {
        let shared = SharedTokenProvider::new(Token::new("s3cr3t-token"));
        let token = shared.provide_token().await.map(|t| t.as_str().to_owned());
        assert_eq!(token.ok().as_deref(), Some("s3cr3t-token"));
        for text in [
            format!("{shared:?}"),
            format!("{:?}", Token::new("s3cr3t-token")),
        ] {
            assert!(!text.contains("s3cr3t"), "{text}");
        }
    }
}
