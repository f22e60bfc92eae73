//! The generated clients against Prism (Stoplight's mock server and validator), one
//! test per seed spec.
//!
//! Each test starts `prism mock specs/<seed>.yaml` on a free local port and, for
//! every operation of the seed (`operations::OPERATIONS`) and every security
//! alternative the operation allows, sends a valid request with the generated
//! client, with that alternative's credentials set (`Credentials::set(scheme,
//! "demo-secret")`; Prism accepts any value but checks presence and format). It
//! asserts that
//!
//! - the call returns `Ok`: the client decoded Prism's answer into the operation's
//!   declared response type,
//! - the answer is the operation's declared 2xx response (and the status the
//!   client reports is the one on the wire),
//! - Prism reported no `sl-violations` header: neither the request (path, method,
//!   headers, credentials, body) nor Prism's own answer broke the spec.
//!
//! One negative check per seed: the same request without credentials makes Prism
//! answer 401, and the client returns exactly what the spec declares for it: the
//! declared 401 variant (px0, partoo), the `default` variant with status 401
//! (ampersand), or `Error::UnexpectedStatus { status: 401, .. }` when the spec
//! declares neither (trieve, devin).
//!
//! Prism serves the routes without the spec's server base path (ampersand's `/v1`,
//! partoo's `/v2`), so the base URL given to the clients is `http://127.0.0.1:<port>`.
//!
//! Prism modes (chosen per seed, see `modes` in each test):
//!
//! - static (the default): Prism answers with the spec's own examples. This
//!   checks that the client decodes the spec's examples. Used wherever those
//!   examples are valid against their schema.
//! - `--dynamic --seed oagen`: Prism generates the answer from the schema with
//!   json-schema-faker; this reaches what examples do not (nulls, unknown extra
//!   properties, negative and large integers, dates far in the past). The fixed
//!   `--seed` makes the generated answers the same on every run, so the tests are
//!   deterministic.
//! - Trieve runs in dynamic mode only: its `Organization` example lacks the
//!   required `deleted` and its `created_at`/`updated_at` (`2021-01-01
//!   00:00:00.000`) are not RFC 3339 date-times, so in static mode Prism's own
//!   answer carries `sl-violations` (the spec's example is wrong, not the client).
//!
//! The Prism binary is installed by `cargo xtask tools`; without it these tests
//! fail (they do not skip).

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use support::{on_free_port, tool, workspace, Process};

/// The credential sent for every scheme.
const SECRET: &str = "demo-secret";
/// The seed of Prism's dynamic example generation.
const DYNAMIC_SEED: &str = "oagen";
/// How long Prism may take to start.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Prism answers with the spec's examples.
    Static,
    /// Prism generates answers from the schemas (`--dynamic --seed`).
    Dynamic,
}

/// A running `prism mock`; killed when dropped (also when a test panics).
struct Prism {
    process: Process,
    port: u16,
    log: PathBuf,
    what: String,
}

impl Prism {
    fn start(seed: &str, mode: Mode) -> Prism {
        let bin = tool("Prism", "node/node_modules/.bin/prism");
        let spec = workspace().join("specs").join(format!("{seed}.yaml"));
        assert!(spec.exists(), "{} is missing", spec.display());
        on_free_port(&format!("Prism for {seed} ({mode:?})"), |port| {
            let what = format!("prism mock specs/{seed}.yaml ({mode:?}) on port {port}");
            let log = std::env::temp_dir().join(format!(
                "oagen-prism-{seed}-{mode:?}-{}-{port}.log",
                std::process::id()
            ));
            let out = fs::File::create(&log).expect("create the Prism log file");
            let err = out.try_clone().expect("clone the Prism log file");
            let mut cmd = Command::new(&bin);
            cmd.arg("mock")
                .arg(&spec)
                .args(["-h", "127.0.0.1", "-p", &port.to_string()]);
            if mode == Mode::Dynamic {
                cmd.args(["--dynamic", "--seed", DYNAMIC_SEED]);
            }
            let child = cmd
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .unwrap_or_else(|e| {
                    panic!(
                        "cannot run {} (is `node` on PATH? run `cargo xtask tools`): {e}",
                        bin.display()
                    )
                });
            let mut prism = Prism {
                process: Process(child),
                port,
                log,
                what,
            };
            // Bounded; Err when Prism exited (e.g. the port was taken).
            let ready = prism.process.wait_ready(
                READY_TIMEOUT,
                || prism_log(&prism.log).contains("Prism is listening"),
                || {
                    format!(
                        "{} was not ready after {READY_TIMEOUT:?}; its log:\n{}",
                        prism.what,
                        prism_log(&prism.log)
                    )
                },
            );
            match ready {
                Ok(()) => Ok(prism),
                Err(status) => Err(format!(
                    "{} exited with {status}; its last log:\n{}",
                    prism.what,
                    prism.log()
                )),
            }
        })
    }

    /// Without the spec's server base path: Prism serves the paths as written.
    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log(&self) -> String {
        prism_log(&self.log)
    }
}

fn prism_log(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_default()
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.process.stop();
        if std::thread::panicking() {
            eprintln!("--- log of {} ---\n{}", self.what, self.log());
        }
        let _ = fs::remove_file(&self.log);
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// What the `on_response` hook saw of one response.
#[derive(Debug, Clone)]
struct Seen {
    status: u16,
    violations: Option<String>,
}

type Recorder = Arc<Mutex<Vec<Seen>>>;

/// The one response a call got, as the hook saw it.
fn only_response(rec: &Recorder, ctx: &str) -> Seen {
    let seen = rec.lock().unwrap().clone();
    assert_eq!(
        seen.len(),
        1,
        "{ctx}: expected one response, the hook saw {seen:?}"
    );
    seen[0].clone()
}

/// A valid call: the answer is a declared 2xx, and Prism reported no violation.
fn assert_clean_success(rec: &Recorder, decoded_status: u16, ctx: &str) {
    let seen = only_response(rec, ctx);
    assert_eq!(
        seen.status, decoded_status,
        "{ctx}: the client reports status {decoded_status}, the wire said {}",
        seen.status
    );
    assert!(
        (200..300).contains(&seen.status),
        "{ctx}: expected a 2xx, got {}",
        seen.status
    );
    assert!(
        seen.violations.is_none(),
        "{ctx}: Prism reported violations: {}",
        seen.violations.unwrap_or_default()
    );
}

/// A call without credentials: Prism answered 401, and every violation it
/// reported is the request's missing credentials, except that in dynamic mode the
/// error body Prism generates itself may break its schema. (With `--seed oagen`,
/// Prism generates `"status": 600` in ampersand's problem body, whose schema is
/// `maximum: 600, exclusiveMaximum: true` (OpenAPI 3.0's boolean form), and then
/// reports its own answer. Only this error path is concerned; the 2xx answers
/// are checked strictly in both modes.)
fn assert_unauthorized(rec: &Recorder, mode: Mode, ctx: &str) {
    let seen = only_response(rec, ctx);
    assert_eq!(seen.status, 401, "{ctx}: expected 401, got {}", seen.status);
    let Some(v) = &seen.violations else {
        // Prism sends none with the 401 it makes up when the spec declares neither a
        // 401 nor a `default` response (trieve, devin).
        return;
    };
    let list: Vec<Value> = serde_json::from_str(v)
        .unwrap_or_else(|e| panic!("{ctx}: sl-violations is not a JSON array ({e}): {v}"));
    let missing_credentials =
        |item: &Value| item["location"] == json!(["request"]) && item["code"] == json!(401);
    assert!(
        list.iter().any(missing_credentials),
        "{ctx}: Prism did not report the missing credentials: {v}"
    );
    for item in &list {
        let from_prism_itself = mode == Mode::Dynamic && item["location"][0] == json!("response");
        assert!(
            missing_credentials(item) || from_prism_itself,
            "{ctx}: a violation other than the missing credentials: {v}"
        );
    }
}

/// The hook of `$krate`'s client that records every response's status and
/// `sl-violations` header.
macro_rules! hook {
    ($krate:ident, $rec:expr) => {{
        let rec: Recorder = $rec.clone();
        let hook: $krate::client::ResponseHook = Arc::new(move |status, headers| {
            let violations = headers
                .get("sl-violations")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            rec.lock().unwrap().push(Seen { status, violations });
        });
        hook
    }};
}

/// A client of `$krate` for `$base`, with `SECRET` set for each scheme of
/// `$schemes` (a security alternative), recording responses into `$rec`.
macro_rules! client {
    ($krate:ident, $base:expr, $schemes:expr, $rec:expr) => {{
        let mut credentials = $krate::client::Credentials::default();
        for scheme in $schemes.iter() {
            assert!(
                credentials.set(scheme, SECRET),
                "{}: Credentials::set does not know the scheme `{scheme}`",
                stringify!($krate)
            );
        }
        $krate::client::Client::builder($base)
            .credentials(credentials)
            .timeout(CALL_TIMEOUT)
            .on_response(hook!($krate, $rec))
            .build()
            .expect("build the client")
    }};
}

/// The value of a call that must succeed, or a panic that says why it did not
/// (with the raw body for decode errors and undeclared statuses).
macro_rules! ok {
    ($krate:ident, $result:expr, $ctx:expr) => {
        match $result {
            Ok(resp) => resp,
            Err($krate::client::Error::Decode {
                status,
                body,
                source,
            }) => panic!(
                "{}: the client cannot decode Prism's {status} answer ({source}): {}",
                $ctx,
                String::from_utf8_lossy(&body)
            ),
            Err(e) => panic!("{}: the call failed: {e}", $ctx),
        }
    };
}

/// A request body: JSON decoded into the generated request type.
macro_rules! body {
    ($($json:tt)+) => {
        serde_json::from_value(json!($($json)+))
            .expect("the hand-written body fits the request type")
    };
}

/// Each operation of `$krate` as (operationId, security alternatives).
macro_rules! operations {
    ($krate:ident) => {
        $krate::operations::OPERATIONS
            .iter()
            .map(|op| (op.id, op.security))
            .collect::<Vec<_>>()
    };
}

/// Every security alternative of an operation to try; an operation without
/// security is tried once, anonymously.
fn alternatives(security: &'static [&'static [&'static str]]) -> Vec<&'static [&'static str]> {
    if security.is_empty() {
        vec![&[]]
    } else {
        security.to_vec()
    }
}

/// One seed's test. For each of `modes`, Prism mocks `specs/<seed>.yaml`; every
/// operation, with each security alternative it allows, must be `operation`, whose
/// `call` must answer the declared 2xx `ok`, cleanly (`assert_clean_success`).
/// Then `call` without credentials must give `unauthorized` (a pattern on the
/// call's result), Prism's 401 (`assert_unauthorized`).
macro_rules! seed_test {
    (
        $krate:ident,
        modes: $modes:expr,
        operation: $op:literal,
        call: |$client:ident| $call:expr,
        ok: $ok:pat,
        unauthorized: $unauthorized:pat $(,)?
    ) => {{
        let seed = stringify!($krate);
        let ops = operations!($krate);
        for mode in $modes {
            let prism = Prism::start(seed, mode);
            let base = prism.base_url();
            runtime().block_on(async {
                for (id, security) in &ops {
                    for schemes in alternatives(security) {
                        let ctx = format!("{seed} {id} ({mode:?}) with {schemes:?}");
                        let rec = Recorder::default();
                        let $client = client!($krate, base.clone(), schemes, rec);
                        match *id {
                            $op => {
                                let resp = ok!($krate, $call, ctx);
                                assert!(matches!(resp, $ok), "{ctx}: {resp:?}");
                                assert_clean_success(&rec, resp.status(), &ctx);
                            }
                            other => panic!("{seed}: no valid request written for `{other}`"),
                        }
                    }
                }
                let ctx = format!("{seed} {} ({mode:?}) without credentials", $op);
                let rec = Recorder::default();
                let $client = client!($krate, base.clone(), [""; 0], rec);
                let result = $call;
                if !matches!(result, $unauthorized) {
                    // Says why: the undecodable body, or the answer that came instead.
                    let resp = ok!($krate, result, ctx);
                    panic!("{ctx}: {resp:?}");
                }
                assert_unauthorized(&rec, mode, &ctx);
            });
        }
    }};
}

#[test]
fn px0() {
    use px0::operations::CreateOrgResponse as R;
    seed_test!(
        px0,
        modes: [Mode::Static, Mode::Dynamic],
        operation: "createOrg",
        call: |client| client.create_org(&body!({"name": "Acme Corp"})).await,
        ok: R::Created(_),
        // Without credentials: the declared 401.
        unauthorized: Ok(R::Unauthorized(_)),
    );
}

#[test]
fn ampersand() {
    use ampersand::operations::CreateOrgResponse as R;
    // The spec's server is https://api.withampersand.com/v1; Prism serves `/orgs`.
    seed_test!(
        ampersand,
        modes: [Mode::Static, Mode::Dynamic],
        operation: "createOrg",
        call: |client| client.create_org(&body!({"label": "org-123"})).await,
        ok: R::Created(_),
        // Without credentials: no 401 is declared, but `default` is.
        unauthorized: Ok(R::Default { status: 401, .. }),
    );
}

#[test]
fn trieve() {
    use trieve::operations::CreateOrganizationResponse as R;
    seed_test!(
        trieve,
        // Dynamic only: the spec's Organization example is invalid (see the top).
        modes: [Mode::Dynamic],
        operation: "create_organization",
        call: |client| client.create_organization(&body!({"name": "Trieve"})).await,
        ok: R::Ok(_),
        // Without credentials: neither 401 nor `default` is declared.
        unauthorized: Err(trieve::client::Error::UnexpectedStatus { status: 401, .. }),
    );
}

#[test]
fn partoo() {
    use partoo::operations::CreateOrganizationResponse as R;
    // The spec's server is https://api.partoo.co/v2; Prism serves `/org`.
    seed_test!(
        partoo,
        modes: [Mode::Static, Mode::Dynamic],
        operation: "createOrganization",
        call: |client| {
            let request =
                body!({"name": "Fast Retailer", "alias": "fast_retailer", "max_businesses": 100});
            client.create_organization(&request).await
        },
        ok: R::Ok(_),
        // Without credentials: the declared 401.
        unauthorized: Ok(R::Unauthorized(_)),
    );
}

#[test]
fn devin() {
    use devin::operations::CreateEnterpriseOrganizationEndpointResponse as R;
    seed_test!(
        devin,
        modes: [Mode::Static, Mode::Dynamic],
        operation: "create_enterprise_organization_endpoint_v2_enterprise_organizations_post",
        call: |client| {
            let request =
                body!({"display_name": "Acme", "acu_limit": null, "add_creator_as_member": true});
            client.create_enterprise_organization_endpoint(&request).await
        },
        ok: R::Ok(_),
        // Without credentials: neither 401 nor `default` is declared.
        unauthorized: Err(devin::client::Error::UnexpectedStatus { status: 401, .. }),
    );
}
