//! The transfer fixture's generated client and server (`../feature-tests/specs/transfer.yaml`), for the `transfer-bench` binary.

/// The generated crate of `transfer.yaml`, one file.
pub mod transfer {
    include!(concat!(env!("OUT_DIR"), "/transfer.rs"));
}

pub use transfer::*;
