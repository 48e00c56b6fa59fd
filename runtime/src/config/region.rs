//! The AWS Region a client talks to, and how it is found.
//!
//! [`RegionResolver`] looks, in order, at: a region configured explicitly in
//! code, `AWS_REGION`, `AWS_DEFAULT_REGION`, and the `region` key of the
//! active profile in the shared files (see [`crate::config::profile`]; as in the
//! official SDKs, the credentials file can also supply it and wins over the
//! config file). The error says everywhere it looked.

use std::borrow::Cow;
use std::error::Error;
use std::fmt;
use std::path::PathBuf;

use crate::config::environment::Environment;
use crate::config::profile::{FileKind, ProfileFileError, ProfileSet};

const AWS_REGION: &str = "AWS_REGION";
const AWS_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";
const PROFILE_KEY: &str = "region";

/// An AWS Region name, such as `us-west-2`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// A region from any string. The name is not checked here; endpoint
    /// resolution rejects names that cannot form a host name.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Region(name.into())
    }

    /// A region from a string constant, usable in `const` items.
    pub const fn from_static(name: &'static str) -> Self {
        Region(Cow::Borrowed(name))
    }

    /// The region name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&'static str> for Region {
    fn from(name: &'static str) -> Self {
        Region::from_static(name)
    }
}

impl From<String> for Region {
    fn from(name: String) -> Self {
        Region::new(name)
    }
}

/// Where a resolved region came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegionSource {
    /// Configured in code.
    Explicit,
    /// The `AWS_REGION` environment variable.
    AwsRegionEnv,
    /// The `AWS_DEFAULT_REGION` environment variable.
    AwsDefaultRegionEnv,
    /// The `region` key of a profile.
    Profile {
        /// The profile name.
        profile: String,
        /// The file that set it.
        file: FileKind,
        /// That file's path, when known.
        path: Option<PathBuf>,
        /// The 1-based line of the `region` key.
        line: usize,
    },
}

impl fmt::Display for RegionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegionSource::Explicit => f.write_str("explicit configuration"),
            RegionSource::AwsRegionEnv => f.write_str(AWS_REGION),
            RegionSource::AwsDefaultRegionEnv => f.write_str(AWS_DEFAULT_REGION),
            RegionSource::Profile {
                profile,
                file,
                path,
                line,
            } => {
                write!(f, "profile `{profile}` in ")?;
                match path {
                    Some(path) => write!(f, "{}", path.display())?,
                    None => write!(f, "the {file}")?,
                }
                write!(f, " line {line}")
            }
        }
    }
}

/// A region and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedRegion {
    /// The region.
    pub region: Region,
    /// Where it came from.
    pub source: RegionSource,
}

/// Finds the region: explicit, `AWS_REGION`, `AWS_DEFAULT_REGION`, profile.
#[derive(Debug, Clone, Default)]
pub struct RegionResolver {
    explicit: Option<Region>,
    profile: Option<String>,
}

impl RegionResolver {
    /// A resolver with nothing configured explicitly.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `region`, when given, ahead of everything else.
    pub fn with_explicit(mut self, region: Option<Region>) -> Self {
        self.explicit = region;
        self
    }

    /// Reads profile `name` instead of `AWS_PROFILE` / `default`.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Resolves the region from `env`.
    pub fn resolve(&self, env: &Environment) -> Result<ResolvedRegion, RegionError> {
        let found = |region: String, source| {
            let resolved = ResolvedRegion {
                region: Region::new(region),
                source,
            };
            tracing::debug!(region = %resolved.region, source = %resolved.source, "resolved region");
            Ok(resolved)
        };
        if let Some(region) = &self.explicit {
            return found(region.as_str().to_owned(), RegionSource::Explicit);
        }
        if let Some(region) = env.non_empty_var(AWS_REGION) {
            return found(region, RegionSource::AwsRegionEnv);
        }
        if let Some(region) = env.non_empty_var(AWS_DEFAULT_REGION) {
            return found(region, RegionSource::AwsDefaultRegionEnv);
        }
        let set = ProfileSet::load_with_profile(env, self.profile.as_deref()).map_err(|e| {
            RegionError {
                kind: RegionErrorKind::Profile(e),
            }
        })?;
        let name = set.selected_name().to_owned();
        let profile_reason = match set.selected() {
            None => format!("profile `{name}` not found in {}", set.describe_locations()),
            Some(profile) => match profile.property(PROFILE_KEY) {
                Some(property) if !property.value().trim().is_empty() => {
                    let path = match property.file() {
                        FileKind::Config => set.config_location(),
                        FileKind::Credentials => set.credentials_location(),
                    }
                    .path()
                    .map(PathBuf::from);
                    return found(
                        property.value().trim().to_owned(),
                        RegionSource::Profile {
                            profile: name,
                            file: property.file(),
                            path,
                            line: property.line(),
                        },
                    );
                }
                _ => format!(
                    "profile `{name}` has no `{PROFILE_KEY}` in {}",
                    set.describe_locations()
                ),
            },
        };
        Err(RegionError {
            kind: RegionErrorKind::NotFound(format!(
                "no region: none configured explicitly; {AWS_REGION} unset; \
                 {AWS_DEFAULT_REGION} unset; {profile_reason}"
            )),
        })
    }
}

/// Shorthand for `RegionResolver::new().with_explicit(explicit).resolve(env)`,
/// returning only the region.
pub fn resolve_region(explicit: Option<Region>, env: &Environment) -> Result<Region, RegionError> {
    RegionResolver::new()
        .with_explicit(explicit)
        .resolve(env)
        .map(|resolved| resolved.region)
}

/// No region could be found, or a shared file could not be read.
#[derive(Debug)]
pub struct RegionError {
    kind: RegionErrorKind,
}

#[derive(Debug)]
enum RegionErrorKind {
    NotFound(String),
    Profile(ProfileFileError),
}

impl RegionError {
    /// True when nothing was wrong except that no source set a region.
    pub fn is_not_found(&self) -> bool {
        matches!(self.kind, RegionErrorKind::NotFound(_))
    }
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            RegionErrorKind::NotFound(message) => f.write_str(message),
            RegionErrorKind::Profile(e) => write!(f, "cannot resolve region: {e}"),
        }
    }
}

impl Error for RegionError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.kind {
            RegionErrorKind::NotFound(_) => None,
            RegionErrorKind::Profile(e) => Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_basics() {
        const R: Region = Region::from_static("us-west-2");
        assert_eq!(R.as_str(), "us-west-2");
        assert_eq!(R.to_string(), "us-west-2");
        assert_eq!(Region::from("us-west-2"), R);
        assert_eq!(Region::from(String::from("us-west-2")), R);
    }

    #[test]
    fn explicit_beats_environment() {
        let env = Environment::from_map([("AWS_REGION", "eu-west-1")]);
        let resolved = RegionResolver::new()
            .with_explicit(Some(Region::from_static("ap-south-1")))
            .resolve(&env)
            .unwrap();
        assert_eq!(resolved.region.as_str(), "ap-south-1");
        assert_eq!(resolved.source, RegionSource::Explicit);
    }

    #[test]
    fn env_order_and_blank_values() {
        let env =
            Environment::from_map([("AWS_REGION", " "), ("AWS_DEFAULT_REGION", "ca-central-1")]);
        let resolved = RegionResolver::new().resolve(&env).unwrap();
        assert_eq!(resolved.region.as_str(), "ca-central-1");
        assert_eq!(resolved.source, RegionSource::AwsDefaultRegionEnv);
    }

    #[test]
    fn nothing_found_says_where_it_looked() {
        let err = resolve_region(None, &Environment::empty()).unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            "no region: none configured explicitly; AWS_REGION unset; AWS_DEFAULT_REGION unset; \
             profile `default` not found in ~/.aws/credentials (home directory unknown and \
             AWS_SHARED_CREDENTIALS_FILE unset) or ~/.aws/config (home directory unknown and \
             AWS_CONFIG_FILE unset)"
        );
    }
}
