//! A loopback server that plays Amazon IVS RealTime well enough to drive the
//! generated client end to end, with no AWS account and no network.
//!
//! It listens on `127.0.0.1` (a port the OS picks), keeps its stages in
//! memory, and answers these operations the way the service does (restJson1:
//! `POST /<Operation>` with a JSON body):
//!
//! | operation | behaviour |
//! |---|---|
//! | `CreateStage` | stores a stage; the name `explode` makes a 500 with an HTML body instead |
//! | `GetStage`, `DeleteStage` | 404 `ResourceNotFoundException` for an unknown arn |
//! | `ListStages` | pages of `maxResults` (default 50), continued with `nextToken`; [`ListStagesMode`] bends the paging for paginator tests |
//! | `CreateParticipantToken` | a fresh (secret) token for an existing stage |
//! | `ListParticipantEvents` | a fixed history whose errors include `B_FRAME_PRESENT`, `INVALID_INPUT` and a code the model does not know (`SOME_FUTURE_CODE`) |
//!
//! Input that breaks the model's constraints gets a 400
//! `ValidationException` whose `exceptionMessage` names the member, with the
//! headers the model binds to that error's members (`Cache-Control` as two
//! fields, `no-store` and `no-cache`, which a client must read whole). Every
//! response carries
//! `x-amzn-requestid`; every error also carries `x-amzn-errortype`.
//!
//! Every request must be SigV4-signed for service `ivs`: the server checks
//! the *shape* of the `Authorization` and `x-amz-date` headers (it does not
//! know the secret key, so it cannot check the signature itself) and answers
//! 403 `IncompleteSignatureException` when they are wrong. Every request the
//! server reads, accepted or not, is recorded for assertions.
//!
//! ```no_run
//! # async fn demo() {
//! let server = integration_tests::ivs_server::start().await;
//! let endpoint = format!("http://{}", server.addr());
//! // ... point a client at `endpoint`, make calls ...
//! assert!(server.requests().iter().all(|r| r.method == "POST"));
//! # }
//! ```
//!
//! Dropping the [`TestServer`] stops it and closes its open connections.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use serde_json::{json, Map, Value};
use tokio::task::JoinHandle;

use crate::loopback;

/// The account id in every arn the server makes.
pub const ACCOUNT_ID: &str = "123456789012";

/// The stage name that makes `CreateStage` fail with a 500 and a non-JSON
/// body (every attempt, so a client's retries can be counted).
pub const EXPLODING_STAGE_NAME: &str = "explode";

/// The error code the server gives, in `ListParticipantEvents`, that the
/// model does not define.
pub const FUTURE_ERROR_CODE: &str = "SOME_FUTURE_CODE";

/// The body of the 500 answer: not JSON, as a load balancer would send.
pub const EXPLODE_BODY: &str =
    "<html><body><h1>500 Internal Server Error</h1>the stage exploded</body></html>";

/// Page size of `ListStages` when the request gives no `maxResults`.
const DEFAULT_PAGE_SIZE: usize = 50;

pub use crate::loopback::RecordedRequest;

/// The parts of a well-formed SigV4 `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigV4Authorization {
    /// The access key id of the credential scope.
    pub access_key_id: String,
    /// `yyyymmdd` of the credential scope.
    pub date: String,
    /// The region of the credential scope.
    pub region: String,
    /// The signing name of the credential scope (`ivs` here).
    pub service: String,
    /// The signed header names, in the order sent (lowercase, sorted).
    pub signed_headers: Vec<String>,
    /// The 64 lowercase hex digits of the signature.
    pub signature: String,
}

/// Checks that `headers` carry a SigV4 header signature for `service`:
///
/// `Authorization: AWS4-HMAC-SHA256 Credential=<akid>/<yyyymmdd>/<region>/<service>/aws4_request,
/// SignedHeaders=<lowercase names, sorted, with host and x-amz-date>, Signature=<64 hex>`
///
/// and an `x-amz-date` of the form `yyyymmddThhmmssZ` on the scope's date.
/// Returns what was wrong otherwise.
pub fn check_sigv4_shape(headers: &HeaderMap, service: &str) -> Result<SigV4Authorization, String> {
    let header = headers
        .get("authorization")
        .ok_or("missing Authorization header")?
        .to_str()
        .map_err(|_| "Authorization header is not text")?;
    let rest = header
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("Authorization does not start with `AWS4-HMAC-SHA256 `")?;
    let parts: Vec<&str> = rest.split(", ").collect();
    let [credential, signed_headers, signature] = parts.as_slice() else {
        return Err(format!(
            "Authorization needs `Credential=…, SignedHeaders=…, Signature=…`, found {} parts",
            parts.len()
        ));
    };
    let credential = credential
        .strip_prefix("Credential=")
        .ok_or("first part is not `Credential=`")?;
    let signed_headers = signed_headers
        .strip_prefix("SignedHeaders=")
        .ok_or("second part is not `SignedHeaders=`")?;
    let signature = signature
        .strip_prefix("Signature=")
        .ok_or("third part is not `Signature=`")?;

    let scope: Vec<&str> = credential.split('/').collect();
    let [akid, date, region, scope_service, terminator] = scope.as_slice() else {
        return Err(format!(
            "credential scope `{credential}` does not have 5 parts"
        ));
    };
    if akid.is_empty() || !akid.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("access key id `{akid}` is not alphanumeric"));
    }
    if date.len() != 8 || !date.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("credential date `{date}` is not yyyymmdd"));
    }
    if region.is_empty()
        || !region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!("credential region `{region}` is not a region name"));
    }
    if *scope_service != service {
        return Err(format!(
            "credential scope names service `{scope_service}`, expected `{service}`"
        ));
    }
    if *terminator != "aws4_request" {
        return Err(format!(
            "credential scope ends with `{terminator}`, expected `aws4_request`"
        ));
    }

    let names: Vec<String> = signed_headers.split(';').map(str::to_owned).collect();
    if names
        .iter()
        .any(|n| n.is_empty() || n.chars().any(|c| c.is_ascii_uppercase()))
    {
        return Err(format!(
            "SignedHeaders `{signed_headers}` has an empty or uppercase name"
        ));
    }
    if names.windows(2).any(|pair| pair[0] >= pair[1]) {
        return Err(format!("SignedHeaders `{signed_headers}` is not sorted"));
    }
    for required in ["host", "x-amz-date"] {
        if !names.iter().any(|n| n == required) {
            return Err(format!(
                "SignedHeaders `{signed_headers}` does not include `{required}`"
            ));
        }
    }
    if let Some(unsent) = names
        .iter()
        .find(|n| *n != "host" && !headers.contains_key(n.as_str()))
    {
        return Err(format!("signed header `{unsent}` was not sent"));
    }

    if signature.len() != 64
        || !signature
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    {
        return Err(format!(
            "signature `{signature}` is not 64 lowercase hex digits"
        ));
    }

    let amz_date = headers
        .get("x-amz-date")
        .ok_or("missing x-amz-date header")?
        .to_str()
        .map_err(|_| "x-amz-date is not text")?;
    let well_formed = amz_date.len() == 16
        && amz_date.char_indices().all(|(i, c)| match i {
            8 => c == 'T',
            15 => c == 'Z',
            _ => c.is_ascii_digit(),
        });
    if !well_formed {
        return Err(format!("x-amz-date `{amz_date}` is not yyyymmddThhmmssZ"));
    }
    if !amz_date.starts_with(date) {
        return Err(format!(
            "x-amz-date `{amz_date}` is not on the credential date `{date}`"
        ));
    }

    Ok(SigV4Authorization {
        access_key_id: (*akid).to_owned(),
        date: (*date).to_owned(),
        region: (*region).to_owned(),
        service: (*scope_service).to_owned(),
        signed_headers: names,
        signature: signature.to_owned(),
    })
}

/// A stage as the server stores it.
#[derive(Debug, Clone)]
struct StoredStage {
    arn: String,
    name: String,
    tags: Map<String, Value>,
}

impl StoredStage {
    fn to_json(&self) -> Value {
        let id = self.arn.rsplit('/').next().unwrap_or_default();
        json!({
            "arn": self.arn,
            "name": self.name,
            "tags": self.tags,
            "endpoints": {
                "events": format!("wss://global.events.live-video.net/{id}"),
                "whip": format!("https://{id}.global-bm.whip.live-video.net"),
                "rtmp": format!("rtmp://{id}.global-contribute-staging.live-video.net/app/"),
                "rtmps": format!("rtmps://{id}.global-contribute-staging.live-video.net:443/app/"),
            },
        })
    }

    fn summary_json(&self) -> Value {
        json!({ "arn": self.arn, "name": self.name, "tags": self.tags })
    }
}

/// How `ListStages` pages (set with [`TestServer::set_list_stages_mode`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListStagesMode {
    /// A `nextToken` only when more stages remain (the default).
    #[default]
    Exact,
    /// A `nextToken` whenever the page is full, as many services do, so the
    /// last page can be empty.
    TokenWhenFull,
    /// A request that carries a token gets its page with that same token
    /// back, as a service stuck on one position would answer.
    RepeatToken,
    /// The `n`-th `ListStages` request after the mode was set (from 1)
    /// fails with a 403 `AccessDeniedException`.
    FailRequest(u32),
}

#[derive(Debug, Default)]
struct State {
    /// Stages by creation number, so listing is in creation order.
    stages: BTreeMap<u64, StoredStage>,
    list_stages_mode: ListStagesMode,
    /// `ListStages` requests since the mode was set.
    list_stages_calls: u32,
    next_stage: u64,
    next_token: u64,
    next_request: u64,
    requests: Vec<RecordedRequest>,
}

/// What a handler answers.
struct Reply {
    status: StatusCode,
    headers: Vec<(&'static str, String)>,
    body: Bytes,
}

impl Reply {
    fn json(body: Value) -> Reply {
        Reply {
            status: StatusCode::OK,
            headers: vec![("content-type", "application/json".to_owned())],
            body: Bytes::from(body.to_string()),
        }
    }

    /// A restJson1 error: `x-amzn-errortype`, the security headers the
    /// model binds to the error's members, and `{"exceptionMessage": …}`.
    fn error(status: StatusCode, code: &str, message: &str) -> Reply {
        Reply {
            status,
            headers: vec![
                ("content-type", "application/json".to_owned()),
                (
                    "x-amzn-errortype",
                    format!("{code}:http://internal.amazon.com/coral/com.amazonaws.ivsrealtime/"),
                ),
                // Two fields, as a proxy may send them: a client must read
                // both (`no-store, no-cache`), not only the first.
                ("cache-control", "no-store".to_owned()),
                ("cache-control", "no-cache".to_owned()),
                ("x-content-type-options", "nosniff".to_owned()),
                ("x-frame-options", "DENY".to_owned()),
                (
                    "strict-transport-security",
                    "max-age=47304000; includeSubDomains".to_owned(),
                ),
            ],
            body: Bytes::from(json!({ "exceptionMessage": message }).to_string()),
        }
    }

    fn validation(message: &str) -> Reply {
        Reply::error(StatusCode::BAD_REQUEST, "ValidationException", message)
    }

    fn not_found(arn: &str) -> Reply {
        Reply::error(
            StatusCode::NOT_FOUND,
            "ResourceNotFoundException",
            &format!("Stage {arn} does not exist"),
        )
    }
}

/// A running loopback IVS RealTime server; dropping it stops the server.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    accept_loop: JoinHandle<()>,
}

/// Binds `127.0.0.1:0` and starts serving. Must be called inside a tokio
/// runtime (with IO enabled); the server runs on that runtime's tasks.
pub async fn start() -> TestServer {
    TestServer::start().await
}

impl TestServer {
    /// Binds `127.0.0.1:0` and starts serving.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound, which leaves nothing to test.
    pub async fn start() -> TestServer {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        let (addr, accept_loop) = loopback::serve("IVS", move |request| {
            let state = Arc::clone(&shared);
            async move { serve(request, &state).await }
        })
        .await;
        TestServer {
            addr,
            state,
            accept_loop,
        }
    }

    /// The address the server listens on (`127.0.0.1:<port>`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`, for a client's endpoint URL.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request read so far, in arrival order (rejected ones too).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }

    /// The requests read so far for `operation` (e.g. `"CreateStage"`).
    pub fn requests_for(&self, operation: &str) -> Vec<RecordedRequest> {
        lock(&self.state)
            .requests
            .iter()
            .filter(|r| r.operation() == operation)
            .cloned()
            .collect()
    }

    /// How many stages the server holds now.
    pub fn stage_count(&self) -> usize {
        lock(&self.state).stages.len()
    }

    /// Changes how `ListStages` pages from the next request on.
    pub fn set_list_stages_mode(&self, mode: ListStagesMode) {
        let mut state = lock(&self.state);
        state.list_stages_mode = mode;
        state.list_stages_calls = 0;
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

impl std::fmt::Debug for TestServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// The state, even if a panicking test thread poisoned the lock: the data is
/// only ever replaced whole, so it is still consistent.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn serve(request: Request<Incoming>, state: &Mutex<State>) -> Response<Full<Bytes>> {
    let mut recorded = loopback::read_request(request).await;

    let mut state = lock(state);
    state.next_request += 1;
    let request_id = format!("e2a3c1d0-0000-4000-8000-{:012}", state.next_request);
    let reply = handle(&recorded, &mut state);
    recorded.status = reply.status.as_u16();
    recorded.request_id.clone_from(&request_id);
    state.requests.push(recorded);
    drop(state);

    let headers = reply
        .headers
        .into_iter()
        .chain([("x-amzn-requestid", request_id)]);
    loopback::response(reply.status, headers, reply.body)
}

fn handle(request: &RecordedRequest, state: &mut State) -> Reply {
    let auth = match check_sigv4_shape(&request.headers, "ivs") {
        Ok(auth) => auth,
        Err(why) => {
            return Reply::error(StatusCode::FORBIDDEN, "IncompleteSignatureException", &why)
        }
    };
    if request.method != "POST" {
        return Reply::error(
            StatusCode::NOT_FOUND,
            "UnknownOperationException",
            &format!("no operation at {} {}", request.method, request.path),
        );
    }
    let input = if request.body.is_empty() {
        Map::new()
    } else {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(Value::Object(input)) => input,
            Ok(_) => return Reply::validation("the request body is not a JSON object"),
            Err(e) => return Reply::validation(&format!("the request body is not JSON: {e}")),
        }
    };
    match request.operation() {
        "CreateStage" => create_stage(&input, &auth, state),
        "GetStage" => get_stage(&input, state),
        "ListStages" => list_stages(&input, state),
        "DeleteStage" => delete_stage(&input, state),
        "CreateParticipantToken" => create_participant_token(&input, state),
        "ListParticipantEvents" => list_participant_events(&input),
        other => Reply::error(
            StatusCode::NOT_FOUND,
            "UnknownOperationException",
            &format!("the test server does not play operation `{other}`"),
        ),
    }
}

/// Member `name` as a string: `Ok(None)` when absent or null.
fn optional_string<'a>(
    input: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, Reply> {
    match input.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Reply::validation(&format!("{name}: must be a string"))),
    }
}

fn required_string<'a>(input: &'a Map<String, Value>, name: &str) -> Result<&'a str, Reply> {
    optional_string(input, name)?.ok_or_else(|| Reply::validation(&format!("{name}: is required")))
}

/// Member `name` as an integer in `min..=max`, if present.
fn optional_int(
    input: &Map<String, Value>,
    name: &str,
    min: i64,
    max: i64,
) -> Result<Option<i64>, Reply> {
    match input.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match value.as_i64() {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(Reply::validation(&format!(
                "{name}: must be an integer from {min} to {max}"
            ))),
        },
    }
}

/// A stage arn as the model's pattern has it:
/// `arn:aws:ivs:<region>:<account>:stage/<id>`.
fn check_stage_arn(arn: &str, member: &str) -> Result<(), Reply> {
    let valid = arn.len() <= 128
        && arn
            .strip_prefix("arn:aws:ivs:")
            .and_then(|rest| rest.split_once(':'))
            .and_then(|(region, rest)| {
                let (account, id) = rest.split_once(":stage/")?;
                let ok = !region.is_empty()
                    && region
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !account.is_empty()
                    && account.chars().all(|c| c.is_ascii_digit())
                    && !id.is_empty()
                    && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                ok.then_some(())
            })
            .is_some();
    if valid {
        Ok(())
    } else {
        Err(Reply::validation(&format!(
            "{member}: `{arn}` does not match ^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$"
        )))
    }
}

fn find_stage<'a>(state: &'a State, arn: &str) -> Option<(u64, &'a StoredStage)> {
    state
        .stages
        .iter()
        .find(|(_, s)| s.arn == arn)
        .map(|(n, s)| (*n, s))
}

fn create_stage(input: &Map<String, Value>, auth: &SigV4Authorization, state: &mut State) -> Reply {
    let name = match optional_string(input, "name") {
        Ok(name) => name.unwrap_or_default(),
        Err(reply) => return reply,
    };
    if name == EXPLODING_STAGE_NAME {
        return Reply {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            headers: vec![
                ("content-type", "text/html".to_owned()),
                ("x-amzn-errortype", "InternalServerException".to_owned()),
            ],
            body: Bytes::from_static(EXPLODE_BODY.as_bytes()),
        };
    }
    if name.len() > 128
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Reply::validation(&format!(
            "name: `{name}` must be at most 128 characters of a-z, A-Z, 0-9, - and _"
        ));
    }
    let tags = match input.get("tags") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(tags)) if tags.values().all(Value::is_string) => tags.clone(),
        Some(_) => return Reply::validation("tags: must be a map of strings"),
    };
    state.next_stage += 1;
    let number = state.next_stage;
    let stage = StoredStage {
        arn: format!(
            "arn:aws:ivs:{}:{ACCOUNT_ID}:stage/st{number:010}",
            auth.region
        ),
        name: name.to_owned(),
        tags,
    };
    let body = json!({ "stage": stage.to_json(), "participantTokens": [] });
    state.stages.insert(number, stage);
    Reply::json(body)
}

fn get_stage(input: &Map<String, Value>, state: &State) -> Reply {
    let arn = match required_string(input, "arn")
        .and_then(|arn| check_stage_arn(arn, "arn").map(|()| arn))
    {
        Ok(arn) => arn,
        Err(reply) => return reply,
    };
    match find_stage(state, arn) {
        Some((_, stage)) => Reply::json(json!({ "stage": stage.to_json() })),
        None => Reply::not_found(arn),
    }
}

fn delete_stage(input: &Map<String, Value>, state: &mut State) -> Reply {
    let arn = match required_string(input, "arn")
        .and_then(|arn| check_stage_arn(arn, "arn").map(|()| arn))
    {
        Ok(arn) => arn,
        Err(reply) => return reply,
    };
    match find_stage(state, arn) {
        Some((number, _)) => {
            state.stages.remove(&number);
            Reply::json(json!({}))
        }
        None => Reply::not_found(arn),
    }
}

/// `nextToken` is the creation number of the first stage of the next page,
/// as `page-<n>`.
fn list_stages(input: &Map<String, Value>, state: &mut State) -> Reply {
    state.list_stages_calls += 1;
    if state.list_stages_mode == ListStagesMode::FailRequest(state.list_stages_calls) {
        return Reply::error(
            StatusCode::FORBIDDEN,
            "AccessDeniedException",
            "the caller may not list stages",
        );
    }
    let page_size = match optional_int(input, "maxResults", 1, 100) {
        Ok(size) => size
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(DEFAULT_PAGE_SIZE),
        Err(reply) => return reply,
    };
    let start = match optional_string(input, "nextToken") {
        Ok(None) => 0,
        Ok(Some(token)) => match token
            .strip_prefix("page-")
            .and_then(|n| n.parse::<u64>().ok())
        {
            Some(start) => start,
            None => {
                return Reply::validation(&format!(
                    "nextToken: `{token}` is not a token this server gave"
                ))
            }
        },
        Err(reply) => return reply,
    };
    let mut remaining = state.stages.range(start..);
    let page: Vec<Value> = remaining
        .by_ref()
        .take(page_size)
        .map(|(_, s)| s.summary_json())
        .collect();
    let full = page.len() == page_size;
    let mut body = json!({ "stages": page });
    let next = match (state.list_stages_mode, remaining.next()) {
        (ListStagesMode::RepeatToken, _) if start > 0 => Some(start),
        (_, Some((next, _))) => Some(*next),
        // One past the last stage: its page is empty.
        (ListStagesMode::TokenWhenFull, None) if full => Some(state.next_stage + 1),
        (_, None) => None,
    };
    if let Some(next) = next {
        body["nextToken"] = json!(format!("page-{next}"));
    }
    Reply::json(body)
}

fn create_participant_token(input: &Map<String, Value>, state: &mut State) -> Reply {
    let arn = match required_string(input, "stageArn")
        .and_then(|arn| check_stage_arn(arn, "stageArn").map(|()| arn))
    {
        Ok(arn) => arn,
        Err(reply) => return reply,
    };
    let duration = match optional_int(input, "duration", 1, 20160) {
        Ok(duration) => duration.unwrap_or(720),
        Err(reply) => return reply,
    };
    let user_id = match optional_string(input, "userId") {
        Ok(user_id) => user_id.map(str::to_owned),
        Err(reply) => return reply,
    };
    let capabilities = match input.get("capabilities") {
        None | Some(Value::Null) => json!(["PUBLISH", "SUBSCRIBE"]),
        Some(Value::Array(items))
            if items.iter().all(|c| {
                c.as_str()
                    .is_some_and(|c| c == "PUBLISH" || c == "SUBSCRIBE")
            }) =>
        {
            Value::Array(items.clone())
        }
        Some(_) => {
            return Reply::validation("capabilities: must be a list of PUBLISH and SUBSCRIBE")
        }
    };
    let attributes = match input.get("attributes") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) if map.values().all(Value::is_string) => map.clone(),
        Some(_) => return Reply::validation("attributes: must be a map of strings"),
    };
    if find_stage(state, arn).is_none() {
        return Reply::not_found(arn);
    }
    state.next_token += 1;
    let number = state.next_token;
    let mut token = json!({
        "participantId": format!("pt{number:010}"),
        "token": participant_token_secret(number),
        "attributes": attributes,
        "duration": duration,
        "capabilities": capabilities,
        "expirationTime": "2030-01-01T00:00:00Z",
    });
    if let Some(user_id) = user_id {
        token["userId"] = json!(user_id);
    }
    Reply::json(json!({ "participantToken": token }))
}

/// The secret token the server gives with participant token number `n`
/// (shaped like the JWTs the service returns), so tests can look for it.
pub fn participant_token_secret(n: u64) -> String {
    format!("eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.c2VjcmV0LXBhcnRpY2lwYW50LXRva2Vu.SECRET-{n:06}")
}

/// The same history for any participant: joined, three publish errors
/// (two the model knows and one it does not), left.
fn list_participant_events(input: &Map<String, Value>) -> Reply {
    let participant_id = match required_string(input, "stageArn")
        .and_then(|arn| check_stage_arn(arn, "stageArn"))
        .and_then(|()| required_string(input, "sessionId"))
        .and_then(|_| required_string(input, "participantId"))
    {
        Ok(participant_id) => participant_id,
        Err(reply) => return reply,
    };
    let event = |name: &str, second: u32, error: Option<&str>| {
        let mut event = json!({
            "name": name,
            "participantId": participant_id,
            "eventTime": format!("2024-05-01T12:00:{second:02}Z"),
        });
        if let Some(code) = error {
            event["errorCode"] = json!(code);
        }
        event
    };
    Reply::json(json!({
        "events": [
            event("JOINED", 0, None),
            event("PUBLISH_ERROR", 1, Some("B_FRAME_PRESENT")),
            event("PUBLISH_ERROR", 2, Some("INVALID_INPUT")),
            event("PUBLISH_ERROR", 3, Some(FUTURE_ERROR_CODE)),
            event("LEFT", 4, None),
        ],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const GOOD_AUTH: &str =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/ivs/aws4_request, \
        SignedHeaders=content-type;host;x-amz-date, \
        Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    fn headers(auth: &str, date: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_str(auth).unwrap());
        headers.insert("x-amz-date", HeaderValue::from_str(date).unwrap());
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers
    }

    #[test]
    fn accepts_a_well_formed_signature() {
        let auth = check_sigv4_shape(&headers(GOOD_AUTH, "20240501T120000Z"), "ivs").unwrap();
        assert_eq!(auth.access_key_id, "AKIDEXAMPLE");
        assert_eq!(auth.region, "us-east-1");
        assert_eq!(auth.signed_headers, ["content-type", "host", "x-amz-date"]);
    }

    #[test]
    fn rejects_each_malformed_part() {
        let cases = [
            (
                GOOD_AUTH.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"),
                "20240501T120000Z",
                "does not start",
            ),
            (
                GOOD_AUTH.replace("/ivs/", "/s3/"),
                "20240501T120000Z",
                "service `s3`",
            ),
            (
                GOOD_AUTH.replace("aws4_request", "aws4"),
                "20240501T120000Z",
                "aws4_request",
            ),
            (
                GOOD_AUTH.replace("20240501", "2024-05-01"),
                "20240501T120000Z",
                "yyyymmdd",
            ),
            (
                GOOD_AUTH.replace(";x-amz-date", ""),
                "20240501T120000Z",
                "x-amz-date",
            ),
            (
                GOOD_AUTH.replace("content-type;host", "host;content-type"),
                "20240501T120000Z",
                "not sorted",
            ),
            (
                GOOD_AUTH.replace("content-type", "x-custom"),
                "20240501T120000Z",
                "not sorted",
            ),
            (
                GOOD_AUTH.replace("5d672d", "5D672D"),
                "20240501T120000Z",
                "64 lowercase hex",
            ),
            (
                GOOD_AUTH.replace("b5d7", ""),
                "20240501T120000Z",
                "64 lowercase hex",
            ),
            (GOOD_AUTH.to_owned(), "20240502T120000Z", "credential date"),
            (
                GOOD_AUTH.to_owned(),
                "2024-05-01T12:00:00Z",
                "yyyymmddThhmmssZ",
            ),
        ];
        for (auth, date, expected) in cases {
            let error = check_sigv4_shape(&headers(&auth, date), "ivs").unwrap_err();
            assert!(
                error.contains(expected),
                "{auth} / {date}: {error:?} should mention {expected:?}"
            );
        }
        let mut unsigned = headers(GOOD_AUTH, "20240501T120000Z");
        unsigned.remove("authorization");
        assert_eq!(
            check_sigv4_shape(&unsigned, "ivs").unwrap_err(),
            "missing Authorization header"
        );
        let mut dateless = headers(GOOD_AUTH, "20240501T120000Z");
        dateless.remove("x-amz-date");
        assert!(check_sigv4_shape(&dateless, "ivs")
            .unwrap_err()
            .contains("was not sent"));
    }

    /// Sends raw HTTP/1.1 and returns the whole response text.
    async fn raw_exchange(server: &TestServer, request: &str) -> String {
        let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.unwrap();
        String::from_utf8(response).unwrap()
    }

    #[tokio::test]
    async fn unsigned_requests_get_403_and_are_recorded() {
        let server = start().await;
        let body = r#"{"name":"x"}"#;
        let response = raw_exchange(
            &server,
            &format!(
                "POST /CreateStage HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                server.addr(),
                body.len()
            ),
        )
        .await;
        let lower = response.to_ascii_lowercase();
        assert!(response.starts_with("HTTP/1.1 403"), "{response}");
        assert!(
            lower.contains("x-amzn-errortype: incompletesignatureexception"),
            "{response}"
        );
        assert!(lower.contains("x-amzn-requestid: "), "{response}");
        assert!(
            response.contains("missing Authorization header"),
            "{response}"
        );
        assert_eq!(server.stage_count(), 0);
        let recorded = server.requests();
        assert_eq!(recorded.len(), 1);
        assert_eq!(recorded[0].operation(), "CreateStage");
        assert_eq!(recorded[0].json(), Some(json!({"name": "x"})));
        assert_eq!(recorded[0].status, 403);
        assert!(lower.contains(&format!("x-amzn-requestid: {}", recorded[0].request_id)));
    }

    #[tokio::test]
    async fn signed_shape_reaches_the_operation() {
        let server = start().await;
        let body = r#"{"maxResults":1}"#;
        let response = raw_exchange(
            &server,
            &format!(
                "POST /ListStages HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
                 x-amz-date: 20240501T120000Z\r\nauthorization: {GOOD_AUTH}\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                server.addr(),
                body.len()
            ),
        )
        .await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.ends_with(r#"{"stages":[]}"#), "{response}");
    }
}
