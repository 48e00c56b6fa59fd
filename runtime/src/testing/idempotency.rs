//! Fixed `@idempotencyToken` values, so a test can assert the exact request
//! a client sends.

thread_local! {
    static FIXED_IDEMPOTENCY_TOKEN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with every `@idempotencyToken` that the client fills in on this
/// thread set to `token` instead of a random UUID, so a test can assert the
/// exact request. Requests are serialized where `send()` is first polled, so
/// use it with a current-thread runtime (`#[tokio::test]`'s default) or
/// around code that serializes synchronously.
pub fn with_idempotency_token<R>(token: &str, f: impl FnOnce() -> R) -> R {
    let previous = FIXED_IDEMPOTENCY_TOKEN.with(|cell| cell.replace(Some(token.to_string())));
    let result = f();
    FIXED_IDEMPOTENCY_TOKEN.with(|cell| cell.replace(previous));
    result
}

/// The token set by [`with_idempotency_token`] on this thread, if any.
pub(crate) fn fixed_idempotency_token() -> Option<String> {
    FIXED_IDEMPOTENCY_TOKEN.with(|cell| cell.borrow().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_token_applies_inside_the_closure_only() {
        let inside = with_idempotency_token("00000000-0000-4000-8000-000000000000", crate::protocol::http::idempotency_token);
        assert_eq!(inside, "00000000-0000-4000-8000-000000000000");
        let outside = crate::protocol::http::idempotency_token();
        assert_ne!(outside, inside);
        assert_eq!(outside.len(), 36, "a random UUID again: {outside}");
    }
}
