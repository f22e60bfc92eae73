//! The demo: in-memory implementations of the five seed APIs' generated servers,
//! and calls through their generated clients.
//!
//! Every server accepts the credential [`SECRET`] for every scheme its operation
//! allows, and rejects anything else as the spec allows. Creating an organization
//! stores it and answers the declared success response.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// The one credential the demo servers accept, for every scheme.
pub const SECRET: &str = "demo-secret";

/// The APIs the demo knows.
pub const APIS: &[&str] = &["px0", "ampersand", "trieve", "partoo", "devin"];

/// Organizations created so far, as JSON, shared by every API's server.
#[derive(Debug, Default)]
pub struct Store {
    next: AtomicU64,
    orgs: Mutex<Vec<Value>>,
}

impl Store {
    fn next_id(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn keep(&self, org: Value) {
        if let Ok(mut orgs) = self.orgs.lock() {
            orgs.push(org);
        }
    }

    /// How many organizations were created.
    pub fn len(&self) -> usize {
        self.orgs.lock().map(|o| o.len()).unwrap_or(0)
    }

    /// Whether none were created.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// The px0 server.
#[derive(Debug, Default)]
pub struct Px0(pub Store);

impl px0::server::Api for Px0 {
    async fn verify(&self, credential: &px0::server::Credential) -> bool {
        credential.value == SECRET
    }

    async fn create_org(
        self: Arc<Self>,
        _auth: px0::server::Auth,
        body: px0::models::CreateOrgRequest,
    ) -> px0::operations::CreateOrgResponse {
        use px0::models::{CreateOrgCreatedBody, Organization};
        let org = Organization {
            id: uuid::Uuid::from_u128(u128::from(self.0.next_id())),
            name: body.name,
            created_at: now().into(),
            additional_properties: Default::default(),
        };
        self.0.keep(serde_json::to_value(&org).unwrap_or_default());
        px0::operations::CreateOrgResponse::Created(CreateOrgCreatedBody {
            org: Some(org),
            additional_properties: Default::default(),
        })
    }
}

/// The Ampersand server.
#[derive(Debug, Default)]
pub struct Ampersand(pub Store);

impl ampersand::server::Api for Ampersand {
    async fn verify(&self, credential: &ampersand::server::Credential) -> bool {
        credential.value == SECRET
    }

    async fn create_org(
        self: Arc<Self>,
        _auth: ampersand::server::Auth,
        body: ampersand::models::CreateOrgRequest,
    ) -> ampersand::operations::CreateOrgResponse {
        let id = self.0.next_id();
        let org = ampersand::models::Organization {
            id: format!("org-{id}"),
            label: body.label,
            default_team_id: format!("team-{id}"),
            create_time: now().into(),
            update_time: None,
            additional_properties: Default::default(),
        };
        self.0.keep(serde_json::to_value(&org).unwrap_or_default());
        ampersand::operations::CreateOrgResponse::Created(org)
    }
}

/// The Trieve server.
#[derive(Debug, Default)]
pub struct Trieve(pub Store);

impl trieve::server::Api for Trieve {
    async fn verify(&self, credential: &trieve::server::Credential) -> bool {
        credential.value == SECRET
    }

    async fn create_organization(
        self: Arc<Self>,
        _auth: trieve::server::Auth,
        body: trieve::models::CreateOrganizationReqPayload,
    ) -> trieve::operations::CreateOrganizationResponse {
        let created: trieve::runtime::DateTime = now().into();
        let org = trieve::models::Organization {
            created_at: created,
            deleted: 0,
            id: uuid::Uuid::from_u128(u128::from(self.0.next_id())),
            name: body.name,
            partner_configuration: serde_json::json!({}),
            registerable: Some(Some(true)),
            updated_at: created,
            additional_properties: Default::default(),
        };
        self.0.keep(serde_json::to_value(&org).unwrap_or_default());
        trieve::operations::CreateOrganizationResponse::Ok(org)
    }
}

/// The Partoo server.
#[derive(Debug, Default)]
pub struct Partoo(pub Store);

impl partoo::server::Api for Partoo {
    async fn verify(&self, credential: &partoo::server::Credential) -> bool {
        credential.value == SECRET
    }

    async fn create_organization(
        self: Arc<Self>,
        _auth: partoo::server::Auth,
        body: partoo::models::CreateOrganizationRequest,
    ) -> partoo::operations::CreateOrganizationResponse {
        let id = self.0.next_id();
        self.0.keep(serde_json::to_value(&body).unwrap_or_default());
        partoo::operations::CreateOrganizationResponse::Ok(
            partoo::models::CreateOrganizationOkBody {
                status: Some(partoo::models::RequestStatus::Success),
                org_id: Some(i64::try_from(id).unwrap_or(i64::MAX)),
                alias: body.alias,
                max_businesses: body.max_businesses,
                additional_properties: Default::default(),
            },
        )
    }
}

/// The Devin server.
#[derive(Debug, Default)]
pub struct Devin(pub Store);

impl devin::server::Api for Devin {
    async fn verify(&self, credential: &devin::server::Credential) -> bool {
        credential.value == SECRET
    }

    async fn create_enterprise_organization_endpoint(
        self: Arc<Self>,
        _auth: devin::server::Auth,
        body: devin::models::EnterpriseOrgCreate,
    ) -> devin::operations::CreateEnterpriseOrganizationEndpointResponse {
        let id = self.0.next_id();
        let org = devin::models::OrganizationResponse {
            created_at: Some(now().into()),
            max_cycle_acu_limit: body.acu_limit,
            max_session_acu_limit: None,
            org_admin_count: i64::from(body.add_creator_as_member),
            org_id: format!("org-{id}"),
            org_member_count: i64::from(body.add_creator_as_member),
            org_name: body.display_name,
            org_user_count: 0,
            additional_properties: Default::default(),
        };
        self.0.keep(serde_json::to_value(&org).unwrap_or_default());
        devin::operations::CreateEnterpriseOrganizationEndpointResponse::Ok(org)
    }
}

/// The router of the demo server for `api`, or None for an unknown API.
pub fn router(api: &str) -> Option<axum::Router> {
    Some(match api {
        "px0" => px0::server::router(Arc::new(Px0::default())),
        "ampersand" => ampersand::server::router(Arc::new(Ampersand::default())),
        "trieve" => trieve::server::router(Arc::new(Trieve::default())),
        "partoo" => partoo::server::router(Arc::new(Partoo::default())),
        "devin" => devin::server::router(Arc::new(Devin::default())),
        _ => return None,
    })
}

/// The security schemes `operation_id` of `api` accepts, as alternatives.
pub fn security(api: &str, operation_id: &str) -> Option<&'static [&'static [&'static str]]> {
    macro_rules! find {
        ($krate:ident) => {
            $krate::operations::OPERATIONS
                .iter()
                .find(|o| o.id == operation_id)
                .map(|o| o.security)
        };
    }
    match api {
        "px0" => find!(px0),
        "ampersand" => find!(ampersand),
        "trieve" => find!(trieve),
        "partoo" => find!(partoo),
        "devin" => find!(devin),
        _ => None,
    }
}

/// What a call answered: the status and the decoded body.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The decoded body as JSON (null without a body).
    pub body: Value,
}

/// Why a call did not produce a declared response.
#[derive(Debug)]
pub enum CallError {
    /// Unknown API or operation, bad scheme name, or a body that is not the request type.
    Usage(String),
    /// The generated client reported an error (undeclared status, undecodable body, transport).
    Client(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Usage(m) => write!(f, "usage: {m}"),
            Self::Client(m) => write!(f, "{m}"),
        }
    }
}

/// Calls `operation_id` of `api` at `base_url` with the generated client.
///
/// `scheme` names the security scheme to send `credential` with; without it, the
/// first scheme the operation allows is used.
pub async fn call(
    api: &str,
    operation_id: &str,
    base_url: &str,
    scheme: Option<&str>,
    credential: &str,
    body: &str,
) -> Result<Answer, CallError> {
    let alternatives = security(api, operation_id).ok_or_else(|| {
        CallError::Usage(format!("unknown operation `{operation_id}` of `{api}`"))
    })?;
    let scheme = match scheme {
        Some(s) => Some(s.to_string()),
        None => alternatives
            .iter()
            .flat_map(|a| a.iter())
            .next()
            .map(|s| s.to_string()),
    };
    let body: Value = serde_json::from_str(body)
        .map_err(|e| CallError::Usage(format!("--body is not JSON: {e}")))?;
    macro_rules! run {
        ($krate:ident, $method:ident, $ty:path) => {{
            let mut client = $krate::client::Client::new(base_url)
                .map_err(|e| CallError::Client(e.to_string()))?;
            if let Some(s) = &scheme {
                if !client.credentials_mut().set(s, credential) {
                    return Err(CallError::Usage(format!(
                        "`{api}` has no security scheme `{s}`"
                    )));
                }
            }
            let body: $ty = serde_json::from_value(body).map_err(|e| {
                CallError::Usage(format!("--body does not fit the request type: {e}"))
            })?;
            let resp = client
                .$method(&body)
                .await
                .map_err(|e| CallError::Client(e.to_string()))?;
            Ok(Answer {
                status: resp.status(),
                body: resp.body_json().unwrap_or(Value::Null),
            })
        }};
    }
    match (api, operation_id) {
        ("px0", "createOrg") => run!(px0, create_org, px0::models::CreateOrgRequest),
        ("ampersand", "createOrg") => {
            run!(ampersand, create_org, ampersand::models::CreateOrgRequest)
        }
        ("trieve", "create_organization") => run!(
            trieve,
            create_organization,
            trieve::models::CreateOrganizationReqPayload
        ),
        ("partoo", "createOrganization") => run!(
            partoo,
            create_organization,
            partoo::models::CreateOrganizationRequest
        ),
        ("devin", "create_enterprise_organization_endpoint_v2_enterprise_organizations_post") => {
            run!(
                devin,
                create_enterprise_organization_endpoint,
                devin::models::EnterpriseOrgCreate
            )
        }
        _ => Err(CallError::Usage(format!(
            "unknown operation `{operation_id}` of `{api}`"
        ))),
    }
}
