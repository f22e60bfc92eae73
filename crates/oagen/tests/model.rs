//! How the model reads component schemas.

mod support;

use oagen::model::{Api, Shape, Ty, TypeKind};
use support::{field, named, spec_path};

fn analyze(spec: &str) -> Api {
    oagen::analyze(&spec_path(spec))
        .expect("the fixture is valid")
        .api
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
