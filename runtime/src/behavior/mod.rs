//! How a call behaves over time: the [`attempts`] loop that sends, classifies
//! and tries again, which failures are retried and how long to wait
//! ([`retry`]), the [`timeout`]s that bound each attempt and the whole
//! operation, the clock and timer behind both ([`sleep`]), and the streams
//! that page through a paginated operation ([`pagination`]), and the
//! [`waiters`] that poll one until a resource is ready.

pub mod attempts;
pub mod pagination;
pub mod retry;
pub mod sleep;
pub mod timeout;
pub mod waiters;
