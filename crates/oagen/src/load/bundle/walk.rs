//! The bundler's walk of a document by its structure: which children of an object of each kind are schemas, parameters, responses, ... (so a `$ref`'s kind is known from where it stands).

use serde_json::{Map, Value};

use super::{component_pointer, pure_ref, Bundler, Ctx, Kind, Loc, Target, KINDS};

impl Bundler<'_> {
    /// Walks the children of an object of kind `ctx`.
    pub(super) fn children(&mut self, m: &mut Map<String, Value>, ctx: Ctx, loc: &mut Loc) {
        match ctx {
            Ctx::Root => {
                self.field(m, "paths", loc, |b, v, loc| {
                    b.map_of(v, Ctx::PathItem, true, loc)
                });
                self.field(m, "webhooks", loc, |b, v, loc| {
                    b.map_of(v, Ctx::PathItem, true, loc)
                });
                self.field(m, "components", loc, |b, v, loc| {
                    b.walk(v, Ctx::Components, loc)
                });
            }
            Ctx::Components => {
                for kind in KINDS {
                    self.field(m, kind.key(), loc, |b, v, loc| b.components(v, kind, loc));
                }
                // 3.1's reusable path items: inlined like `paths`' own.
                self.field(m, "pathItems", loc, |b, v, loc| {
                    b.map_of(v, Ctx::PathItem, true, loc)
                });
            }
            Ctx::PathItem => {
                for (k, v) in m.iter_mut() {
                    if matches!(
                        k.as_str(),
                        "get"
                            | "put"
                            | "post"
                            | "delete"
                            | "options"
                            | "head"
                            | "patch"
                            | "trace"
                            | "query"
                    ) {
                        let l = loc.push(k);
                        self.walk(v, Ctx::Operation, loc);
                        loc.pop(l);
                    }
                }
                self.field(m, "parameters", loc, |b, v, loc| {
                    b.list_of(v, Ctx::Parameter, loc)
                });
                // 3.2: operations of other methods, by method name.
                self.field(m, "additionalOperations", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Operation, false, loc)
                });
            }
            Ctx::Operation => {
                self.field(m, "parameters", loc, |b, v, loc| {
                    b.list_of(v, Ctx::Parameter, loc)
                });
                self.field(m, "requestBody", loc, |b, v, loc| {
                    b.walk(v, Ctx::RequestBody, loc)
                });
                self.field(m, "responses", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Response, true, loc)
                });
                self.field(m, "callbacks", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Callback, false, loc)
                });
            }
            Ctx::Callback => {
                for (k, v) in m.iter_mut() {
                    if !k.starts_with("x-") && k != "$ref" {
                        let l = loc.push(k);
                        self.walk(v, Ctx::PathItem, loc);
                        loc.pop(l);
                    }
                }
            }
            Ctx::Parameter | Ctx::Header => {
                self.field(m, "schema", loc, |b, v, loc| b.walk(v, Ctx::Schema, loc));
                self.field(m, "content", loc, |b, v, loc| {
                    b.map_of(v, Ctx::MediaType, false, loc)
                });
                self.field(m, "examples", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Example, false, loc)
                });
            }
            Ctx::RequestBody => {
                self.field(m, "content", loc, |b, v, loc| {
                    b.map_of(v, Ctx::MediaType, false, loc)
                });
            }
            Ctx::Response => {
                self.field(m, "headers", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Header, false, loc)
                });
                self.field(m, "content", loc, |b, v, loc| {
                    b.map_of(v, Ctx::MediaType, false, loc)
                });
                self.field(m, "links", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Link, false, loc)
                });
            }
            Ctx::MediaType => {
                self.field(m, "schema", loc, |b, v, loc| b.walk(v, Ctx::Schema, loc));
                self.field(m, "examples", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Example, false, loc)
                });
                self.field(m, "encoding", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Encoding, false, loc)
                });
            }
            Ctx::Encoding => {
                self.field(m, "headers", loc, |b, v, loc| {
                    b.map_of(v, Ctx::Header, false, loc)
                });
            }
            Ctx::Schema => self.schema_children(m, loc),
            Ctx::Example | Ctx::Link | Ctx::SecurityScheme => {}
        }
    }

    fn schema_children(&mut self, m: &mut Map<String, Value>, loc: &mut Loc) {
        for (k, v) in m.iter_mut() {
            let l = loc.push(k);
            match k.as_str() {
                "properties" | "patternProperties" | "$defs" | "definitions"
                | "dependentSchemas" => {
                    self.map_of(v, Ctx::Schema, false, loc);
                }
                "items" | "additionalItems" if v.is_array() => self.list_of(v, Ctx::Schema, loc),
                "allOf" | "anyOf" | "oneOf" | "prefixItems" => self.list_of(v, Ctx::Schema, loc),
                "items"
                | "additionalItems"
                | "additionalProperties"
                | "not"
                | "contains"
                | "if"
                | "then"
                | "else"
                | "propertyNames"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "contentSchema" => self.walk(v, Ctx::Schema, loc),
                "discriminator" => self.mapping(v, loc),
                _ => {}
            }
            loc.pop(l);
        }
    }

    /// `discriminator.mapping` values that name another file (or, in another
    /// file, a local pointer) become local references to placed schemas.
    fn mapping(&mut self, v: &mut Value, loc: &mut Loc) {
        let Some(Value::Object(mapping)) = v.get_mut("mapping") else {
            return;
        };
        let l = loc.push("mapping");
        for (k, target) in mapping.iter_mut() {
            let Value::String(r) = target else { continue };
            let looks_ref = r.contains('#')
                || [".yaml", ".yml", ".json"]
                    .iter()
                    .any(|e| r.to_ascii_lowercase().ends_with(e));
            if !looks_ref {
                continue;
            }
            let r = r.clone();
            let lk = loc.push(k);
            let found = self.resolve(&r, loc);
            match found {
                Ok(Target::Keep) => {}
                Ok(Target::Root(local)) => *target = Value::String(local),
                Ok(Target::File(file, frag)) if self.target(file, &frag).is_some() => {
                    let name = self.name_for(file, frag, Kind::Schemas);
                    *target =
                        Value::String(format!("#{}", component_pointer(Kind::Schemas, &name)));
                }
                Ok(Target::File(..)) => {}
                Err(p) => self.report_at(loc.out.clone(), p),
            }
            loc.pop(lk);
        }
        loc.pop(l);
    }

    /// A root `components/<kind>` map (placed-in-place entries get their target).
    fn components(&mut self, v: &mut Value, kind: Kind, loc: &mut Loc) {
        let Value::Object(m) = v else { return };
        for (name, entry) in m.iter_mut() {
            let l = loc.push(name);
            if loc.file == 0 && self.in_place.contains(&(kind, name.clone())) {
                if let Some(r) = pure_ref(entry).map(str::to_string) {
                    if let Ok(Target::File(file, frag)) = self.resolve(&r, loc) {
                        self.inline(entry, kind.ctx(), loc, file, frag, &r);
                        loc.pop(l);
                        continue;
                    }
                }
            }
            self.walk(entry, kind.ctx(), loc);
            loc.pop(l);
        }
    }

    fn field(
        &mut self,
        m: &mut Map<String, Value>,
        key: &str,
        loc: &mut Loc,
        f: impl FnOnce(&mut Self, &mut Value, &mut Loc),
    ) {
        if let Some(v) = m.get_mut(key) {
            let l = loc.push(key);
            f(self, v, loc);
            loc.pop(l);
        }
    }

    fn map_of(&mut self, v: &mut Value, ctx: Ctx, skip_x: bool, loc: &mut Loc) {
        let Value::Object(m) = v else { return };
        for (k, child) in m.iter_mut() {
            if skip_x && k.starts_with("x-") {
                continue;
            }
            let l = loc.push(k);
            self.walk(child, ctx, loc);
            loc.pop(l);
        }
    }

    fn list_of(&mut self, v: &mut Value, ctx: Ctx, loc: &mut Loc) {
        let Value::Array(a) = v else { return };
        for (i, child) in a.iter_mut().enumerate() {
            let l = loc.push(&i.to_string());
            self.walk(child, ctx, loc);
            loc.pop(l);
        }
    }
}
