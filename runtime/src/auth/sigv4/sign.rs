//! Header signing: `X-Amz-Date`, `Authorization` and friends.

use http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use http::{HeaderMap, Method, Uri};

use super::canonical_request::{
    canonical_headers, canonical_query, canonical_request, canonical_uri,
};
use super::string_to_sign::{credential_scope, signature, string_to_sign, AmzDate, SigningKeyCache, ALGORITHM};
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
        None,
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
    let plan = plan(&parts.method, &parts.uri, &parts.headers, payload, params, None)?;
    Ok(plan.apply(&mut parts.headers))
}

/// As [`sign_parts`], with the signing key from the credentials' own cache
/// (the client's path: it has the credentials the secret comes from).
pub(crate) fn sign_parts_with_key_cache(
    parts: &mut http::request::Parts,
    payload: Payload<'_>,
    params: &SigningParams<'_>,
    cache: &SigningKeyCache,
) -> Result<SigningOutput, SigningError> {
    let plan = plan(&parts.method, &parts.uri, &parts.headers, payload, params, Some(cache))?;
    Ok(plan.apply(&mut parts.headers))
}

/// The signature and the header changes, worked out before the request is
/// touched.
struct Plan {
    output: SigningOutput,
    /// The headers the signer owns; those it does not set are removed.
    owned: &'static [HeaderName],
    /// At most `X-Amz-Date`, `X-Amz-Content-SHA256`, `X-Amz-Security-Token`
    /// and `Authorization`.
    set: [Option<(HeaderName, HeaderValue)>; 4],
}

impl Plan {
    fn apply(self, headers: &mut HeaderMap) -> SigningOutput {
        for name in self.owned {
            if !self.set.iter().flatten().any(|(set, _)| set == name) {
                headers.remove(name);
            }
        }
        for (name, value) in self.set.into_iter().flatten() {
            headers.insert(name, value);
        }
        self.output
    }
}

/// Headers the signer owns: earlier values are dropped, never signed.
static OWNED: [HeaderName; 4] = [AUTHORIZATION, X_AMZ_DATE_NAME, X_AMZ_SECURITY_TOKEN_NAME, X_AMZ_CONTENT_SHA256_NAME];

fn plan(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    payload: Payload<'_>,
    params: &SigningParams<'_>,
    key_cache: Option<&SigningKeyCache>,
) -> Result<Plan, SigningError> {
    params.validate()?;
    let settings = &params.settings;
    let date = AmzDate::new(params.time)?;
    let payload_hash = payload.hash()?;
    let token = params
        .session_token
        .map(|token| sensitive_value(token.to_owned(), X_AMZ_SECURITY_TOKEN))
        .transpose()?;

    // `X-Amz-Content-SHA256` is the signer's only when it sets it.
    let owned: &'static [HeaderName] = match settings.content_sha256_header {
        true => &OWNED,
        false => &OWNED[..3],
    };
    let signed_token = params.session_token.filter(|_| settings.sign_session_token);
    let mut signed_extra: [(&'static str, &[u8]); 3] = [(X_AMZ_DATE, date.as_str().as_bytes()); 3];
    let mut extras = 1;
    for (name, value) in [
        (X_AMZ_CONTENT_SHA256, settings.content_sha256_header.then_some(payload_hash.as_bytes())),
        (X_AMZ_SECURITY_TOKEN, signed_token.map(str::as_bytes)),
    ] {
        if let Some(value) = value {
            signed_extra[extras] = (name, value);
            extras += 1;
        }
    }

    let canonical_headers =
        canonical_headers(headers, uri, owned, settings.unsigned_headers, &signed_extra[..extras])?;
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
        key_cache,
    );
    let authorization = authorization(params.access_key, &scope, &canonical_headers.signed_names, &signature);

    let content_sha256 = match settings.content_sha256_header {
        true => Some((X_AMZ_CONTENT_SHA256_NAME, value(&payload_hash, X_AMZ_CONTENT_SHA256)?)),
        false => None,
    };
    let set = [
        Some((X_AMZ_DATE_NAME, value(date.as_str(), X_AMZ_DATE)?)),
        content_sha256,
        token.map(|token| (X_AMZ_SECURITY_TOKEN_NAME, token)),
        Some((AUTHORIZATION, sensitive_value(authorization, "authorization")?)),
    ];
    Ok(Plan {
        output: SigningOutput::new(creq, sts, signature),
        owned,
        set,
    })
}

/// `AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=a;b, Signature=hex`.
fn authorization(access_key: &str, scope: &str, signed_names: &str, signature: &str) -> String {
    let parts = [
        ALGORITHM,
        " Credential=",
        access_key,
        "/",
        scope,
        ", SignedHeaders=",
        signed_names,
        ", Signature=",
        signature,
    ];
    // Exactly its length: the header value takes the string's buffer as it
    // is only when nothing is spare.
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
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
