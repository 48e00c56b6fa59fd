//! The JSON documents that credential sources answer with: the output of a
//! `credential_process` command, the ECS container endpoint's response and
//! IMDS role credentials. They share `AccessKeyId`, `SecretAccessKey` and
//! `Expiration`; the session token is `SessionToken` in the first and
//! `Token` in the other two.
//!
//! Error messages name fields, never their values: the document holds
//! secrets.

use std::time::SystemTime;

use serde_json::{Map, Value};

use super::Credentials;
use crate::primitives::{DateTime, DateTimeFormat};

/// A parsed JSON object of credential fields.
pub(super) struct CredentialsDocument {
    fields: Map<String, Value>,
}

impl CredentialsDocument {
    /// Parses `body`, which must be one JSON object.
    pub(super) fn parse(body: &[u8]) -> Result<Self, String> {
        // serde_json's syntax errors give a position, never the input.
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(fields)) => Ok(CredentialsDocument { fields }),
            Ok(_) => Err("it is JSON but not an object".to_owned()),
            Err(error) => Err(format!("it is not valid JSON ({error})")),
        }
    }

    /// The field `key`, if present and not `null`.
    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key).filter(|value| !value.is_null())
    }

    /// The string field `key`, if present; an error if it is not a string.
    pub(super) fn optional_str(&self, key: &str) -> Result<Option<&str>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(format!("`{key}` is not a string")),
        }
    }

    /// The string field `key`, which must be present and not empty.
    pub(super) fn required_str(&self, key: &str) -> Result<&str, String> {
        match self.optional_str(key)? {
            Some(text) if !text.is_empty() => Ok(text),
            Some(_) => Err(format!("`{key}` is empty")),
            None => Err(format!("`{key}` is missing")),
        }
    }

    /// `Expiration`, an RFC 3339 timestamp, if present.
    pub(super) fn expiration(&self) -> Result<Option<SystemTime>, String> {
        let Some(text) = self.optional_str("Expiration")? else {
            return Ok(None);
        };
        let parsed = DateTime::parse(DateTimeFormat::DateTime, text)
            .map_err(|e| format!("`Expiration` `{text}` is not an RFC 3339 timestamp ({e})"))?;
        SystemTime::try_from(parsed)
            .map(Some)
            .map_err(|e| format!("`Expiration` `{text}`: {e}"))
    }

    /// Credentials from `AccessKeyId`, `SecretAccessKey`, the optional
    /// session token field `token_key` and the optional `Expiration`.
    pub(super) fn credentials(
        &self,
        token_key: &str,
        provider_name: &'static str,
    ) -> Result<Credentials, String> {
        Ok(Credentials::new(
            self.required_str("AccessKeyId")?,
            self.required_str("SecretAccessKey")?,
            self.optional_str(token_key)?
                .filter(|token| !token.is_empty())
                .map(str::to_owned),
            self.expiration()?,
            provider_name,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn parse(text: &str) -> Result<CredentialsDocument, String> {
        CredentialsDocument::parse(text.as_bytes())
    }

    #[test]
    fn full_document() {
        let doc = parse(
            r#"{"AccessKeyId":"ASIA1","SecretAccessKey":"s3cr3t","Token":"tok",
                "Expiration":"2023-11-14T22:13:20Z","RoleArn":"arn:aws:iam::1:role/r"}"#,
        )
        .unwrap();
        let creds = doc.credentials("Token", "Test").unwrap();
        assert_eq!(creds.access_key_id(), "ASIA1");
        assert_eq!(creds.secret_access_key(), "s3cr3t");
        assert_eq!(creds.session_token(), Some("tok"));
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        assert_eq!(creds.provider_name(), "Test");
    }

    #[test]
    fn token_and_expiration_are_optional() {
        let doc =
            parse(r#"{"AccessKeyId":"AKID","SecretAccessKey":"s","SessionToken":null}"#).unwrap();
        let creds = doc.credentials("SessionToken", "Test").unwrap();
        assert_eq!((creds.session_token(), creds.expiry()), (None, None));
    }

    #[test]
    fn errors_name_the_field_and_never_a_secret() {
        for (text, expected) in [
            (
                r#"{"SecretAccessKey":"s3cr3t"}"#,
                "`AccessKeyId` is missing",
            ),
            (
                r#"{"AccessKeyId":"A","SecretAccessKey":""}"#,
                "`SecretAccessKey` is empty",
            ),
            (
                r#"{"AccessKeyId":"A","SecretAccessKey":7}"#,
                "`SecretAccessKey` is not a string",
            ),
            (
                r#"{"AccessKeyId":"A","SecretAccessKey":"s3cr3t","Expiration":"soon"}"#,
                "`Expiration` `soon` is not an RFC 3339 timestamp",
            ),
        ] {
            let err = parse(text)
                .unwrap()
                .credentials("Token", "Test")
                .unwrap_err();
            assert!(err.starts_with(expected), "{text}: {err}");
            assert!(!err.contains("s3cr3t"), "{err}");
        }
    }

    #[test]
    fn not_an_object() {
        let err = parse(r#"{"AccessKeyId":"s3cr3t""#).err().unwrap();
        assert!(err.starts_with("it is not valid JSON ("), "{err}");
        assert!(!err.contains("s3cr3t"), "{err}");
        assert_eq!(
            parse("[1]").err().as_deref(),
            Some("it is JSON but not an object")
        );
    }
}
