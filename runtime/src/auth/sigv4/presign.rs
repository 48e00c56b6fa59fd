//! Query signing: a URL that carries its own signature until it expires.

use std::time::Duration;

use http::uri::PathAndQuery;
use http::{HeaderMap, Method, Uri};
use percent_encoding::percent_decode_str;

use super::canonical_request::{
    canonical_headers, canonical_query, canonical_request, canonical_uri, encode, raw_query_params,
};
use super::string_to_sign::{credential_scope, signature, string_to_sign, AmzDate, ALGORITHM};
use super::{Payload, SigningError, SigningOutput, SigningParams};

/// The longest expiry SigV4 allows for a presigned request: seven days.
pub const MAX_PRESIGN_EXPIRY: Duration = Duration::from_secs(604_800);

/// The query parameters the signer writes; a request already holding one
/// cannot be presigned.
const SIGV4_PARAMS: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
    "X-Amz-SignedHeaders",
];

/// Presigns `request` in place: appends `X-Amz-Algorithm`,
/// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-SignedHeaders`, `X-Amz-Expires`,
/// `X-Amz-Security-Token` (with a session token) and `X-Amz-Signature` to
/// its query, keeping the existing query as it is.
///
/// The request's headers are signed too (whoever uses the URL must send them)
/// but not changed. `expires_in` is truncated to whole seconds and must be
/// between one second and [`MAX_PRESIGN_EXPIRY`]. The body is hashed as the
/// payload; use [`presign_parts`] with [`Payload::Unsigned`] for S3-style
/// URLs. On error the request is unchanged.
pub fn presign_request<B: AsRef<[u8]>>(
    request: &mut http::Request<B>,
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<SigningOutput, SigningError> {
    let payload = Payload::Bytes(request.body().as_ref());
    let (uri, output) = presigned_uri(
        request.method(),
        request.uri(),
        request.headers(),
        payload,
        params,
        expires_in,
    )?;
    *request.uri_mut() = uri;
    Ok(output)
}

/// As [`presign_request`], for request parts and a payload given apart.
pub fn presign_parts(
    parts: &mut http::request::Parts,
    payload: Payload<'_>,
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<SigningOutput, SigningError> {
    let (uri, output) = presigned_uri(
        &parts.method,
        &parts.uri,
        &parts.headers,
        payload,
        params,
        expires_in,
    )?;
    parts.uri = uri;
    Ok(output)
}

fn presigned_uri(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    payload: Payload<'_>,
    params: &SigningParams<'_>,
    expires_in: Duration,
) -> Result<(Uri, SigningOutput), SigningError> {
    params.validate()?;
    let expires_secs = expires_in.as_secs();
    if expires_secs == 0 || expires_in > MAX_PRESIGN_EXPIRY {
        return Err(SigningError::InvalidExpiry { secs: expires_secs });
    }
    if let Some(query) = uri.query() {
        for (key, _) in raw_query_params(query) {
            let decoded = percent_decode_str(key).decode_utf8_lossy();
            if SIGV4_PARAMS
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&decoded))
            {
                return Err(SigningError::AlreadySigned {
                    param: key.to_owned(),
                });
            }
        }
    }
    let settings = &params.settings;
    let date = AmzDate::new(params.time)?;
    let payload_hash = payload.hash()?;
    let scope = credential_scope(&date, params.region, params.service);
    let credential = format!("{}/{scope}", params.access_key);
    let expires = expires_secs.to_string();
    let canonical_headers = canonical_headers(headers, uri, &[], params.settings.unsigned_headers, &[])?;

    // In the order they are appended to the URL.
    let mut auth_params: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", date.as_str()),
        ("X-Amz-SignedHeaders", &canonical_headers.signed_names),
        ("X-Amz-Expires", &expires),
    ];
    let token_param = params
        .session_token
        .map(|token| ("X-Amz-Security-Token", token));
    if let (Some(param), true) = (token_param, settings.sign_session_token) {
        auth_params.push(param);
    }

    let creq = canonical_request(
        method,
        &canonical_uri(uri.path(), settings),
        &canonical_query(uri.query(), &auth_params),
        &canonical_headers,
        &payload_hash,
    );
    let sts = string_to_sign(&date, &scope, &creq);
    let signature = signature(
        params.secret_key,
        &date,
        params.region,
        params.service,
        &sts,
        None,
    );

    if let (Some(param), false) = (token_param, settings.sign_session_token) {
        auth_params.push(param);
    }
    auth_params.push(("X-Amz-Signature", &signature));
    let path = if uri.path().is_empty() {
        "/"
    } else {
        uri.path()
    };
    let mut path_and_query = String::with_capacity(path.len() + 512);
    path_and_query.push_str(path);
    path_and_query.push('?');
    if let Some(query) = uri.query().filter(|q| !q.is_empty()) {
        path_and_query.push_str(query);
        path_and_query.push('&');
    }
    for (i, (key, value)) in auth_params.iter().enumerate() {
        if i > 0 {
            path_and_query.push('&');
        }
        path_and_query.push_str(key);
        path_and_query.push('=');
        path_and_query.push_str(&encode(value));
    }
    let mut parts = uri.clone().into_parts();
    parts.path_and_query =
        Some(
            PathAndQuery::try_from(path_and_query).map_err(|e| SigningError::InvalidUri {
                reason: e.to_string(),
            })?,
        );
    let signed_uri = Uri::from_parts(parts).map_err(|e| SigningError::InvalidUri {
        reason: e.to_string(),
    })?;
    Ok((signed_uri, SigningOutput::new(creq, sts, signature)))
}
