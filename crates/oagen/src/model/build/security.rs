//! Security: the declared schemes, and an operation's requirements as alternatives of them.

use openapiv3::SecurityScheme as OaScheme;

use super::Builder;
use crate::diag::join;
use crate::model::naming::{self, Namer};
use crate::model::{ParamIn, SchemeKind, SchemeUse, Security, SecurityScheme};

impl<'a> Builder<'a> {
    /// Who may call an operation: its own `security`, else the document's; an
    /// alternative that names an undeclared scheme is dropped with a warning.
    pub(super) fn requirements(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        schemes: &[SecurityScheme],
    ) -> Security {
        let requirements = op.security.as_ref().or(self.doc.security.as_ref());
        let mut security = Security::default();
        if let Some(reqs) = requirements {
            let base = if op.security.is_some() {
                join(pointer, "security")
            } else {
                "/security".to_string()
            };
            for (i, req) in reqs.iter().enumerate() {
                let mut alt = Vec::new();
                let mut ok = true;
                for (name, scopes) in req {
                    match schemes.iter().position(|s| &s.key == name) {
                        Some(idx) => alt.push(SchemeUse {
                            scheme: idx,
                            scopes: scopes.clone(),
                        }),
                        None => {
                            self.diags.warn(
                                join(&join(&base, &i.to_string()), name),
                                format!("security requirement names `{name}`, which is not a declared security scheme; this alternative is ignored"),
                            );
                            ok = false;
                        }
                    }
                }
                if ok {
                    security.alternatives.push(alt);
                }
            }
        }
        security
    }

    pub(super) fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let mut out = Vec::new();
        let mut idents = Namer::new();
        let Some(c) = &self.doc.components else {
            return out;
        };
        for (key, s) in &c.security_schemes {
            let at = join("/components/securitySchemes", key);
            let Some((s, _)) = self.resolve_component(
                s,
                &at,
                "securitySchemes",
                |c| &c.security_schemes,
                |e| &e.security_schemes,
            ) else {
                continue;
            };
            let (kind, description) = match s {
                OaScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => (
                    SchemeKind::ApiKey {
                        name: name.clone(),
                        location: match location {
                            openapiv3::APIKeyLocation::Query => ParamIn::Query,
                            openapiv3::APIKeyLocation::Header => ParamIn::Header,
                            openapiv3::APIKeyLocation::Cookie => ParamIn::Cookie,
                        },
                    },
                    description,
                ),
                OaScheme::HTTP {
                    scheme,
                    bearer_format,
                    description,
                    ..
                } => (
                    match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => SchemeKind::Bearer {
                            format: bearer_format.clone(),
                        },
                        "basic" => SchemeKind::Basic,
                        _ => SchemeKind::Http {
                            scheme: scheme.clone(),
                        },
                    },
                    description,
                ),
                OaScheme::OAuth2 { description, .. } => (SchemeKind::OAuth2, description),
                OaScheme::OpenIDConnect {
                    open_id_connect_url,
                    description,
                    ..
                } => (
                    SchemeKind::OpenIdConnect {
                        url: open_id_connect_url.clone(),
                    },
                    description,
                ),
            };
            out.push(SecurityScheme {
                key: key.clone(),
                ident: idents.claim(&naming::snake_ident(key, "scheme")),
                docs: crate::emit::docs::doc_text(None, description.as_deref()),
                kind,
            });
        }
        out
    }
}
