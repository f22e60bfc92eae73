//! Security: the declared schemes, and each operation's alternatives of them.

use super::ParamIn;

/// A security scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its key in `components/securitySchemes`.
    pub key: String,
    /// A Rust identifier stem (snake case), unique among schemes.
    pub ident: String,
    /// Doc text.
    pub docs: Option<String>,
    /// What it is.
    pub kind: SchemeKind,
}

/// Kinds of security scheme.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// HTTP `Authorization: Bearer <token>`.
    Bearer {
        /// `bearerFormat`, a hint only.
        format: Option<String>,
    },
    /// HTTP Basic.
    Basic,
    /// Another HTTP scheme: `Authorization: <scheme> <credentials>`.
    Http {
        /// The scheme name.
        scheme: String,
    },
    /// An API key in a header, query parameter or cookie, sent as is.
    ApiKey {
        /// The header, parameter or cookie name.
        name: String,
        /// Where it goes.
        location: ParamIn,
    },
    /// OAuth 2: a bearer token obtained elsewhere.
    OAuth2,
    /// OpenID Connect: a bearer token obtained elsewhere.
    OpenIdConnect {
        /// The discovery URL.
        url: String,
    },
}

/// An operation's security: any one alternative suffices; within an alternative,
/// every scheme must be satisfied. No alternatives at all means no security.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Security {
    /// The alternatives.
    pub alternatives: Vec<Vec<SchemeUse>>,
}

impl Security {
    /// Whether a request without any credential is acceptable.
    pub fn allows_anonymous(&self) -> bool {
        self.alternatives.is_empty() || self.alternatives.iter().any(Vec::is_empty)
    }
}

/// One scheme within a requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeUse {
    /// Index into [`Api::security_schemes`](super::Api::security_schemes).
    pub scheme: usize,
    /// Required scopes (also kept for schemes where they mean nothing, such as apiKey).
    pub scopes: Vec<String>,
}
