//! Where configuration comes from: environment variables and the home directory.
//!
//! Every provider in this crate (credentials, region, profile files) reads its
//! inputs through an [`Environment`] instead of calling [`std::env`](mod@std::env) directly.
//! Production code uses [`Environment::from_process`]; tests build one from an
//! explicit map with [`Environment::from_map`], so they never depend on, or
//! change, the real process environment or the user's home directory.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A source of environment variables plus the user's home directory.
///
/// Cloning is cheap: the variable map is shared.
///
/// The [`Debug`](fmt::Debug) output lists variable *names* only, never values,
/// because the environment commonly holds secrets such as
/// `AWS_SECRET_ACCESS_KEY`.
#[derive(Clone)]
pub struct Environment {
    vars: Vars,
    home: Home,
}

#[derive(Clone)]
enum Vars {
    /// Read the real process environment at the time of each lookup.
    Process,
    /// An explicit, fixed set of variables.
    Map(Arc<BTreeMap<String, String>>),
}

#[derive(Clone)]
enum Home {
    /// Work the home directory out from the variables (`HOME`, `USERPROFILE`, ...).
    FromVars,
    /// An explicit home directory, or explicitly none.
    Explicit(Option<PathBuf>),
}

impl Environment {
    /// The real process environment.
    ///
    /// Variables are read when they are looked up, not when this is created.
    /// The home directory is taken from `HOME`; on Windows, from `USERPROFILE`,
    /// then `HOMEDRIVE` followed by `HOMEPATH`, then `HOME`.
    pub fn from_process() -> Self {
        Environment {
            vars: Vars::Process,
            home: Home::FromVars,
        }
    }

    /// An environment holding exactly the given variables, with no home
    /// directory unless one is set with [`with_home`](Self::with_home).
    ///
    /// ```
    /// use smithy_runtime::config::environment::Environment;
    ///
    /// let env = Environment::from_map([("AWS_REGION", "eu-west-1")])
    ///     .with_home("/home/test");
    /// assert_eq!(env.var("AWS_REGION"), Some("eu-west-1".to_owned()));
    /// assert_eq!(env.var("AWS_PROFILE"), None);
    /// ```
    pub fn from_map<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let mut map = BTreeMap::new();
        for (k, v) in vars {
            map.insert(k.into(), v.into());
        }
        Environment {
            vars: Vars::Map(Arc::new(map)),
            home: Home::Explicit(None),
        }
    }

    /// An environment with no variables and no home directory.
    pub fn empty() -> Self {
        Self::from_map(std::iter::empty::<(String, String)>())
    }

    /// Returns a copy with the given variable set.
    ///
    /// On an environment made by [`from_process`](Self::from_process) this
    /// first takes a snapshot of the current process variables (those whose
    /// names and values are valid UTF-8); the process itself is never changed.
    pub fn with_var(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let mut map = self.snapshot();
        map.insert(name.into(), value.into());
        Environment {
            vars: Vars::Map(Arc::new(map)),
            home: self.home,
        }
    }

    /// Returns a copy whose home directory is `home`.
    pub fn with_home(self, home: impl Into<PathBuf>) -> Self {
        Environment {
            vars: self.vars,
            home: Home::Explicit(Some(home.into())),
        }
    }

    /// Returns a copy that has no home directory.
    pub fn without_home(self) -> Self {
        Environment {
            vars: self.vars,
            home: Home::Explicit(None),
        }
    }

    /// The value of variable `name`, or `None` if it is unset or (for the
    /// process environment) not valid UTF-8.
    pub fn var(&self, name: &str) -> Option<String> {
        match &self.vars {
            Vars::Process => std::env::var(name).ok(),
            Vars::Map(map) => map.get(name).cloned(),
        }
    }

    /// Like [`var`](Self::var), but treats a value that is empty or only
    /// whitespace as unset, and trims surrounding whitespace.
    pub fn non_empty_var(&self, name: &str) -> Option<String> {
        self.var(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The user's home directory, if it is known.
    pub fn home_dir(&self) -> Option<PathBuf> {
        match &self.home {
            Home::Explicit(home) => home.clone(),
            Home::FromVars if cfg!(windows) => self
                .non_empty_var("USERPROFILE")
                .or_else(|| {
                    let drive = self.non_empty_var("HOMEDRIVE")?;
                    let path = self.non_empty_var("HOMEPATH")?;
                    Some(format!("{drive}{path}"))
                })
                .or_else(|| self.non_empty_var("HOME"))
                .map(PathBuf::from),
            Home::FromVars => self.non_empty_var("HOME").map(PathBuf::from),
        }
    }

    /// Expands a leading `~` (alone, or followed by a path separator) to the
    /// home directory. Returns `None` when the path needs the home directory
    /// and it is unknown. Other paths are returned unchanged.
    pub fn expand_home(&self, path: &str) -> Option<PathBuf> {
        let rest = match path.strip_prefix('~') {
            None => return Some(PathBuf::from(path)),
            Some(rest) => rest,
        };
        if rest.is_empty() {
            return self.home_dir();
        }
        let is_separator = |c: char| c == '/' || (cfg!(windows) && c == '\\');
        match rest.strip_prefix(is_separator) {
            Some(tail) => Some(self.home_dir()?.join(Path::new(tail))),
            // `~user/...` is not expanded: treat it as a literal path.
            None => Some(PathBuf::from(path)),
        }
    }

    fn snapshot(&self) -> BTreeMap<String, String> {
        match &self.vars {
            Vars::Process => {
                let mut vars = BTreeMap::new();
                for (k, v) in std::env::vars_os() {
                    if let (Ok(k), Ok(v)) = (k.into_string(), v.into_string()) {
                        vars.insert(k, v);
                    }
                }
                vars
            }
            Vars::Map(map) => (**map).clone(),
        }
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Environment");
        match &self.vars {
            Vars::Process => s.field("vars", &"<process>"),
            Vars::Map(map) => s.field("var_names", &map.keys().collect::<Vec<_>>()),
        };
        match &self.home {
            Home::FromVars => s.field("home", &"<from variables>"),
            Home::Explicit(home) => s.field("home", home),
        };
        s.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_lookup_and_non_empty() {
        let env = Environment::from_map([("A", "1"), ("EMPTY", "  ")]);
        assert_eq!(env.var("A").as_deref(), Some("1"));
        assert_eq!(env.var("EMPTY").as_deref(), Some("  "));
        assert_eq!(env.non_empty_var("EMPTY"), None);
        assert_eq!(env.var("MISSING"), None);
    }

    #[test]
    fn with_var_overrides_without_touching_original() {
        let base = Environment::from_map([("A", "1")]);
        let changed = base.clone().with_var("A", "2").with_var("B", "3");
        assert_eq!(base.var("A").as_deref(), Some("1"));
        assert_eq!(changed.var("A").as_deref(), Some("2"));
        assert_eq!(changed.var("B").as_deref(), Some("3"));
    }

    #[test]
    fn map_environment_has_no_home_unless_given() {
        let env = Environment::from_map([("HOME", "/ignored")]);
        assert_eq!(env.home_dir(), None);
        let env = env.with_home("/home/u");
        assert_eq!(env.home_dir(), Some(PathBuf::from("/home/u")));
        assert_eq!(env.without_home().home_dir(), None);
    }

    #[test]
    fn process_environment_home_follows_variables() {
        // `with_var` snapshots the process variables; the process is untouched.
        let env = Environment::from_process()
            .with_var("HOME", "/home/from-var")
            .with_var("USERPROFILE", "C:\\Users\\from-var");
        let expected = if cfg!(windows) {
            "C:\\Users\\from-var"
        } else {
            "/home/from-var"
        };
        assert_eq!(env.home_dir(), Some(PathBuf::from(expected)));
    }

    #[test]
    fn tilde_expansion() {
        let env = Environment::empty().with_home("/home/u");
        assert_eq!(
            env.expand_home("~/x/config"),
            Some(PathBuf::from("/home/u/x/config"))
        );
        assert_eq!(env.expand_home("~"), Some(PathBuf::from("/home/u")));
        assert_eq!(env.expand_home("/abs"), Some(PathBuf::from("/abs")));
        assert_eq!(env.expand_home("~bob/x"), Some(PathBuf::from("~bob/x")));
        assert_eq!(Environment::empty().expand_home("~/x"), None);
    }

    #[test]
    fn debug_shows_names_not_values() {
        let env = Environment::from_map([("AWS_SECRET_ACCESS_KEY", "hunter2-secret")]);
        let debug = format!("{env:?}");
        assert!(debug.contains("AWS_SECRET_ACCESS_KEY"), "{debug}");
        assert!(!debug.contains("hunter2-secret"), "{debug}");
    }
}
