//! Responses: one per declared status (code, range, `default`), with bodies and headers.

use openapiv3::{ParameterSchemaOrContent, ReferenceOr, StatusCode};
use serde_json::Value;

use super::operations::param_schema_pointer;
use super::Builder;
use crate::diag::join;
use crate::load::resolve_pointer;
use crate::model::naming::{self, Namer};
use crate::model::{
    same_carrier, HeaderForm, MediaKind, Response, ResponseHeader, Shape, Status, Ty,
};

impl<'a> Builder<'a> {
    /// An operation's responses in document order (`default` last), each named
    /// as a variant of the operation's response type.
    pub(super) fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        id: &str,
        stem: &str,
    ) -> Vec<Response> {
        let mut responses = Vec::new();
        let mut variants = Namer::new();
        let rptr = join(pointer, "responses");
        let mut entries: Vec<(Status, &'a ReferenceOr<openapiv3::Response>, String)> = Vec::new();
        for (code, r) in &op.responses.responses {
            let (status, key) = match code {
                StatusCode::Code(c) => (Status::Code(*c), c.to_string()),
                StatusCode::Range(r) => (Status::Range(*r), format!("{r}XX")),
            };
            entries.push((status, r, join(&rptr, &key)));
        }
        if let Some(d) = &op.responses.default {
            entries.push((Status::Default, d, join(&rptr, "default")));
        }
        for (status, r, at) in entries {
            let variant_hint = match status {
                Status::Code(c) => naming::status_name(c),
                Status::Range(r) => match r {
                    1 => "Informational".into(),
                    2 => "Success".into(),
                    3 => "Redirection".into(),
                    4 => "ClientError".into(),
                    5 => "ServerError".into(),
                    n => format!("Status{n}xx"),
                },
                Status::Default => "Default".into(),
            };
            let variant = variants.claim(&variant_hint);
            // A shared response is named after its component, an inline one after the operation.
            let base = match r {
                ReferenceOr::Reference { reference } => {
                    let last = reference
                        .rsplit('/')
                        .next()
                        .map(crate::diag::unescape_token)
                        .unwrap_or_default();
                    match last.parse::<u16>() {
                        Ok(code) => naming::status_name(code),
                        Err(_) => naming::type_name(&last, "Response"),
                    }
                }
                ReferenceOr::Item(_) => format!("{stem}{variant}"),
            };
            let body_name = format!("{base}Body");
            let Some((resp, rp)) =
                self.resolve_component(r, &at, "responses", |c| &c.responses, |e| &e.responses)
            else {
                continue;
            };
            let contents = self.contents(&resp.content, &join(&rp, "content"), &body_name, true);
            let label = match status {
                Status::Code(c) => c.to_string(),
                Status::Range(x) => format!("{x}XX"),
                Status::Default => "default".into(),
            };
            let headers = self.response_headers(resp, &rp, id, &label, &base);
            let headers_type =
                (!headers.is_empty()).then(|| self.names.claim(&format!("{stem}{variant}Headers")));
            let choice_type = (!same_carrier(&contents))
                .then(|| self.names.claim(&format!("{stem}{variant}Content")));
            responses.push(Response {
                status,
                variant,
                docs: crate::emit::docs::doc_text(None, Some(&resp.description)),
                contents,
                headers,
                choice_type,
                headers_type,
            });
        }
        responses
    }

    /// The headers a response declares, for the response `label` (`201`, `4XX`,
    /// `default`) of operation `op_id`. `Content-Type` is ignored (OpenAPI says so);
    /// headers that HTTP cannot carry are left out with a warning.
    fn response_headers(
        &mut self,
        resp: &'a openapiv3::Response,
        rp: &str,
        op_id: &str,
        label: &str,
        base: &str,
    ) -> Vec<ResponseHeader> {
        let mut out: Vec<ResponseHeader> = Vec::new();
        let mut idents = Namer::new();
        for (hname, h) in &resp.headers {
            let hat = join(&join(rp, "headers"), hname);
            let what = format!("response header `{hname}` of `{op_id}` ({label})");
            if hname.eq_ignore_ascii_case("content-type") {
                continue;
            }
            if !is_header_token(hname) {
                self.diags.warn(
                    &hat,
                    format!("{what} is skipped: its name is not a valid HTTP header name"),
                );
                continue;
            }
            if out.iter().any(|o| o.name.eq_ignore_ascii_case(hname)) {
                self.diags.warn(
                    &hat,
                    format!("{what} is skipped: header names ignore case and it is declared twice"),
                );
                continue;
            }
            let Some((h, hptr)) =
                self.resolve_component(h, &hat, "headers", |c| &c.headers, |e| &e.headers)
            else {
                continue;
            };
            // A header defined in components/headers is named after its component.
            let hint = match header_component_name(&hptr) {
                Some(c) => format!("{}Header", naming::type_name(&c, "Header")),
                None => format!("{base}{}Header", naming::type_name(hname, "Header")),
            };
            let hint = vec![hint];
            if h.extensions.contains_key("x-oagen-no-schema") {
                self.diags.warn(
                    &hptr,
                    format!(
                        "{what} declares neither `schema` nor `content`; it is read as a string"
                    ),
                );
            }
            let (mut shape, form) = match &h.format {
                ParameterSchemaOrContent::Schema(s) => {
                    let explode = resolve_pointer(self.raw, &hptr)
                        .and_then(|v| v.get("explode"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    (
                        self.shape_of_ref(s, &join(&hptr, "schema"), &hint).0,
                        HeaderForm::Simple { explode },
                    )
                }
                ParameterSchemaOrContent::Content(c) => match c.iter().next() {
                    Some((media, mt)) => {
                        let form = if MediaKind::of(media) == MediaKind::Json {
                            HeaderForm::Json
                        } else {
                            HeaderForm::Simple { explode: false }
                        };
                        let shape = match &mt.schema {
                            Some(s) => {
                                let sptr = join(&join(&join(&hptr, "content"), media), "schema");
                                self.shape_of_ref(s, &sptr, &hint).0
                            }
                            None if form == HeaderForm::Json => Shape::plain(Ty::Any),
                            None => Shape::plain(Ty::String),
                        };
                        (shape, form)
                    }
                    None => {
                        self.diags.warn(
                            &hptr,
                            format!("{what} has an empty `content`; it is read as text"),
                        );
                        (
                            Shape::plain(Ty::String),
                            HeaderForm::Simple { explode: false },
                        )
                    }
                },
            };
            if matches!(shape.ty, Ty::Null) {
                self.diags.warn(
                    &hptr,
                    format!("{what} is skipped: its schema allows only null, which a header cannot carry"),
                );
                continue;
            }
            // A header is present or absent; it has no null.
            shape.nullable = false;
            if let Some(schema_ptr) = param_schema_pointer(&h.format, &hptr) {
                self.value_examples(h.example.as_ref(), &h.examples, &hptr, &schema_ptr, &shape);
            }
            out.push(ResponseHeader {
                name: hname.clone(),
                ident: idents.claim(&naming::snake_ident(hname, "header")),
                required: h.required,
                shape,
                form,
                docs: crate::emit::docs::doc_text(None, h.description.as_deref()),
                deprecated: h.deprecated.unwrap_or(false),
            });
        }
        out
    }
}

/// Whether `name` is an HTTP field name (an RFC 9110 token).
fn is_header_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The name of the `components/headers` entry a pointer designates, if it does.
fn header_component_name(ptr: &str) -> Option<String> {
    ptr.strip_prefix("/components/headers/")
        .filter(|n| !n.contains('/'))
        .map(crate::diag::unescape_token)
}
