//! What `Debug` prints in place of `@sensitive` values.

/// The text generated `Debug` impls print instead of a sensitive value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Wraps a value so that its `Debug` output is [`REDACTED`], whatever it holds.
pub struct Redacted<'a, T: ?Sized>(pub &'a T);

impl<T: ?Sized> std::fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacted_values_never_print() {
        let secret = "s3cr3t";
        let shown = format!("{:?}", Redacted(&secret));
        assert_eq!(shown, REDACTED);
        assert!(!shown.contains(secret));
    }
}
