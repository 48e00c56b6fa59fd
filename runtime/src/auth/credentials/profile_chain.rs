//! Profiles whose credentials come through AWS services: `role_arn` with
//! `source_profile` or `credential_source`, `web_identity_token_file`, and
//! SSO (`sso_session` or the legacy `sso_start_url`).
//!
//! [`resolve`] follows `source_profile` links from the active profile to a
//! profile that has credentials of its own (the *base*), collecting the
//! roles to assume on the way; [`ProfileChain::load`] loads the base and
//! assumes the roles from the innermost outwards, as the AWS SDKs do.

use std::path::PathBuf;

use super::assume_role::RoleRequest;
use super::ecs::EcsCredentialsProvider;
use super::env::EnvironmentCredentialsProvider;
use super::imds::ImdsCredentialsProvider;
use super::profile::{base_source, static_keys, Source};
use super::services::sts_region;
use super::sso::SsoSettings;
use super::web_identity::{WebIdentitySettings, WebIdentityTokenCredentialsProvider};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::config::environment::Environment;
use crate::config::profile::{Profile, ProfileSet};

const ROLE_ARN: &str = "role_arn";
const SOURCE_PROFILE: &str = "source_profile";
const CREDENTIAL_SOURCE: &str = "credential_source";
const WEB_IDENTITY_TOKEN_FILE: &str = "web_identity_token_file";
const SSO_SESSION: &str = "sso_session";
const SSO_START_URL: &str = "sso_start_url";

/// The `credential_source` values and the provider each names.
const CREDENTIAL_SOURCES: &[&str] = &["Environment", "Ec2InstanceMetadata", "EcsContainer"];

/// Where the first credentials of a chain come from.
#[derive(Debug)]
pub(super) enum Base {
    /// Static keys or `credential_process` of a profile.
    Profile(Source),
    /// `role_arn` with `web_identity_token_file`.
    WebIdentity(WebIdentitySettings),
    /// An SSO profile.
    Sso(SsoSettings),
    /// `credential_source`: one of [`CREDENTIAL_SOURCES`].
    Named(&'static str),
}

/// The base credentials and the roles to assume with them, innermost first.
#[derive(Debug)]
pub(super) struct ProfileChain {
    pub(super) base: Base,
    pub(super) roles: Vec<RoleRequest>,
    /// The active profile, whose `region` STS is called in.
    pub(super) profile: String,
}

/// Whether `profile` gets its credentials through an AWS service.
pub(super) fn needs_services(profile: &Profile) -> bool {
    [ROLE_ARN, SSO_SESSION, SSO_START_URL]
        .iter()
        .any(|key| profile.get(key).is_some())
}

fn value<'p>(profile: &'p Profile, key: &str) -> Option<&'p str> {
    profile.get(key).map(str::trim).filter(|v| !v.is_empty())
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::invalid_configuration(message)
}

/// Follows the chain that starts at profile `start`.
pub(super) fn resolve(set: &ProfileSet, start: &str) -> Result<ProfileChain, CredentialsError> {
    let mut visited: Vec<String> = Vec::new();
    let mut roles = Vec::new();
    let mut name = start.to_owned();
    let base = loop {
        let Some(profile) = set.get(&name) else {
            return Err(match visited.last() {
                None => CredentialsError::not_loaded(format!(
                    "profile `{name}` not found in {}",
                    set.describe_locations()
                )),
                Some(from) => invalid(format!(
                    "profile `{from}` names source_profile `{name}`, which is not in {}",
                    set.describe_locations()
                )),
            });
        };
        if visited.contains(&name) {
            visited.push(name);
            return Err(invalid(format!(
                "the source_profile links of profile `{start}` form a loop: {}",
                visited.join(" -> ")
            )));
        }
        visited.push(name.clone());
        // A source profile's own keys win over its role (the SDKs' rule):
        // only the active profile always assumes its role.
        if visited.len() > 1 {
            if let Some(keys) = static_keys(profile)? {
                break Base::Profile(Source::Keys(keys));
            }
        }
        let Some(role_arn) = value(profile, ROLE_ARN) else {
            if let Some(sso) = sso_settings(set, profile)? {
                break Base::Sso(sso);
            }
            break Base::Profile(base_source(profile, set).map_err(|e| {
                if visited.len() > 1 {
                    invalid(format!(
                        "profile `{}` is the source_profile of `{}` but has no credentials: {e}",
                        profile.name(),
                        visited[visited.len() - 2]
                    ))
                } else {
                    e
                }
            })?);
        };
        if let Some(token_file) = value(profile, WEB_IDENTITY_TOKEN_FILE) {
            break Base::WebIdentity(WebIdentitySettings {
                token_file: PathBuf::from(token_file),
                role_arn: role_arn.to_owned(),
                session_name: value(profile, "role_session_name").map(str::to_owned),
                origin: format!("profile `{name}`"),
                profile: Some(start.to_owned()),
            });
        }
        roles.push(role_request(profile, role_arn)?);
        match (value(profile, SOURCE_PROFILE), value(profile, CREDENTIAL_SOURCE)) {
            (Some(_), Some(_)) => {
                return Err(invalid(format!(
                    "profile `{name}` sets both {SOURCE_PROFILE} and {CREDENTIAL_SOURCE}; keep one"
                )))
            }
            (None, None) => {
                return Err(invalid(format!(
                    "profile `{name}` sets {ROLE_ARN} but neither {SOURCE_PROFILE} nor {CREDENTIAL_SOURCE}"
                )))
            }
            (None, Some(source)) => {
                let Some(named) = CREDENTIAL_SOURCES.iter().find(|known| **known == source) else {
                    return Err(invalid(format!(
                        "profile `{name}` has {CREDENTIAL_SOURCE} `{source}`; it must be one of {}",
                        CREDENTIAL_SOURCES.join(", ")
                    )));
                };
                break Base::Named(named);
            }
            (Some(source), None) if source == name => {
                // A role assumed with the profile's own keys.
                match static_keys(profile)? {
                    Some(keys) => break Base::Profile(Source::Keys(keys)),
                    None => {
                        return Err(invalid(format!(
                            "profile `{name}` is its own {SOURCE_PROFILE} but has no static keys"
                        )))
                    }
                }
            }
            (Some(source), None) => name = source.to_owned(),
        }
    };
    roles.reverse();
    Ok(ProfileChain {
        base,
        roles,
        profile: start.to_owned(),
    })
}

/// The role a profile with `role_arn` asks for.
fn role_request(profile: &Profile, role_arn: &str) -> Result<RoleRequest, CredentialsError> {
    let name = profile.name();
    if value(profile, "mfa_serial").is_some() {
        return Err(invalid(format!(
            "profile `{name}` sets mfa_serial: assuming a role with an MFA code is not supported \
             (no code can be asked for here); use a profile without mfa_serial, or \
             credential_process with a tool that prompts for the code"
        )));
    }
    let duration_seconds = match value(profile, "duration_seconds") {
        None => None,
        Some(text) => Some(text.parse::<i32>().ok().filter(|s| *s > 0).ok_or_else(|| {
            invalid(format!(
                "profile `{name}` has duration_seconds `{text}`, which is not a positive whole number"
            ))
        })?),
    };
    Ok(RoleRequest {
        role_arn: role_arn.to_owned(),
        session_name: value(profile, "role_session_name").map(str::to_owned),
        external_id: value(profile, "external_id").map(str::to_owned),
        duration_seconds,
        origin: format!("profile `{name}`"),
    })
}

/// The SSO settings of a profile, if it is an SSO profile.
fn sso_settings(
    set: &ProfileSet,
    profile: &Profile,
) -> Result<Option<SsoSettings>, CredentialsError> {
    let name = profile.name();
    let (session_name, start_url, region) = if let Some(session) = value(profile, SSO_SESSION) {
        let Some(section) = set.section("sso-session", session) else {
            return Err(invalid(format!(
                "profile `{name}` names sso_session `{session}`, but there is no [sso-session {session}] section in {}",
                set.describe_locations()
            )));
        };
        let from_section = |key: &str| {
            let found = value(section, key)
                .ok_or_else(|| invalid(format!("[sso-session {session}] has no {key}")))?;
            match value(profile, key) {
                Some(own) if own != found => Err(invalid(format!(
                    "profile `{name}` sets {key} `{own}`, but its sso_session `{session}` says `{found}`"
                ))),
                _ => Ok(found.to_owned()),
            }
        };
        (
            Some(session.to_owned()),
            from_section(SSO_START_URL)?,
            from_section("sso_region")?,
        )
    } else if let Some(start_url) = value(profile, SSO_START_URL) {
        let region = value(profile, "sso_region").ok_or_else(|| {
            invalid(format!(
                "profile `{name}` sets sso_start_url but not sso_region"
            ))
        })?;
        (None, start_url.to_owned(), region.to_owned())
    } else {
        return Ok(None);
    };
    let required = |key: &str| {
        value(profile, key)
            .map(str::to_owned)
            .ok_or_else(|| invalid(format!("profile `{name}` uses SSO but has no {key}")))
    };
    Ok(Some(SsoSettings {
        profile: name.to_owned(),
        session_name,
        start_url,
        region,
        account_id: required("sso_account_id")?,
        role_name: required("sso_role_name")?,
    }))
}

impl ProfileChain {
    /// Loads the base credentials, then assumes each role in turn.
    pub(super) async fn load(&self, env: &Environment) -> Result<Credentials, CredentialsError> {
        let mut credentials = match &self.base {
            Base::Profile(Source::Keys(keys)) => keys.clone(),
            Base::Profile(Source::Process(process)) => process.provide_credentials().await?,
            Base::Profile(Source::Chain(chain)) => Box::pin(chain.load(env)).await?,
            Base::WebIdentity(settings) => {
                WebIdentityTokenCredentialsProvider::from_settings(env.clone(), settings.clone())
                    .provide_credentials()
                    .await?
            }
            Base::Sso(settings) => settings.load(env).await?,
            Base::Named(source) => self.named_source(env, source).await?,
        };
        if self.roles.is_empty() {
            return Ok(credentials);
        }
        let region = sts_region(env, Some(&self.profile));
        for role in &self.roles {
            credentials = role.assume(env, region.clone(), credentials).await?;
        }
        Ok(credentials)
    }

    async fn named_source(
        &self,
        env: &Environment,
        source: &str,
    ) -> Result<Credentials, CredentialsError> {
        let loaded = match source {
            "Environment" => {
                EnvironmentCredentialsProvider::new(env.clone())
                    .provide_credentials()
                    .await
            }
            "EcsContainer" => {
                EcsCredentialsProvider::new(env.clone())
                    .provide_credentials()
                    .await
            }
            _ => {
                ImdsCredentialsProvider::new(env.clone())
                    .provide_credentials()
                    .await
            }
        };
        loaded.map_err(|e| {
            CredentialsError::provider_error(format!(
                "{CREDENTIAL_SOURCE} `{source}` of profile chain `{}` gave no credentials: {e}",
                self.profile
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::credentials::CredentialsErrorKind;

    fn chain(config: &str) -> Result<ProfileChain, CredentialsError> {
        let set = ProfileSet::from_contents("default", Some(config), None).unwrap();
        resolve(&set, "default")
    }

    fn failure(config: &str) -> String {
        let err = chain(config).unwrap_err();
        assert_eq!(
            err.kind(),
            CredentialsErrorKind::InvalidConfiguration,
            "{err}"
        );
        err.to_string()
    }

    #[test]
    fn roles_are_assumed_from_the_innermost_source_outwards() {
        let found = chain(
            "[default]\nrole_arn = arn:outer\nsource_profile = middle\nexternal_id = x1\nrole_session_name = s\nduration_seconds = 900\n\
             [profile middle]\nrole_arn = arn:middle\nsource_profile = base\n\
             [profile base]\naws_access_key_id = AKID\naws_secret_access_key = S\n",
        )
        .unwrap();
        let arns: Vec<&str> = found.roles.iter().map(|r| r.role_arn.as_str()).collect();
        assert_eq!(arns, ["arn:middle", "arn:outer"]);
        let outer = &found.roles[1];
        assert_eq!(
            (
                outer.external_id.as_deref(),
                outer.session_name.as_deref(),
                outer.duration_seconds
            ),
            (Some("x1"), Some("s"), Some(900))
        );
        assert!(
            matches!(found.base, Base::Profile(Source::Keys(ref k)) if k.access_key_id() == "AKID")
        );
    }

    #[test]
    fn the_active_profile_assumes_its_role_even_with_keys_but_a_source_uses_its_keys() {
        let found = chain(
            "[default]\nrole_arn = arn:a\nsource_profile = src\naws_access_key_id = OWN\naws_secret_access_key = S\n\
             [profile src]\nrole_arn = arn:ignored\nsource_profile = default\naws_access_key_id = SRC\naws_secret_access_key = S\n",
        )
        .unwrap();
        assert_eq!(found.roles.len(), 1);
        assert!(
            matches!(found.base, Base::Profile(Source::Keys(ref k)) if k.access_key_id() == "SRC")
        );
        let own = chain("[default]\nrole_arn = arn:a\nsource_profile = default\naws_access_key_id = OWN\naws_secret_access_key = S\n").unwrap();
        assert!(
            matches!(own.base, Base::Profile(Source::Keys(ref k)) if k.access_key_id() == "OWN")
        );
        assert_eq!(own.roles.len(), 1);
    }

    #[test]
    fn a_source_profile_loop_is_named_in_full() {
        let message = failure(
            "[default]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nrole_arn = arn:b\nsource_profile = c\n\
             [profile c]\nrole_arn = arn:c\nsource_profile = b\n",
        );
        assert_eq!(
            message,
            "the source_profile links of profile `default` form a loop: default -> b -> c -> b"
        );
    }

    #[test]
    fn credential_sources_and_their_errors() {
        for source in CREDENTIAL_SOURCES {
            let found = chain(&format!(
                "[default]\nrole_arn = arn:a\ncredential_source = {source}\n"
            ))
            .unwrap();
            assert!(matches!(found.base, Base::Named(named) if named == *source));
        }
        assert_eq!(
            failure("[default]\nrole_arn = arn:a\ncredential_source = Laptop\n"),
            "profile `default` has credential_source `Laptop`; it must be one of Environment, Ec2InstanceMetadata, EcsContainer"
        );
        assert_eq!(
            failure("[default]\nrole_arn = arn:a\ncredential_source = Environment\nsource_profile = b\n"),
            "profile `default` sets both source_profile and credential_source; keep one"
        );
        assert_eq!(
            failure("[default]\nrole_arn = arn:a\n"),
            "profile `default` sets role_arn but neither source_profile nor credential_source"
        );
        assert!(
            failure("[default]\nrole_arn = arn:a\nsource_profile = gone\n")
                .starts_with("profile `default` names source_profile `gone`, which is not in ")
        );
        assert!(failure(
            "[default]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nregion = x\n"
        )
        .starts_with("profile `b` is the source_profile of `default` but has no credentials: "));
    }

    #[test]
    fn mfa_serial_and_a_bad_duration_are_refused() {
        assert!(failure(
            "[default]\nrole_arn = arn:a\ncredential_source = Environment\nmfa_serial = arn:mfa\n"
        )
        .starts_with(
            "profile `default` sets mfa_serial: assuming a role with an MFA code is not supported"
        ));
        assert_eq!(
            failure("[default]\nrole_arn = arn:a\ncredential_source = Environment\nduration_seconds = 1h\n"),
            "profile `default` has duration_seconds `1h`, which is not a positive whole number"
        );
    }

    #[test]
    fn web_identity_in_a_profile() {
        let found = chain(
            "[default]\nrole_arn = arn:w\nweb_identity_token_file = /t\nrole_session_name = pod\n",
        )
        .unwrap();
        let Base::WebIdentity(settings) = found.base else {
            panic!("{found:?}")
        };
        assert_eq!(settings.token_file, PathBuf::from("/t"));
        assert_eq!(
            (settings.role_arn.as_str(), settings.session_name.as_deref()),
            ("arn:w", Some("pod"))
        );
        assert_eq!(settings.origin, "profile `default`");
        assert!(found.roles.is_empty());
    }

    #[test]
    fn sso_sessions_and_legacy_sso_profiles() {
        let found = chain(
            "[default]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
        )
        .unwrap();
        let Base::Sso(sso) = found.base else {
            panic!("{found:?}")
        };
        assert_eq!(sso.session_name.as_deref(), Some("corp"));
        assert_eq!(
            (sso.start_url.as_str(), sso.region.as_str()),
            ("https://corp.awsapps.com/start", "eu-west-1")
        );
        assert_eq!(
            (sso.account_id.as_str(), sso.role_name.as_str()),
            ("111122223333", "Dev")
        );

        let legacy = chain(
            "[default]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-2\n\
             sso_account_id = 1\nsso_role_name = R\n",
        )
        .unwrap();
        assert!(
            matches!(legacy.base, Base::Sso(ref s) if s.session_name.is_none() && s.region == "us-east-2")
        );

        assert!(failure("[default]\nsso_session = none\nsso_account_id = 1\nsso_role_name = R\n")
            .starts_with("profile `default` names sso_session `none`, but there is no [sso-session none] section"));
        assert_eq!(
            failure("[default]\nsso_session = corp\nsso_role_name = R\n[sso-session corp]\nsso_start_url = u\nsso_region = r\n"),
            "profile `default` uses SSO but has no sso_account_id"
        );
        assert_eq!(
            failure("[default]\nsso_session = corp\nsso_region = us-west-2\nsso_account_id = 1\nsso_role_name = R\n\
                     [sso-session corp]\nsso_start_url = u\nsso_region = eu-west-1\n"),
            "profile `default` sets sso_region `us-west-2`, but its sso_session `corp` says `eu-west-1`"
        );
        assert_eq!(
            failure("[default]\nsso_start_url = u\nsso_account_id = 1\nsso_role_name = R\n"),
            "profile `default` sets sso_start_url but not sso_region"
        );
    }
}
