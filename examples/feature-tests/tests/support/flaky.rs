//! `Flaky`, the server of `specs/retry.yaml` for the loopback tests: it fails with 503 and `Retry-After` a set number of times per key, then answers 200.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use oagen_feature_tests::retry::{models, operations, server};

/// Answers 503 (with `Retry-After: <retry_after>`) to the first `fails`
/// requests of each key, then 200; the body says which attempt it was.
pub struct Flaky {
    fails: u32,
    retry_after: &'static str,
    seen: Mutex<HashMap<String, u32>>,
}

impl Flaky {
    pub fn new(fails: u32, retry_after: &'static str) -> Arc<Self> {
        Arc::new(Flaky {
            fails,
            retry_after,
            seen: Mutex::new(HashMap::new()),
        })
    }

    /// Counts a request of `key`: its attempt number, and whether it fails.
    fn count(&self, key: &str) -> (u32, bool) {
        let mut seen = self.seen.lock().unwrap();
        let n = seen.entry(key.to_string()).or_insert(0);
        *n += 1;
        (*n, *n <= self.fails)
    }

    pub fn seen(&self, key: &str) -> u32 {
        self.seen.lock().unwrap().get(key).copied().unwrap_or(0)
    }
}

impl server::Api for Flaky {
    async fn verify(&self, _: &server::Credential) -> bool {
        false
    }

    async fn get_flaky(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::GetFlakyParams,
    ) -> operations::GetFlakyResponse {
        let (attempt, fails) = self.count(&params.key);
        let body = models::Attempt {
            attempt: attempt.into(),
            signature: params.x_signature,
            additional_properties: Default::default(),
        };
        if fails {
            operations::GetFlakyResponse::ServiceUnavailable {
                body,
                headers: operations::GetFlakyServiceUnavailableHeaders {
                    retry_after: Some(self.retry_after.to_string()),
                },
            }
        } else {
            operations::GetFlakyResponse::Ok(body)
        }
    }

    async fn post_flaky(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::PostFlakyParams,
        _body: models::Attempt,
    ) -> operations::PostFlakyResponse {
        let (attempt, fails) = self.count(&params.key);
        let body = models::Attempt {
            attempt: attempt.into(),
            signature: None,
            additional_properties: Default::default(),
        };
        if fails {
            operations::PostFlakyResponse::ServiceUnavailable {
                body,
                headers: operations::PostFlakyServiceUnavailableHeaders {
                    retry_after: Some(self.retry_after.to_string()),
                },
            }
        } else {
            operations::PostFlakyResponse::Ok(body)
        }
    }
}

pub fn get(key: &str) -> operations::GetFlakyParams {
    operations::GetFlakyParams {
        key: key.into(),
        x_signature: None,
    }
}

pub fn attempt(n: i64) -> models::Attempt {
    models::Attempt {
        attempt: n,
        signature: None,
        additional_properties: Default::default(),
    }
}
