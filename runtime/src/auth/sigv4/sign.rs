//! Header signing: `X-Amz-Date`, `Authorization` and friends.

use http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use http::{HeaderMap, Method, Uri};

use super::canonical_request::{
    canonical_headers, canonical_query, canonical_request, canonical_uri,
};
use super::string_to_sign::{credential_scope, signature, string_to_sign, AmzDate, ALGORITHM};
use super::{Payload, SigningError, SigningOutput, SigningParams};

pub(crate) const X_AMZ_DATE: &str = "x-amz-date";
pub(crate) const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";
// The same names as header names, so removing and inserting them does not
// parse a string each time.
const X_AMZ_DATE_NAME: HeaderName = HeaderName::from_static(X_AMZ_DATE);
const X_AMZ_SECURITY_TOKEN_NAME: HeaderName = HeaderName::from_static(X_AMZ_SECURITY_TOKEN);
const X_AMZ_CONTENT_SHA256_NAME: HeaderName = HeaderName::from_static(X_AMZ_CONTENT_SHA256);

/// Signs `request` in place, hashing its body as the payload.
///
/// Sets `X-Amz-Date`, `Authorization` and, with a session token,
/// `X-Amz-Security-Token` (plus `X-Amz-Content-SHA256` when the settings ask
/// for it), replacing any earlier values of those headers, so a request can be
/// signed again before a retry. Every other header is signed as it is, except
/// hop-by-hop headers, `User-Agent` and `X-Amzn-Trace-Id`. With no `Host`
/// header, the host of the URI is signed (the HTTP client sends that one).
/// On error the request is unchanged.
pub fn sign_request<B: AsRef<[u8]>>(
    request: &mut http::Request<B>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    let payload = Payload::Bytes(request.body().as_ref());
    let plan = plan(
        request.method(),
        request.uri(),
        request.headers(),
        payload,
        params,
    )?;
    Ok(plan.apply(request.headers_mut()))
}

/// As [`sign_request`], for request parts whose body is elsewhere (or is
/// streamed, with a [`Payload::Precomputed`] hash).
pub fn sign_parts(
    parts: &mut http::request::Parts,
    payload: Payload<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    let plan = plan(&parts.method, &parts.uri, &parts.headers, payload, params)?;
    Ok(plan.apply(&mut parts.headers))
}

/// The signature and the header changes, worked out before the request is
/// touched.
struct Plan {
    output: SigningOutput,
    remove: Vec<HeaderName>,
    set: Vec<(HeaderName, HeaderValue)>,
}

impl Plan {
    fn apply(self, headers: &mut HeaderMap) -> SigningOutput {
        for name in self.remove {
            headers.remove(name);
        }
        for (name, value) in self.set {
            headers.insert(name, value);
        }
        self.output
    }
}

fn plan(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    payload: Payload<'_>,
    params: &SigningParams<'_>,
) -> Result<Plan, SigningError> {
    params.validate()?;
    let settings = &params.settings;
    let date = AmzDate::new(params.time)?;
    let payload_hash = payload.hash()?;
    let token = params
        .session_token
        .map(|token| sensitive_value(token.to_owned(), X_AMZ_SECURITY_TOKEN))
        .transpose()?;

    // Headers the signer owns: earlier values are dropped, never signed.
    let mut owned = vec![AUTHORIZATION, X_AMZ_DATE_NAME, X_AMZ_SECURITY_TOKEN_NAME];
    let mut signed_extra: Vec<(&'static str, &[u8])> = vec![(X_AMZ_DATE, date.as_str().as_bytes())];
    if settings.content_sha256_header {
        owned.push(X_AMZ_CONTENT_SHA256_NAME);
        signed_extra.push((X_AMZ_CONTENT_SHA256, payload_hash.as_bytes()));
    }
    if let (Some(token), true) = (params.session_token, settings.sign_session_token) {
        signed_extra.push((X_AMZ_SECURITY_TOKEN, token.as_bytes()));
    }

    let canonical_headers = canonical_headers(headers, uri, &owned, settings.unsigned_headers, &signed_extra)?;
    let creq = canonical_request(
        method,
        &canonical_uri(uri.path(), settings),
        &canonical_query(uri.query(), &[]),
        &canonical_headers,
        &payload_hash,
    );
    let scope = credential_scope(&date, params.region, params.service);
    let sts = string_to_sign(&date, &scope, &creq);
    let signature = signature(
        params.secret_key,
        &date,
        params.region,
        params.service,
        &sts,
    );
    let authorization = authorization(params.access_key, &scope, &canonical_headers.signed_names, &signature);

    let mut set = Vec::with_capacity(4);
    set.push((X_AMZ_DATE_NAME, value(date.as_str(), X_AMZ_DATE)?));
    if settings.content_sha256_header {
        set.push((
            X_AMZ_CONTENT_SHA256_NAME,
            value(&payload_hash, X_AMZ_CONTENT_SHA256)?,
        ));
    }
    if let Some(token) = token {
        set.push((X_AMZ_SECURITY_TOKEN_NAME, token));
    }
    set.push((
        AUTHORIZATION,
        sensitive_value(authorization, "authorization")?,
    ));
    let remove = owned
        .into_iter()
        .filter(|name| !set.iter().any(|(n, _)| n == name))
        .collect();
    Ok(Plan {
        output: SigningOutput::new(creq, sts, signature),
        remove,
        set,
    })
}

/// `AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=a;b, Signature=hex`.
fn authorization(access_key: &str, scope: &str, signed_names: &str, signature: &str) -> String {
    let mut out = String::with_capacity(
        ALGORITHM.len() + access_key.len() + scope.len() + signed_names.len() + signature.len() + 40,
    );
    for part in [
        ALGORITHM,
        " Credential=",
        access_key,
        "/",
        scope,
        ", SignedHeaders=",
        signed_names,
        ", Signature=",
        signature,
    ] {
        out.push_str(part);
    }
    out
}

fn value(text: &str, header: &'static str) -> Result<HeaderValue, SigningError> {
    HeaderValue::from_str(text).map_err(|_| SigningError::InvalidHeaderValue { header })
}

/// A header value marked sensitive, so HTTP stacks keep it out of logs.
fn sensitive_value(text: String, header: &'static str) -> Result<HeaderValue, SigningError> {
    let mut value =
        HeaderValue::try_from(text).map_err(|_| SigningError::InvalidHeaderValue { header })?;
    value.set_sensitive(true);
    Ok(value)
}
