//! The intermediate model: one plain-data description of an API that every
//! emitter reads. Built once from a loaded spec by [`build`](build::build).
//!
//! All OpenAPI quirks are resolved before this point: references are followed,
//! `allOf` is merged, nullability is decided, names are final and unique. An
//! emitter never looks at the OpenAPI document.

pub mod build;
pub mod checks;
mod depth;
pub mod features;
pub mod naming;
pub mod schema;
pub mod validate;

mod api;
mod callbacks;
mod hooks;
mod operations;
mod security;
mod tags;
mod types;

pub use api::*;
pub use callbacks::*;
pub use hooks::*;
pub use operations::*;
pub use security::*;
pub use tags::Tag;
pub use types::*;
