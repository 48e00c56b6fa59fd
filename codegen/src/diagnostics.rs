//! Problems found in a model, collected so that every one is reported at once.

use std::fmt;

/// One problem: where it is (shape id and member, when known) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The shape id the problem belongs to; `None` for whole-model problems.
    pub shape: Option<String>,
    /// The member of that shape, when the problem is in one member.
    pub member: Option<String>,
    pub message: String,
}

impl Diagnostic {
    /// A problem with the model as a whole (no service, unreadable JSON, …).
    pub fn model(message: impl Into<String>) -> Self {
        Diagnostic { shape: None, member: None, message: message.into() }
    }

    /// A problem with one shape.
    pub fn shape(shape: &str, message: impl Into<String>) -> Self {
        Diagnostic { shape: Some(shape.to_string()), member: None, message: message.into() }
    }

    /// A problem with one member of a shape.
    pub fn member(shape: &str, member: &str, message: impl Into<String>) -> Self {
        Diagnostic { shape: Some(shape.to_string()), member: Some(member.to_string()), message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.shape, &self.member) {
            (Some(shape), Some(member)) => write!(f, "{shape}${member}: {}", self.message),
            (Some(shape), None) => write!(f, "{shape}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Every problem found so far. Passes push into it and carry on, so one run
/// reports them all; only then does the caller decide to stop.
///
/// Errors stop generation; warnings (what Smithy itself rates a warning, such
/// as an unknown field in a known trait) are reported and generation goes on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>, Vec<Diagnostic>);

impl Diagnostics {
    /// Records an error.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Records a warning: said to the user, never a reason to stop.
    pub fn warn(&mut self, diagnostic: Diagnostic) {
        self.1.push(diagnostic);
    }

    /// Takes the warnings recorded so far, sorted and without repeats.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        let mut warnings = std::mem::take(&mut self.1);
        warnings.sort();
        warnings.dedup();
        warnings
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
        self.1.extend(other.1);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// `Ok(value)` when nothing was found, otherwise every problem, sorted so
    /// the report reads the same on every run.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            self.0.sort();
            self.0.dedup();
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic], Vec::new())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(f, "{count} problem{} in the model:", if count == 1 { "" } else { "s" })?;
        for diagnostic in &self.0 {
            writeln!(f, "  - {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
