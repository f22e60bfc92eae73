//! How the model reads component schemas.

use std::path::Path;

use oagen::model::{Api, Shape, Ty, TypeKind};

fn analyze(spec: &str) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/specs")
        .join(spec);
    oagen::analyze(&path).expect("the fixture is valid").api
}

fn named(api: &Api, name: &str) -> usize {
    api.types
        .iter()
        .position(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn field<'a>(api: &'a Api, ty: &str, field: &str) -> &'a Shape {
    match &api.types[named(api, ty)].kind {
        TypeKind::Struct(s) => {
            &s.fields
                .iter()
                .find(|f| f.name == field)
                .unwrap_or_else(|| panic!("no field {ty}.{field}"))
                .shape
        }
        other => panic!("{ty} is not a struct: {other:?}"),
    }
}

#[test]
fn a_nullable_copy_of_a_component_is_that_component() {
    let api = analyze("nullable_twins.yaml");
    let user = named(&api, "User");
    let twin = &api.types[named(&api, "NullableUser")];
    // The twin is an alias of the type it repeats, with its own docs.
    assert_eq!(
        twin.kind,
        TypeKind::Alias(Shape::plain(Ty::Named(oagen::model::TypeId(user))))
    );
    assert_eq!(twin.docs.as_deref(), Some("User\n\nA user, or null."));
    assert!(matches!(api.types[user].kind, TypeKind::Struct(_)));
    // Where it is used, the use is nullable.
    let assignee = field(&api, "Issue", "assignee");
    assert!(assignee.nullable);
    assert_eq!(
        assignee.ty,
        Ty::Named(oagen::model::TypeId(named(&api, "NullableUser")))
    );
    assert!(!field(&api, "Issue", "author").nullable);
    // A nullable schema that differs in a property's type is a type of its own.
    assert!(matches!(
        api.types[named(&api, "NullableAccount")].kind,
        TypeKind::Struct(_)
    ));
    // Only objects: an integer that repeats another is not aliased to it.
    assert_eq!(
        api.types[named(&api, "MaxBusinesses")].kind,
        TypeKind::Alias(Shape::plain(Ty::Integer(oagen::model::IntKind::I64)))
    );
}
