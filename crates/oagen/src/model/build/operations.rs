//! Operations: each path item's operations, their servers and their parameters.

use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

use super::names::OpNames;
use super::Builder;
use crate::diag::join;
use crate::model::naming::{self, Namer};
use crate::model::{
    Operation, Param, ParamIn, SecurityScheme, Server, ServerVariable, Shape, Style, Ty,
};

/// An operation where it stands: its path (a webhook's name, a callback's
/// key), method, itself, its path item and its section (`/paths`, `/webhooks`,
/// or a callback's pointer, e.g. `/paths/~1orders/post/callbacks/onShipped`).
pub(super) type OpRef<'a> = (
    &'a str,
    &'a str,
    &'a openapiv3::Operation,
    &'a openapiv3::PathItem,
    &'a str,
);

/// One path item of an operation's callback: the owner (its path, method and
/// operation), the callback's name and key, its section (pointer) and path item.
pub(super) struct CallbackSite<'a> {
    pub owner_path: &'a str,
    pub owner_method: &'static str,
    pub owner: &'a openapiv3::Operation,
    pub name: &'a str,
    pub key: &'a str,
    pub section: String,
    pub item: &'a openapiv3::PathItem,
    /// How many operations the whole callback has (its name alone names one).
    pub operations: usize,
}

/// Every callback path item of the paths' operations (the loader kept only
/// those of the fixed methods, each one readable), in document order.
pub(super) fn callback_sites(doc: &openapiv3::OpenAPI) -> Vec<CallbackSite<'_>> {
    let mut out = Vec::new();
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let Some(owner_method) = FIXED.iter().copied().find(|m| *m == method) else {
                continue;
            };
            for (name, cb) in &op.callbacks {
                let section = join(
                    &join(&join(&join("/paths", path), owner_method), "callbacks"),
                    name,
                );
                let operations = cb.values().map(|i| i.iter().count()).sum();
                for (key, cb_item) in cb {
                    out.push(CallbackSite {
                        owner_path: path,
                        owner_method,
                        owner: op,
                        name,
                        key,
                        section: section.clone(),
                        item: cb_item,
                        operations,
                    });
                }
            }
        }
    }
    out
}

const FIXED: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a> Builder<'a> {
    /// The callback site at `section` with key `key`, if the section is a callback's.
    pub(super) fn callback_site(&self, section: &str, key: &str) -> Option<&'a CallbackSite<'a>> {
        let sites: &'a [CallbackSite<'a>] = self.callbacks;
        sites.iter().find(|s| s.section == section && s.key == key)
    }

    /// The hook of the callback operation at `index` of `site`; its owner is
    /// among `operations` (the paths' operations come first).
    pub(super) fn callback_hook(
        &mut self,
        site: &CallbackSite<'a>,
        index: usize,
        operations: &[Operation],
        hooks: &[crate::model::Hook],
    ) -> crate::model::Hook {
        let owner_ptr = join(&join("/paths", site.owner_path), site.owner_method);
        let owner = operations
            .iter()
            .position(|o| o.pointer == owner_ptr)
            .unwrap_or(0);
        let parts = match crate::model::parse_key(site.key) {
            Ok(parts) => Some(parts),
            Err(e) => {
                self.diags.warn(
                    join(&site.section, site.key),
                    format!("callback key: {e}; its sender takes only a URL the caller gives"),
                );
                None
            }
        };
        // Operations of one callback key share its route (one path item).
        let route = match hooks.iter().find(|h| {
            h.callback
                .as_ref()
                .is_some_and(|c| c.owner == owner && c.key == site.key)
                && h.name == site.name
        }) {
            Some(h) => h.route.clone(),
            None => {
                let taken: Vec<String> = hooks.iter().map(|h| h.route.clone()).collect();
                let owner_name = operations
                    .get(owner)
                    .map(|o| naming::bare(&o.fn_name).to_string())
                    .unwrap_or_default();
                crate::model::callback_route(
                    &owner_name,
                    site.name,
                    parts.as_deref().unwrap_or(&[]),
                    &taken,
                )
            }
        };
        crate::model::Hook {
            kind: crate::model::HookKind::Callback,
            name: site.name.to_string(),
            operation: index,
            route,
            callback: Some(crate::model::CallbackOf {
                owner,
                key: site.key.to_string(),
                parts,
            }),
        }
    }

    /// Every operation with its path, method and path item, in document order
    /// (path items that are references are skipped; `run` warns about them).
    /// Webhooks follow the paths' operations.
    pub(super) fn operations(&self) -> Vec<OpRef<'a>> {
        let mut out = Vec::new();
        let paths = self.doc.paths.paths.iter().filter_map(|(p, i)| match i {
            ReferenceOr::Item(i) => Some((p.as_str(), i, "/paths")),
            ReferenceOr::Reference { .. } => None,
        });
        let hooks = self
            .webhooks
            .iter()
            .map(|(p, i)| (p.as_str(), i, "/webhooks"));
        let callbacks = self
            .callbacks
            .iter()
            .map(|c| (c.key, c.item, c.section.as_str()));
        for (path, item, section) in paths.chain(hooks).chain(callbacks) {
            for (method, op) in [
                ("get", &item.get),
                ("put", &item.put),
                ("post", &item.post),
                ("delete", &item.delete),
                ("options", &item.options),
                ("head", &item.head),
                ("patch", &item.patch),
                ("trace", &item.trace),
            ] {
                if let Some(op) = op {
                    out.push((path, method, op, item, section));
                }
            }
            // 3.2's `query` and `additionalOperations` (of paths; webhooks'
            // path items carry only the fixed methods).
            let extra = (section == "/paths").then(|| self.extra.operations.get(path));
            for (method, op) in extra.flatten().into_iter().flatten() {
                out.push((path, method.as_str(), op, item, section));
            }
        }
        out
    }

    /// Builds an operation from its place in the document and its names.
    pub(super) fn operation(
        &mut self,
        (path, method, op, item, section): OpRef<'a>,
        names: OpNames,
        schemes: &[SecurityScheme],
    ) -> Operation {
        let pointer = crate::load::v32::operation_pointer(&join(section, path), method);
        let stem = &names.stem;
        let docs = crate::emit::docs::doc_text(op.summary.as_deref(), op.description.as_deref());
        let servers = if !op.servers.is_empty() {
            op.servers.iter().map(server).collect()
        } else if !item.servers.is_empty() {
            item.servers.iter().map(server).collect()
        } else {
            self.doc.servers.iter().map(server).collect()
        };
        let params = self.params((path, section), item, op, &pointer, stem);
        let body = self.request_body(op, &pointer, stem);
        let responses = self.responses(op, &pointer, &names.id, stem);
        let security = self.requirements(op, &pointer, schemes);
        Operation {
            id: names.id,
            fn_name: names.fn_name,
            stream_fn_name: names.stream_fn,
            type_name: names.stem,
            response_type: names.response_type,
            params_type: names.params_type,
            method: method.to_string(),
            path: path.to_string(),
            pointer,
            docs,
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            servers,
            params,
            body,
            responses,
            security,
        }
    }

    /// An operation's parameters: path-level first, overridden by operation-level
    /// ones (same name and location), then path template variables nobody
    /// declared; path parameters first, required before optional.
    fn params(
        &mut self,
        (path, section): (&str, &str),
        item: &'a openapiv3::PathItem,
        op: &'a openapiv3::Operation,
        pointer: &str,
        stem: &str,
    ) -> Vec<Param> {
        let mut params: Vec<Param> = Vec::new();
        let mut idents = Namer::new();
        idents.reserve("body");
        let path_ptr = join(&join(section, path), "parameters");
        let op_ptr = join(pointer, "parameters");
        let mut resolved: IndexMap<(String, ParamIn), (&'a Parameter, String)> = IndexMap::new();
        for (list, base) in [(&item.parameters, path_ptr), (&op.parameters, op_ptr)] {
            for (i, p) in list.iter().enumerate() {
                let at = join(&base, &i.to_string());
                if let Some((param, pptr)) = self.resolve_component(
                    p,
                    &at,
                    "parameters",
                    |c| &c.parameters,
                    |e| &e.parameters,
                ) {
                    let d = param.parameter_data_ref();
                    resolved.insert((d.name.clone(), param_in(param)), (param, pptr));
                }
            }
        }
        for ((_, loc), (param, pptr)) in resolved {
            params.push(self.param(param, loc, &pptr, stem, &mut idents));
        }
        // Path template variables without a declared parameter (a hook's
        // key is no template).
        let template = if section == "/paths" { path } else { "" };
        for var in path_vars(template) {
            if !params
                .iter()
                .any(|p| p.location == ParamIn::Path && p.name == var)
            {
                self.diags.warn(pointer, format!("path parameter `{var}` is used in the path but not declared; it is taken as a required string"));
                params.push(Param {
                    ident: idents.claim(&naming::snake_ident(&var, "param")),
                    name: var,
                    location: ParamIn::Path,
                    required: true,
                    shape: Shape::plain(Ty::String),
                    style: Style::Simple,
                    explode: false,
                    docs: None,
                    deprecated: false,
                });
            }
        }
        for p in params.iter_mut() {
            if p.location == ParamIn::Path {
                p.required = true;
            }
        }
        params.sort_by_key(|p| (p.location, !p.required));
        params
    }

    fn param(
        &mut self,
        p: &'a Parameter,
        location: ParamIn,
        ptr: &str,
        stem: &str,
        idents: &mut Namer,
    ) -> Param {
        let d = p.parameter_data_ref();
        let type_hint = format!("{stem}{}", naming::type_name(&d.name, "Param"));
        let shape = self.param_format(&d.format, ptr, &type_hint);
        let style = match p {
            Parameter::Query { style, .. } => match style {
                openapiv3::QueryStyle::Form => Style::Form,
                openapiv3::QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => Style::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => Style::DeepObject,
            },
            Parameter::Path { style, .. } => match style {
                openapiv3::PathStyle::Simple => Style::Simple,
                openapiv3::PathStyle::Label => Style::Label,
                openapiv3::PathStyle::Matrix => Style::Matrix,
            },
            Parameter::Header { .. } => Style::Simple,
            Parameter::Cookie { .. } => Style::Form,
        };
        // `form` explodes unless told otherwise; the other styles do not.
        let default_explode = style == Style::Form;
        if let Some(schema_ptr) = param_schema_pointer(&d.format, ptr) {
            self.value_examples(d.example.as_ref(), &d.examples, ptr, &schema_ptr, &shape);
        }
        Param {
            name: d.name.clone(),
            ident: idents.claim(&naming::snake_ident(&d.name, "param")),
            location,
            required: d.required,
            shape,
            style,
            explode: d.explode.unwrap_or(default_explode),
            docs: crate::emit::docs::doc_text(None, d.description.as_deref()),
            deprecated: d.deprecated.unwrap_or(false),
        }
    }

    fn param_format(
        &mut self,
        format: &'a ParameterSchemaOrContent,
        ptr: &str,
        type_hint: &str,
    ) -> Shape {
        match format {
            ParameterSchemaOrContent::Schema(s) => {
                self.shape_of_ref(s, &join(ptr, "schema"), &[type_hint.to_string()])
                    .0
            }
            ParameterSchemaOrContent::Content(c) => match c.iter().next() {
                Some((media, mt)) => match &mt.schema {
                    Some(s) => {
                        self.shape_of_ref(
                            s,
                            &join(&join(&join(ptr, "content"), media), "schema"),
                            &[type_hint.to_string()],
                        )
                        .0
                    }
                    None => Shape::plain(Ty::String),
                },
                None => Shape::plain(Ty::String),
            },
        }
    }
}

/// Where the schema of a parameter or header at `ptr` is: `schema`, or the schema
/// of its (first) `content` entry; `None` when it has none.
pub(super) fn param_schema_pointer(format: &ParameterSchemaOrContent, ptr: &str) -> Option<String> {
    match format {
        ParameterSchemaOrContent::Schema(_) => Some(join(ptr, "schema")),
        ParameterSchemaOrContent::Content(c) => match c.iter().next() {
            Some((media, mt)) if mt.schema.is_some() => {
                Some(join(&join(&join(ptr, "content"), media), "schema"))
            }
            _ => None,
        },
    }
}

fn param_in(p: &Parameter) -> ParamIn {
    match p {
        Parameter::Query { .. } => ParamIn::Query,
        Parameter::Header { .. } => ParamIn::Header,
        Parameter::Path { .. } => ParamIn::Path,
        Parameter::Cookie { .. } => ParamIn::Cookie,
    }
}

/// `{name}` segments of a path template.
pub fn path_vars(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

pub(super) fn server(s: &openapiv3::Server) -> Server {
    Server {
        url: s.url.clone(),
        description: s.description.clone(),
        variables: s
            .variables
            .iter()
            .flatten()
            .map(|(name, v)| ServerVariable {
                name: name.clone(),
                default: v.default.clone(),
                allowed: v.enumeration.clone(),
                description: v.description.clone(),
            })
            .collect(),
    }
}
