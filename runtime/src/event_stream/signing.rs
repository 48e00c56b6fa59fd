//! How the signature of the HTTP request reaches the body that signs the
//! event messages sent after it.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::auth::credentials::Credentials;
use crate::behavior::sleep::SharedTimeSource;

/// What signing the messages of an input event stream needs: the seed (the
/// signature of the request that opened the stream), the credentials and
/// scope it was signed with, and the clock that dates each message.
///
/// `Debug` never shows the secret key or the session token.
#[derive(Clone)]
pub struct EventSigningParams {
    /// The hex SigV4 signature of the HTTP request: the "prior signature" of
    /// the first message.
    pub seed_signature: String,
    /// The credentials the request was signed with.
    pub credentials: Credentials,
    /// The region signed for.
    pub region: String,
    /// The signing name of the service.
    pub service: String,
    /// The clock giving each message's `:date`.
    pub clock: SharedTimeSource,
}

impl fmt::Debug for EventSigningParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Credentials`'s own `Debug` redacts the secrets.
        f.debug_struct("EventSigningParams")
            .field("seed_signature", &self.seed_signature)
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("clock", &self.clock)
            .finish()
    }
}

/// A place the call path puts the [`EventSigningParams`] of a request once
/// it is signed, shared with the request's event-stream body.
///
/// Generated code puts a clone in the request's extensions and gives
/// another to [`EventStreamSender::into_body`](super::EventStreamSender::into_body);
/// after SigV4-signing the request, the call path calls
/// [`set`](Self::set). When the body sends its first frame it looks at the
/// slot: set, every message is signed; never set (an operation without
/// SigV4), the messages go unsigned.
#[derive(Clone, Debug, Default)]
pub struct SigningSlot(Arc<OnceLock<EventSigningParams>>);

impl SigningSlot {
    /// An empty slot.
    pub fn new() -> Self {
        SigningSlot::default()
    }

    /// Fills the slot. Only the first call counts: an event-stream body is
    /// sent once, with the signature of the attempt that sent it.
    pub fn set(&self, params: EventSigningParams) {
        // A second attempt cannot resend a body that is already streaming,
        // so a later value has no body to sign; dropping it is right.
        let _ = self.0.set(params);
    }

    /// The parameters, once set.
    pub fn get(&self) -> Option<&EventSigningParams> {
        self.0.get()
    }
}
