//! Types generated at build time from `specs/`, for the tests in `tests/`.

/// `specs/kitchen_sink.yaml`.
pub mod kitchen_sink {
    include!(concat!(env!("OUT_DIR"), "/kitchen_sink.rs"));
}

/// `specs/wire.yaml`.
pub mod wire {
    include!(concat!(env!("OUT_DIR"), "/wire.rs"));
}

/// `specs/retry.yaml`.
pub mod retry {
    include!(concat!(env!("OUT_DIR"), "/retry.rs"));
}

/// `specs/streams.yaml`.
pub mod streams {
    include!(concat!(env!("OUT_DIR"), "/streams.rs"));
}

/// `specs/keywords31.yaml`.
pub mod keywords31 {
    include!(concat!(env!("OUT_DIR"), "/keywords31.rs"));
}

/// `specs/v32.yaml`.
pub mod v32 {
    include!(concat!(env!("OUT_DIR"), "/v32.rs"));
}

/// `specs/webhooks.yaml`.
pub mod webhooks {
    include!(concat!(env!("OUT_DIR"), "/webhooks.rs"));
}

/// `specs/transfer.yaml`.
pub mod transfer {
    include!(concat!(env!("OUT_DIR"), "/transfer.rs"));
}

/// `specs/callbacks.yaml`.
pub mod callbacks {
    include!(concat!(env!("OUT_DIR"), "/callbacks.rs"));
}
