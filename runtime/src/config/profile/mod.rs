//! The shared AWS `config` and `credentials` files.
//!
//! [`ProfileSet::load`] finds both files through an [`Environment`], parses
//! them, and merges them into named [`Profile`]s:
//!
//! * The config file is `AWS_CONFIG_FILE`, else `~/.aws/config`. Its profiles
//!   are written `[profile name]`; `[default]` is also accepted, but when both
//!   `[default]` and `[profile default]` appear, only the latter is used.
//!   `[sso-session name]` and `[services name]` sections are kept apart from
//!   profiles; any other section is ignored with a warning.
//! * The credentials file is `AWS_SHARED_CREDENTIALS_FILE`, else
//!   `~/.aws/credentials`. Its profiles are written `[name]`.
//! * When both files set the same key in the same profile, the credentials
//!   file wins. A missing file is not an error; a malformed one is, naming the
//!   file and line.
//! * The active profile is the one passed explicitly, else `AWS_PROFILE`,
//!   else `default`.
//!
//! The line syntax:
//!
//! * Blank lines are ignored. A line whose first non-blank character is `#` or
//!   `;` is a comment.
//! * `[ name ]` starts a section. Whitespace inside the brackets is trimmed and
//!   a comment may follow the closing bracket.
//! * `name = value` defines a property in the current section. Name and value
//!   are trimmed. In the value, a `#` or `;` preceded by whitespace starts a
//!   comment.
//! * A line indented deeper than the property line before it continues that
//!   property: its trimmed text is appended to the value after a newline. When
//!   the property's own value is empty, each continuation line must itself be
//!   `name = value`, and those become the property's
//!   [sub-properties](Property::sub_properties) (as in an `s3 =` block).
//! * Anything else (a property before any section, a line without `=`, an
//!   unclosed `[`) is an error naming the file and the 1-based line. Errors
//!   never quote the line, since it may hold a secret.
//!
//! Files are read with blocking `std::fs` calls. They are small and, behind a
//! credentials cache, read rarely.

mod parser;

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::config::environment::Environment;

/// Environment variable naming the config file.
pub const CONFIG_FILE_ENV: &str = "AWS_CONFIG_FILE";
/// Environment variable naming the credentials file.
pub const CREDENTIALS_FILE_ENV: &str = "AWS_SHARED_CREDENTIALS_FILE";
/// Environment variable naming the active profile.
pub const PROFILE_ENV: &str = "AWS_PROFILE";
/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Which of the two shared files something came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// The shared config file (`~/.aws/config`).
    Config,
    /// The shared credentials file (`~/.aws/credentials`).
    Credentials,
}

impl FileKind {
    /// The environment variable that overrides this file's location.
    pub fn env_var(self) -> &'static str {
        match self {
            FileKind::Config => CONFIG_FILE_ENV,
            FileKind::Credentials => CREDENTIALS_FILE_ENV,
        }
    }

    fn default_relative_path(self) -> &'static str {
        match self {
            FileKind::Config => ".aws/config",
            FileKind::Credentials => ".aws/credentials",
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Config => "config file",
            FileKind::Credentials => "credentials file",
        })
    }
}

/// Where one shared file was looked for, and whether it was there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileLocation {
    /// The file was found and parsed.
    Loaded(PathBuf),
    /// Nothing exists at this path.
    Missing(PathBuf),
    /// The path could not be worked out: the home directory is unknown and
    /// the override variable is unset.
    Unknown(FileKind),
}

impl FileLocation {
    /// The path, if one was worked out.
    pub fn path(&self) -> Option<&Path> {
        match self {
            FileLocation::Loaded(p) | FileLocation::Missing(p) => Some(p),
            FileLocation::Unknown(_) => None,
        }
    }
}

impl fmt::Display for FileLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileLocation::Loaded(p) => write!(f, "{}", p.display()),
            FileLocation::Missing(p) => write!(f, "{} (missing)", p.display()),
            FileLocation::Unknown(kind) => write!(
                f,
                "~/{} (home directory unknown and {} unset)",
                kind.default_relative_path(),
                kind.env_var()
            ),
        }
    }
}

/// One property of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    value: String,
    sub_properties: BTreeMap<String, String>,
    file: FileKind,
    line: usize,
}

impl Property {
    /// The value, with continuation lines joined by `\n`.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Sub-properties given on indented lines under an empty value.
    pub fn sub_properties(&self) -> &BTreeMap<String, String> {
        &self.sub_properties
    }

    /// The file the property was read from.
    pub fn file(&self) -> FileKind {
        self.file
    }

    /// The 1-based line the property was defined on.
    pub fn line(&self) -> usize {
        self.line
    }
}

/// A named set of properties, merged from both shared files.
///
/// The [`Debug`](fmt::Debug) output shows property names only: values may be
/// secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, Property>,
}

impl Profile {
    fn new(name: &str) -> Self {
        Profile {
            name: name.to_owned(),
            properties: BTreeMap::new(),
        }
    }

    /// The profile's name, without any `profile ` prefix.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of property `key`, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties.get(key).map(Property::value)
    }

    /// Property `key` with where it came from, if set.
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties.get(key)
    }

    /// All properties, by name.
    pub fn properties(&self) -> &BTreeMap<String, Property> {
        &self.properties
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("keys", &self.properties.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A non-profile section of the config file, such as `[sso-session name]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SectionName {
    /// The section kind: `sso-session` or `services`.
    pub kind: String,
    /// The name after the kind.
    pub name: String,
}

/// Both shared files, parsed and merged, plus which profile is active.
#[derive(Debug, Clone)]
pub struct ProfileSet {
    selected: String,
    config: FileLocation,
    credentials: FileLocation,
    profiles: BTreeMap<String, Profile>,
    other_sections: BTreeMap<SectionName, Profile>,
}

impl ProfileSet {
    /// Finds, reads and merges the shared files named by `env`. The active
    /// profile is `AWS_PROFILE`, else `default`.
    pub fn load(env: &Environment) -> Result<Self, ProfileFileError> {
        Self::load_with_profile(env, None)
    }

    /// Like [`load`](Self::load), but `profile`, when given, overrides
    /// `AWS_PROFILE`.
    pub fn load_with_profile(
        env: &Environment,
        profile: Option<&str>,
    ) -> Result<Self, ProfileFileError> {
        let selected = profile
            .map(str::to_owned)
            .or_else(|| env.non_empty_var(PROFILE_ENV))
            .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
        let (config, config_text) = read_file(env, FileKind::Config)?;
        let (credentials, credentials_text) = read_file(env, FileKind::Credentials)?;
        let mut set = ProfileSet {
            selected,
            config,
            credentials,
            profiles: BTreeMap::new(),
            other_sections: BTreeMap::new(),
        };
        // Config first, so the credentials file overrides it key by key.
        if let Some(text) = config_text {
            set.add_file(FileKind::Config, &text)?;
        }
        if let Some(text) = credentials_text {
            set.add_file(FileKind::Credentials, &text)?;
        }
        Ok(set)
    }

    /// Parses file contents directly, without touching the file system.
    /// `None` stands for a missing file. Mainly for tests and tools.
    pub fn from_contents(
        selected: &str,
        config: Option<&str>,
        credentials: Option<&str>,
    ) -> Result<Self, ProfileFileError> {
        let location = |kind: FileKind, text: Option<&str>| {
            let path = PathBuf::from(format!("<{kind}>"));
            match text {
                Some(_) => FileLocation::Loaded(path),
                None => FileLocation::Missing(path),
            }
        };
        let mut set = ProfileSet {
            selected: selected.to_owned(),
            config: location(FileKind::Config, config),
            credentials: location(FileKind::Credentials, credentials),
            profiles: BTreeMap::new(),
            other_sections: BTreeMap::new(),
        };
        if let Some(text) = config {
            set.add_file(FileKind::Config, text)?;
        }
        if let Some(text) = credentials {
            set.add_file(FileKind::Credentials, text)?;
        }
        Ok(set)
    }

    /// The name of the active profile.
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// The active profile, if either file defines it.
    pub fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// Profile `name`, if either file defines it.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// All profile names, sorted.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// A non-profile config section such as `[sso-session name]`.
    pub fn section(&self, kind: &str, name: &str) -> Option<&Profile> {
        self.other_sections.get(&SectionName {
            kind: kind.to_owned(),
            name: name.to_owned(),
        })
    }

    /// Where the config file was looked for.
    pub fn config_location(&self) -> &FileLocation {
        &self.config
    }

    /// Where the credentials file was looked for.
    pub fn credentials_location(&self) -> &FileLocation {
        &self.credentials
    }

    /// Both file locations, for error messages, e.g.
    /// `/home/u/.aws/credentials or /home/u/.aws/config (missing)`.
    pub fn describe_locations(&self) -> String {
        format!("{} or {}", self.credentials, self.config)
    }

    fn add_file(&mut self, kind: FileKind, text: &str) -> Result<(), ProfileFileError> {
        let location = match kind {
            FileKind::Config => &self.config,
            FileKind::Credentials => &self.credentials,
        };
        let sections = parser::parse(text).map_err(|e| ProfileFileError {
            kind: ErrorKind::Syntax {
                path: location.path().map(Path::to_path_buf).unwrap_or_default(),
                line: e.line,
                message: e.message,
            },
        })?;

        // `[profile default]` hides `[default]` in the config file.
        let has_profile_default = kind == FileKind::Config
            && sections.iter().any(|s| {
                s.header != DEFAULT_PROFILE
                    && classify(kind, &s.header) == Section::Profile(DEFAULT_PROFILE)
            });

        for section in &sections {
            let target = match classify(kind, &section.header) {
                Section::Profile(name) => {
                    if has_profile_default && section.header == DEFAULT_PROFILE {
                        tracing::warn!(
                            line = section.line,
                            "ignoring [default] in the config file because [profile default] is also present"
                        );
                        continue;
                    }
                    self.profiles
                        .entry(name.to_owned())
                        .or_insert_with(|| Profile::new(name))
                }
                Section::Other {
                    kind: section_kind,
                    name,
                } => self
                    .other_sections
                    .entry(SectionName {
                        kind: section_kind.to_owned(),
                        name: name.to_owned(),
                    })
                    .or_insert_with(|| Profile::new(name)),
                Section::Ignored(reason) => {
                    tracing::warn!(file = %kind, line = section.line, "ignoring section: {reason}");
                    continue;
                }
            };
            for property in &section.properties {
                let mut sub_properties = BTreeMap::new();
                sub_properties.extend(property.sub_properties.iter().cloned());
                target.properties.insert(
                    property.name.clone(),
                    Property {
                        value: property.value.clone(),
                        sub_properties,
                        file: kind,
                        line: property.line,
                    },
                );
            }
        }
        Ok(())
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Section<'a> {
    Profile(&'a str),
    Other { kind: &'a str, name: &'a str },
    Ignored(&'static str),
}

/// Decides what a section header means in a file of `kind`.
fn classify(kind: FileKind, header: &str) -> Section<'_> {
    let split_prefixed = |prefix: &str| -> Option<&str> {
        let rest = header.strip_prefix(prefix)?;
        let name = rest.trim_start();
        // `[profilex]` is not `[profile x]`: require whitespace after the prefix.
        (name.len() < rest.len()).then_some(name)
    };
    match kind {
        FileKind::Config => {
            if header == DEFAULT_PROFILE {
                return Section::Profile(DEFAULT_PROFILE);
            }
            if let Some(name) = split_prefixed("profile") {
                return if is_valid_name(name) {
                    Section::Profile(name)
                } else {
                    Section::Ignored("invalid profile name")
                };
            }
            for other in ["sso-session", "services"] {
                if let Some(name) = split_prefixed(other) {
                    return if is_valid_name(name) {
                        Section::Other { kind: other, name }
                    } else {
                        Section::Ignored("invalid section name")
                    };
                }
            }
            Section::Ignored("config file profiles must be written `[profile name]`")
        }
        FileKind::Credentials => {
            if split_prefixed("profile").is_some() {
                Section::Ignored(
                    "credentials file profiles must be written `[name]`, without `profile`",
                )
            } else if is_valid_name(header) {
                Section::Profile(header)
            } else {
                Section::Ignored("invalid profile name")
            }
        }
    }
}

/// Profile names are letters, digits and `_-/.%@:+`.
fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

/// Reads one shared file. A missing file, or a path that cannot be worked out,
/// yields no text; any other failure is an error.
fn read_file(
    env: &Environment,
    kind: FileKind,
) -> Result<(FileLocation, Option<String>), ProfileFileError> {
    let path = match env.non_empty_var(kind.env_var()) {
        Some(overridden) => env.expand_home(&overridden),
        None => env
            .home_dir()
            .map(|home| home.join(kind.default_relative_path())),
    };
    let Some(path) = path else {
        return Ok((FileLocation::Unknown(kind), None));
    };
    match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok((FileLocation::Loaded(path), Some(text))),
            Err(_) => Err(ProfileFileError {
                kind: ErrorKind::NotUtf8 { path },
            }),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok((FileLocation::Missing(path), None)),
        Err(source) => Err(ProfileFileError {
            kind: ErrorKind::Io { path, source },
        }),
    }
}

/// A shared file exists but could not be read or parsed.
#[derive(Debug)]
pub struct ProfileFileError {
    kind: ErrorKind,
}

#[derive(Debug)]
enum ErrorKind {
    Syntax {
        path: PathBuf,
        line: usize,
        message: &'static str,
    },
    Io {
        path: PathBuf,
        source: io::Error,
    },
    NotUtf8 {
        path: PathBuf,
    },
}

impl ProfileFileError {
    /// The file at fault.
    pub fn path(&self) -> &Path {
        match &self.kind {
            ErrorKind::Syntax { path, .. }
            | ErrorKind::Io { path, .. }
            | ErrorKind::NotUtf8 { path } => path,
        }
    }

    /// The 1-based line of a syntax error.
    pub fn line(&self) -> Option<usize> {
        match &self.kind {
            ErrorKind::Syntax { line, .. } => Some(*line),
            _ => None,
        }
    }
}

impl fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Syntax {
                path,
                line,
                message,
            } => write!(f, "{} line {line}: {message}", path.display()),
            ErrorKind::Io { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            ErrorKind::NotUtf8 { path } => write!(f, "{} is not valid UTF-8", path.display()),
        }
    }
}

impl Error for ProfileFileError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_config_sections() {
        let c = |h| classify(FileKind::Config, h);
        assert_eq!(c("default"), Section::Profile("default"));
        assert_eq!(c("profile dev"), Section::Profile("dev"));
        assert_eq!(c("profile   dev"), Section::Profile("dev"));
        assert_eq!(c("profile default"), Section::Profile("default"));
        assert_eq!(
            c("sso-session corp"),
            Section::Other {
                kind: "sso-session",
                name: "corp"
            }
        );
        assert!(matches!(c("dev"), Section::Ignored(_)));
        assert!(matches!(c("profiledev"), Section::Ignored(_)));
        assert!(matches!(c("profile two words"), Section::Ignored(_)));
    }

    #[test]
    fn classify_credentials_sections() {
        let c = |h| classify(FileKind::Credentials, h);
        assert_eq!(c("default"), Section::Profile("default"));
        assert_eq!(c("dev"), Section::Profile("dev"));
        assert!(matches!(c("profile dev"), Section::Ignored(_)));
    }

    #[test]
    fn profile_default_hides_bare_default_in_config() {
        let config = "[default]\nregion = a\nonly_bare = 1\n[profile default]\nregion = b\n";
        let set = ProfileSet::from_contents("default", Some(config), None).unwrap();
        let p = set.selected().unwrap();
        assert_eq!(p.get("region"), Some("b"));
        assert_eq!(p.get("only_bare"), None);
    }

    #[test]
    fn credentials_file_wins_per_key() {
        let config = "[profile dev]\nregion = us-west-2\naws_access_key_id = FROM_CONFIG\n";
        let credentials = "[dev]\naws_access_key_id = FROM_CREDENTIALS\n";
        let set = ProfileSet::from_contents("dev", Some(config), Some(credentials)).unwrap();
        let p = set.selected().unwrap();
        assert_eq!(p.get("aws_access_key_id"), Some("FROM_CREDENTIALS"));
        assert_eq!(
            p.property("aws_access_key_id").map(Property::file),
            Some(FileKind::Credentials)
        );
        assert_eq!(p.get("region"), Some("us-west-2"));
        assert_eq!(p.property("region").map(Property::line), Some(2));
    }

    #[test]
    fn repeated_sections_merge_later_wins() {
        let credentials = "[a]\nx = 1\ny = 1\n[b]\nx = 9\n[a]\ny = 2\n";
        let set = ProfileSet::from_contents("a", None, Some(credentials)).unwrap();
        let a = set.get("a").unwrap();
        assert_eq!((a.get("x"), a.get("y")), (Some("1"), Some("2")));
        assert_eq!(set.profile_names().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn other_sections_are_kept_apart() {
        let config = "[sso-session corp]\nsso_region = us-east-1\n[services s]\nivs =\n  endpoint_url = http://x\n";
        let set = ProfileSet::from_contents("default", Some(config), None).unwrap();
        assert!(set.get("corp").is_none());
        let corp = set.section("sso-session", "corp").unwrap();
        assert_eq!(corp.get("sso_region"), Some("us-east-1"));
        let services = set.section("services", "s").unwrap();
        let ivs = services.property("ivs").unwrap();
        assert_eq!(
            ivs.sub_properties().get("endpoint_url").map(String::as_str),
            Some("http://x")
        );
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let err =
            ProfileSet::from_contents("default", None, Some("[default]\nbad line\n")).unwrap_err();
        assert_eq!(err.line(), Some(2));
        assert_eq!(
            err.to_string(),
            "<credentials file> line 2: expected `name = value` but found no `=`"
        );
    }

    #[test]
    fn profile_debug_hides_values() {
        let set = ProfileSet::from_contents("default", None, Some("[default]\nsecret = s3cr3t\n"))
            .unwrap();
        let debug = format!("{set:?}");
        assert!(debug.contains("secret"), "{debug}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
    }
}
