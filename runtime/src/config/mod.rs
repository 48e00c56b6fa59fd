//! Where a client's settings come from when code does not set them: the
//! process [`environment`] (variables and the home directory), the shared
//! AWS [`profile`] files, and the [`region`] found through both.
//!
//! The client's own configuration, which holds what these find, is
//! `client::Config`.

pub mod environment;
pub mod profile;
pub mod region;
pub mod settings;
