//! STS on the loopback [`QueryServer`] (awsQuery, API version 2011-06-15).
//!
//! | action | behaviour |
//! |---|---|
//! | `AssumeRole` | checks the role ARN, session name, duration (900–43200 s, 3600 when left out), the inline policy (JSON, else `MalformedPolicyDocument`), the `Tags` and `PolicyArns` lists; records the [`Session`] and hands out its credentials, expiring `DurationSeconds` after [`NOW`] |
//! | `GetCallerIdentity` | the identity of the signing access key: the assumed role of a session this server handed out, else the account's user `loopback` |
//!
//! Before either, a request signed with a session token marked by
//! [`Sts::expire_token`] is `ExpiredTokenException` (400), and one whose
//! credential scope names a region turned off by [`Sts::disable_region`] is
//! `RegionDisabledException` (403). A parameter the service would refuse is
//! 400 `ValidationError`, which the model does not list.

use std::collections::BTreeSet;

use http::StatusCode;
use serde_json::Value;
use smithy_runtime::primitives::DateTimeFormat;

use crate::query_server::{self, Call, QueryError, QueryServer, QueryService};
use crate::wire::{timestamp, Form, XmlWriter};

/// The account every identity belongs to.
pub const ACCOUNT_ID: &str = "123456789012";

/// The service's XML namespace.
pub const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// The server's clock, in seconds since the Unix epoch: 2024-05-01T12:00:00Z.
pub const NOW: i64 = 1_714_564_800;

/// The unique id of every role, before the session name.
pub const ROLE_ID: &str = "AROALOOPBACKROLE0001";

/// The unique id of the user that signs with keys this server did not issue.
pub const USER_ID: &str = "AIDALOOPBACKUSER0001";

/// The message of `ExpiredTokenException`.
pub const EXPIRED_TOKEN_MESSAGE: &str = "The security token included in the request is expired";

/// Starts a loopback STS with no sessions.
pub async fn start() -> QueryServer<Sts> {
    query_server::start(Sts::default()).await
}

/// A role session `AssumeRole` handed out, with what the request asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`.
    pub session_name: String,
    /// `DurationSeconds`, or its default.
    pub duration_seconds: i64,
    /// `Policy`.
    pub policy: Option<String>,
    /// `PolicyArns.member.N.arn`, in order.
    pub policy_arns: Vec<String>,
    /// `Tags.member.N.Key` and `.Value`, in order.
    pub tags: Vec<(String, String)>,
    /// `ExternalId`.
    pub external_id: Option<String>,
    /// The access key id handed out.
    pub access_key_id: String,
    /// The secret handed out.
    pub secret_access_key: String,
    /// The session token handed out.
    pub session_token: String,
}

impl Session {
    fn role_name(&self) -> &str {
        self.role_arn.rsplit('/').next().unwrap_or_default()
    }

    /// The ARN of the assumed-role identity.
    pub fn assumed_role_arn(&self) -> String {
        format!(
            "arn:aws:sts::{ACCOUNT_ID}:assumed-role/{}/{}",
            self.role_name(),
            self.session_name
        )
    }

    /// The unique id of the assumed-role identity.
    pub fn assumed_role_id(&self) -> String {
        format!("{ROLE_ID}:{}", self.session_name)
    }

    /// When the credentials expire, in seconds since the Unix epoch.
    pub fn expiration(&self) -> i64 {
        NOW + self.duration_seconds
    }
}

/// The service's state.
#[derive(Debug, Default)]
pub struct Sts {
    sessions: Vec<Session>,
    expired_tokens: BTreeSet<String>,
    disabled_regions: BTreeSet<String>,
}

impl Sts {
    /// Every session handed out so far.
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// Refuses every later request signed with session token `token`.
    pub fn expire_token(&mut self, token: &str) {
        self.expired_tokens.insert(token.to_owned());
    }

    /// Refuses every later request signed for `region`.
    pub fn disable_region(&mut self, region: &str) {
        self.disabled_regions.insert(region.to_owned());
    }

    fn assume_role(&mut self, form: &Form, result: &mut XmlWriter) -> Result<(), QueryError> {
        let role_arn = required(form, "RoleArn")?;
        let role_name = role_arn
            .strip_prefix(&format!("arn:aws:iam::{ACCOUNT_ID}:role/"))
            .filter(|name| !name.is_empty())
            .ok_or_else(|| {
                validation(&format!("{role_arn} is not a role of account {ACCOUNT_ID}"))
            })?;
        let session_name = required(form, "RoleSessionName")?;
        if !(2..=64).contains(&session_name.len()) {
            return Err(validation(
                "RoleSessionName must be 2 to 64 characters long",
            ));
        }
        let duration_seconds = match form.get("DurationSeconds") {
            None => 3600,
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|seconds| (900..=43200).contains(seconds))
                .ok_or_else(|| {
                    validation(&format!("DurationSeconds `{text}` is not 900 to 43200"))
                })?,
        };
        let policy = form.get("Policy").map(str::to_owned);
        if let Some(policy) = &policy {
            if !matches!(serde_json::from_str(policy), Ok(Value::Object(_))) {
                return Err(QueryError::bad_request(
                    "MalformedPolicyDocument",
                    "The session policy is not a JSON object.",
                ));
            }
        }
        let policy_arns = form
            .list("PolicyArns")
            .map_err(|e| validation(&e))?
            .iter()
            .map(|item| required(item, "arn").map(str::to_owned))
            .collect::<Result<Vec<_>, _>>()?;
        let tags = form
            .list("Tags")
            .map_err(|e| validation(&e))?
            .iter()
            .map(|item| {
                Ok((
                    required(item, "Key")?.to_owned(),
                    required(item, "Value")?.to_owned(),
                ))
            })
            .collect::<Result<Vec<_>, QueryError>>()?;
        let n = self.sessions.len() + 1;
        let session = Session {
            role_arn: role_arn.to_owned(),
            session_name: session_name.to_owned(),
            duration_seconds,
            policy,
            policy_arns,
            tags,
            external_id: form.get("ExternalId").map(str::to_owned),
            access_key_id: format!("ASIALOOPBACK{n:08}"),
            secret_access_key: format!("loopback/sts/session/{n}/secret"),
            session_token: format!("loopback-session-token-{n}-{role_name}"),
        };
        result
            .start("AssumedRoleUser")
            .leaf("AssumedRoleId", &session.assumed_role_id())
            .leaf("Arn", &session.assumed_role_arn())
            .end()
            .start("Credentials")
            .leaf("AccessKeyId", &session.access_key_id)
            .leaf("SecretAccessKey", &session.secret_access_key)
            .leaf("SessionToken", &session.session_token)
            .leaf(
                "Expiration",
                &timestamp(session.expiration(), DateTimeFormat::DateTime),
            )
            .end();
        if let Some(size) = packed_policy_size(&session) {
            result.leaf("PackedPolicySize", &size.to_string());
        }
        self.sessions.push(session);
        Ok(())
    }

    fn get_caller_identity(&self, call: &Call<'_>, result: &mut XmlWriter) {
        let session = self
            .sessions
            .iter()
            .find(|s| s.access_key_id == call.auth.access_key_id);
        let (user_id, arn) = match session {
            Some(session) => (session.assumed_role_id(), session.assumed_role_arn()),
            None => (
                USER_ID.to_owned(),
                format!("arn:aws:iam::{ACCOUNT_ID}:user/loopback"),
            ),
        };
        result
            .leaf("Arn", &arn)
            .leaf("UserId", &user_id)
            .leaf("Account", ACCOUNT_ID);
    }
}

impl QueryService for Sts {
    fn signing_name(&self) -> &'static str {
        "sts"
    }

    fn version(&self) -> &'static str {
        "2011-06-15"
    }

    fn namespace(&self) -> &'static str {
        NAMESPACE
    }

    fn knows(&self, action: &str) -> bool {
        matches!(action, "AssumeRole" | "GetCallerIdentity")
    }

    fn call(&mut self, call: &Call<'_>, result: &mut XmlWriter) -> Result<(), QueryError> {
        if call
            .security_token
            .is_some_and(|token| self.expired_tokens.contains(token))
        {
            return Err(QueryError::bad_request(
                "ExpiredTokenException",
                EXPIRED_TOKEN_MESSAGE,
            ));
        }
        if self.disabled_regions.contains(&call.auth.region) {
            return Err(QueryError::sender(
                StatusCode::FORBIDDEN,
                "RegionDisabledException",
                &format!(
                    "STS is not activated in region {} for account {ACCOUNT_ID}",
                    call.auth.region
                ),
            ));
        }
        match call.action {
            "AssumeRole" => self.assume_role(call.form, result),
            _ => {
                self.get_caller_identity(call, result);
                Ok(())
            }
        }
    }
}

/// How much of the allowed packed size the session policy and tags take,
/// in percent; nothing when there are neither.
fn packed_policy_size(session: &Session) -> Option<usize> {
    let policy = session.policy.as_deref().map_or(0, str::len);
    let tags: usize = session.tags.iter().map(|(k, v)| k.len() + v.len()).sum();
    (policy + tags > 0).then(|| ((policy + tags) * 100).div_ceil(2048).min(100))
}

fn validation(message: &str) -> QueryError {
    QueryError::bad_request("ValidationError", message)
}

fn required<'a>(form: &'a Form, name: &str) -> Result<&'a str, QueryError> {
    form.required(name).map_err(|e| validation(&e))
}
