//! The bundler's walk of a document by its structure: which children of an object of each kind are schemas, parameters, responses, ... (so a `$ref`'s kind is known from where it stands).

use serde_json::{Map, Value};

use super::{component_pointer, pure_ref, Bundler, Ctx, Kind, Loc, Target, KINDS};

/// What a field of an object holds.
#[derive(Clone, Copy)]
enum Holds {
    /// One object of this kind.
    One(Ctx),
    /// A list of them.
    List(Ctx),
    /// A map of them.
    Map(Ctx),
    /// A map of them beside `x-` extensions (passed over).
    Entries(Ctx),
}

/// The fields of an object of kind `ctx` that hold objects of a known kind, in the
/// order they are walked (besides the operations of a path item, the components'
/// reusable kinds, a callback's path items and a schema's subschemas).
fn fields(ctx: Ctx) -> &'static [(&'static str, Holds)] {
    use Holds::{Entries, List, Map, One};
    match ctx {
        Ctx::Root => &[
            ("paths", Entries(Ctx::PathItem)),
            ("webhooks", Entries(Ctx::PathItem)),
            ("components", One(Ctx::Components)),
        ],
        // 3.1's reusable path items: inlined like `paths`' own.
        Ctx::Components => &[("pathItems", Entries(Ctx::PathItem))],
        Ctx::PathItem => &[
            ("parameters", List(Ctx::Parameter)),
            // 3.2: operations of other methods, by method name.
            ("additionalOperations", Map(Ctx::Operation)),
        ],
        Ctx::Operation => &[
            ("parameters", List(Ctx::Parameter)),
            ("requestBody", One(Ctx::RequestBody)),
            ("responses", Entries(Ctx::Response)),
            ("callbacks", Map(Ctx::Callback)),
        ],
        Ctx::Parameter | Ctx::Header => &[
            ("schema", One(Ctx::Schema)),
            ("content", Map(Ctx::MediaType)),
            ("examples", Map(Ctx::Example)),
        ],
        Ctx::RequestBody => &[("content", Map(Ctx::MediaType))],
        Ctx::Response => &[
            ("headers", Map(Ctx::Header)),
            ("content", Map(Ctx::MediaType)),
            ("links", Map(Ctx::Link)),
        ],
        Ctx::MediaType => &[
            ("schema", One(Ctx::Schema)),
            ("examples", Map(Ctx::Example)),
            ("encoding", Map(Ctx::Encoding)),
        ],
        Ctx::Encoding => &[("headers", Map(Ctx::Header))],
        Ctx::Callback | Ctx::Schema | Ctx::Example | Ctx::Link | Ctx::SecurityScheme => &[],
    }
}

impl Bundler<'_> {
    /// Walks the children of an object of kind `ctx`.
    pub(super) fn children(&mut self, m: &mut Map<String, Value>, ctx: Ctx, loc: &mut Loc) {
        match ctx {
            Ctx::Components => {
                for kind in KINDS {
                    self.field(m, kind.key(), loc, |b, v, loc| b.components(v, kind, loc));
                }
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
                    } else if k == "additionalOperations" {
                        // OpenAPI 3.2: operations by custom method.
                        let l = loc.push(k);
                        if let Some(ops) = v.as_object_mut() {
                            for (m, op) in ops.iter_mut() {
                                let lm = loc.push(m);
                                self.walk(op, Ctx::Operation, loc);
                                loc.pop(lm);
                            }
                        }
                        loc.pop(l);
                    }
                }
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
            Ctx::Schema => self.schema_children(m, loc),
            _ => {}
        }
        for &(key, holds) in fields(ctx) {
            self.field(m, key, loc, |b, v, loc| match holds {
                Holds::One(ctx) => b.walk(v, ctx, loc),
                Holds::List(ctx) => b.list_of(v, ctx, loc),
                Holds::Map(ctx) => b.map_of(v, ctx, false, loc),
                Holds::Entries(ctx) => b.map_of(v, ctx, true, loc),
            });
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
                // A mapping to a file that cannot be read: the value is left
                // (the member is then found by its name), with a warning.
                Err(p) if p.unreadable => {
                    self.warn_unreadable(loc.out.clone(), p, "this mapping entry is not followed")
                }
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
