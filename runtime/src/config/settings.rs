//! Settings every AWS SDK reads the same way: an environment variable,
//! else a key of the active profile (`AWS_MAX_ATTEMPTS`, else
//! `max_attempts`), with a value that does not parse reported as an
//! [`InvalidSetting`] naming where it was found. The shared files are
//! loaded once for all of them (`ConfigBuilder::from_environment`).
//!
//! The endpoint URLs configured outside code (`AWS_ENDPOINT_URL`,
//! `AWS_ENDPOINT_URL_<SERVICE>`, a profile's `endpoint_url` and its
//! `services` section) depend on the service, so they are kept as
//! [`ConfiguredEndpointUrls`] and chosen when a client is made.

use std::collections::BTreeMap;
use std::fmt;

use super::environment::Environment;
use super::profile::{Profile, ProfileSet, Property};

/// A setting that cannot be used: a value that does not parse or is out of
/// range, named with where it was found (`invalid AWS_MAX_ATTEMPTS: ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSetting {
    message: String,
}

impl InvalidSetting {
    pub(crate) fn new(message: String) -> Self {
        InvalidSetting { message }
    }
}

impl fmt::Display for InvalidSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InvalidSetting {}

/// A setting's raw value and where it came from, for error messages:
/// the variable name, or the profile key with its profile, file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) value: String,
    pub(crate) source: String,
}

/// The environment plus the shared files, loaded once.
pub(crate) struct SettingsSource<'a> {
    env: &'a Environment,
    /// `None` when the files cannot be read; the region lookup reports
    /// that, here it only means no profile sets anything.
    profiles: Option<ProfileSet>,
}

impl<'a> SettingsSource<'a> {
    /// Reads the shared files named by `env`.
    pub(crate) fn load(env: &'a Environment) -> Self {
        SettingsSource {
            env,
            profiles: ProfileSet::load(env).ok(),
        }
    }

    /// The environment the settings are read from.
    pub(crate) fn env(&self) -> &Environment {
        self.env
    }

    fn profile(&self) -> Option<&Profile> {
        self.profiles.as_ref()?.selected()
    }

    /// Variable `var` when set and not blank, else the active profile's
    /// `key`; trimmed.
    pub(crate) fn lookup(&self, var: &str, key: &str) -> Option<Found> {
        if let Some(value) = self.env.non_empty_var(var) {
            return Some(Found {
                value,
                source: var.to_owned(),
            });
        }
        let profile = self.profile()?;
        let property = profile.property(key)?;
        let value = property.value().trim();
        (!value.is_empty()).then(|| Found {
            value: value.to_owned(),
            source: profile_source(profile, key, property),
        })
    }

    /// A `true`/`false` setting (any case).
    pub(crate) fn bool(&self, var: &str, key: &str) -> Option<Result<bool, InvalidSetting>> {
        self.lookup(var, key).map(|found| parse_bool(&found))
    }

    /// A whole number from `range`, counting `unit` (`bytes`; empty for
    /// a plain count) as error messages say.
    pub(crate) fn u32(
        &self,
        var: &str,
        key: &str,
        range: std::ops::RangeInclusive<u32>,
        unit: &str,
    ) -> Option<Result<u32, InvalidSetting>> {
        self.lookup(var, key).map(|found| parse_u32(&found, range, unit))
    }

    /// The endpoint URLs set outside code, unless
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
    /// `ignore_configured_endpoint_urls`) is `true`.
    pub(crate) fn endpoint_urls(&self) -> Result<ConfiguredEndpointUrls, InvalidSetting> {
        let ignore = self
            .bool(IGNORE_ENDPOINT_URLS_ENV, IGNORE_ENDPOINT_URLS_KEY)
            .transpose()?
            .unwrap_or(false);
        if ignore {
            return Ok(ConfiguredEndpointUrls::default());
        }
        let mut urls = ConfiguredEndpointUrls {
            env: Some(self.env.clone()),
            ..ConfiguredEndpointUrls::default()
        };
        if let Some(profile) = self.profile() {
            if let Some(property) = profile.property(ENDPOINT_URL_KEY) {
                urls.profile_global = Some(Found {
                    value: property.value().trim().to_owned(),
                    source: profile_source(profile, ENDPOINT_URL_KEY, property),
                });
            }
            let services = profile.property(SERVICES_KEY).and_then(|property| {
                let name = property.value().trim();
                let section = self.profiles.as_ref()?.section(SERVICES_KEY, name)?;
                Some((name.to_owned(), section))
            });
            if let Some((name, section)) = services {
                for (service, property) in section.properties() {
                    if let Some(url) = property.sub_properties().get(ENDPOINT_URL_KEY) {
                        urls.profile_services.insert(
                            service.to_ascii_lowercase(),
                            Found {
                                value: url.trim().to_owned(),
                                source: format!(
                                    "`{service}.{ENDPOINT_URL_KEY}` of `[services {name}]` ({} line {})",
                                    property.file(),
                                    property.line()
                                ),
                            },
                        );
                    }
                }
            }
        }
        Ok(urls)
    }
}

fn profile_source(profile: &Profile, key: &str, property: &Property) -> String {
    format!(
        "`{key}` of profile `{}` ({} line {})",
        profile.name(),
        property.file(),
        property.line()
    )
}

fn parse_bool(found: &Found) -> Result<bool, InvalidSetting> {
    let Found { value, source } = found;
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(InvalidSetting::new(format!(
            "invalid {source}: `{value}` is not `true` or `false`"
        )))
    }
}

fn parse_u32(
    found: &Found,
    range: std::ops::RangeInclusive<u32>,
    unit: &str,
) -> Result<u32, InvalidSetting> {
    let Found { value, source } = found;
    match value.parse::<u64>() {
        Ok(n) => check_range(n, range, unit, source),
        Err(_) => {
            let of_unit = if unit.is_empty() { String::new() } else { format!(" of {unit}") };
            Err(InvalidSetting::new(format!(
                "invalid {source}: `{value}` is not a whole number{of_unit} ({}..={})",
                range.start(),
                range.end()
            )))
        }
    }
}

/// `n` when it lies in `range`, else an error naming `source`, the range
/// and its `unit`.
pub(crate) fn check_range(
    n: u64,
    range: std::ops::RangeInclusive<u32>,
    unit: &str,
    source: &str,
) -> Result<u32, InvalidSetting> {
    match u32::try_from(n) {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => {
            let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
            Err(InvalidSetting::new(format!(
                "invalid {source}: {n} is out of range ({}..={}{unit})",
                range.start(),
                range.end()
            )))
        }
    }
}

const ENDPOINT_URL_ENV: &str = "AWS_ENDPOINT_URL";
const ENDPOINT_URL_KEY: &str = "endpoint_url";
const SERVICES_KEY: &str = "services";
const IGNORE_ENDPOINT_URLS_ENV: &str = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
const IGNORE_ENDPOINT_URLS_KEY: &str = "ignore_configured_endpoint_urls";

/// Endpoint URLs configured outside code, for any service: chosen per
/// service with [`for_service`](Self::for_service) when a client is made.
#[derive(Clone, Default)]
pub struct ConfiguredEndpointUrls {
    /// For `AWS_ENDPOINT_URL_<SERVICE>` and `AWS_ENDPOINT_URL`; `None`
    /// when configured endpoints are ignored.
    env: Option<Environment>,
    profile_global: Option<Found>,
    /// By the service's key in lower case (`ivs_realtime`).
    profile_services: BTreeMap<String, Found>,
}

impl ConfiguredEndpointUrls {
    /// The URL for the service with SDK id `service_id` (e.g. `IVS
    /// RealTime`) and where it was set, in the AWS SDKs' order:
    /// `AWS_ENDPOINT_URL_<SERVICE>` (`AWS_ENDPOINT_URL_IVS_REALTIME`),
    /// `AWS_ENDPOINT_URL`, the service's entry in the profile's `services`
    /// section (`ivs_realtime = \n  endpoint_url = ...`), the profile's
    /// `endpoint_url`.
    pub fn for_service(&self, service_id: &str) -> Option<(String, String)> {
        let env = self.env.as_ref()?;
        let key = service_key(service_id);
        let var = format!("{ENDPOINT_URL_ENV}_{}", key.to_ascii_uppercase());
        let from_env = |var: &str| env.non_empty_var(var).map(|url| (url, var.to_owned()));
        from_env(&var)
            .or_else(|| from_env(ENDPOINT_URL_ENV))
            .or_else(|| {
                let found = self.profile_services.get(&key).or(self.profile_global.as_ref())?;
                Some((found.value.clone(), found.source.clone()))
            })
            .filter(|(url, _)| !url.is_empty())
    }
}

/// Names only: URLs may carry user information.
impl fmt::Debug for ConfiguredEndpointUrls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfiguredEndpointUrls")
            .field("ignored", &self.env.is_none())
            .field("profile_global", &self.profile_global.is_some())
            .field("profile_services", &self.profile_services.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The service's key in variable names and `services` sections: its SDK
/// id with spaces and dashes as underscores, lower case (`IVS RealTime` →
/// `ivs_realtime`).
pub fn service_key(service_id: &str) -> String {
    service_id
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An environment whose shared config file is `config` (no credentials
    /// file), kept as long as the directory lives.
    pub(crate) fn with_config_file(config: &str) -> (tempfile::TempDir, Environment) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("config");
        std::fs::write(&path, config).expect("the config file is written");
        let env = Environment::empty()
            .with_var("AWS_CONFIG_FILE", path.to_string_lossy())
            .with_var("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none").to_string_lossy());
        (dir, env)
    }

    #[test]
    fn the_variable_wins_over_the_profile_and_bad_values_name_their_source() {
        let (_dir, env) = with_config_file("[default]\nmax_attempts = 7\nuse_fips_endpoint = yes\n");
        let source = SettingsSource::load(&env);
        assert_eq!(source.u32("AWS_MAX_ATTEMPTS", "max_attempts", 1..=100, ""), Some(Ok(7)));
        let error = source.bool("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint").expect("set");
        assert_eq!(
            error.map_err(|e| e.to_string()),
            Err("invalid `use_fips_endpoint` of profile `default` (config file line 3): `yes` is not `true` or `false`".to_owned())
        );
        let env = env.with_var("AWS_MAX_ATTEMPTS", " 0 ");
        let source = SettingsSource::load(&env);
        assert_eq!(
            source.u32("AWS_MAX_ATTEMPTS", "max_attempts", 1..=100, "").map(|r| r.map_err(|e| e.to_string())),
            Some(Err("invalid AWS_MAX_ATTEMPTS: 0 is out of range (1..=100)".to_owned()))
        );
        assert_eq!(source.lookup("AWS_RETRY_MODE", "retry_mode"), None);
    }

    #[test]
    fn endpoint_urls_follow_the_sdk_order() {
        let (_dir, env) = with_config_file(
            "[default]\nendpoint_url = http://profile-global\nservices = local\n\
             [services local]\nivs_realtime =\n  endpoint_url = http://profile-ivs\n\
             dynamodb =\n  region = ignored\n",
        );
        let urls = SettingsSource::load(&env).endpoint_urls().expect("valid");
        let url = |service: &str| urls.for_service(service).map(|(url, _)| url);
        assert_eq!(url("IVS RealTime").as_deref(), Some("http://profile-ivs"));
        assert_eq!(url("DynamoDB").as_deref(), Some("http://profile-global"));

        let env = env.with_var("AWS_ENDPOINT_URL", "http://env-global");
        let urls = SettingsSource::load(&env).endpoint_urls().expect("valid");
        assert_eq!(urls.for_service("IVS RealTime").map(|(url, _)| url).as_deref(), Some("http://env-global"));

        let env = env.with_var("AWS_ENDPOINT_URL_IVS_REALTIME", "http://env-ivs");
        let urls = SettingsSource::load(&env).endpoint_urls().expect("valid");
        assert_eq!(
            urls.for_service("IVS RealTime"),
            Some(("http://env-ivs".to_owned(), "AWS_ENDPOINT_URL_IVS_REALTIME".to_owned()))
        );

        let env = env.with_var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
        let urls = SettingsSource::load(&env).endpoint_urls().expect("valid");
        assert_eq!(urls.for_service("IVS RealTime"), None);
    }

    #[test]
    fn service_keys_use_underscores_in_lower_case() {
        assert_eq!(service_key("IVS RealTime"), "ivs_realtime");
        assert_eq!(service_key("SSO OIDC"), "sso_oidc");
        assert_eq!(service_key("Marketplace-Catalog"), "marketplace_catalog");
    }
}
