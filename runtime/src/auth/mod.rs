//! Who the caller is and how a request proves it: [`credentials`] (access
//! keys and bearer tokens, and the providers that load them) and [`sigv4`]
//! (AWS Signature Version 4 signing and presigning).
//!
//! Which scheme an operation uses is the model's `@auth`, chosen per call by
//! the client (`client::AuthScheme`).

pub mod credentials;
pub mod sigv4;
