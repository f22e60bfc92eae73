//! Webhooks and callbacks as first-class operations: which of [`Api::operations`](super::Api) are requests the API sends, not receives.

/// What kind of outgoing request a hook is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKind {
    /// A webhook (`webhooks` of an OpenAPI 3.1 document).
    Webhook,
    /// A callback of an operation (`callbacks`); see [`Hook::callback`].
    Callback,
}

/// What a callback hook adds: whose callback it is and where it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackOf {
    /// The operation declaring it, an index into [`Api::operations`](super::Api::operations).
    pub owner: usize,
    /// Its key, a runtime-expression template (e.g. `{$request.body#/callbackUrl}`).
    pub key: String,
    /// The key parsed; `None` when it does not parse (warned by the model):
    /// the sender then takes only a URL the caller gives.
    pub parts: Option<Vec<super::KeyPart>>,
}

/// An operation the API's provider sends to a receiver: its receiver gets a
/// trait method and a route, its sender a client method taking the target URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Hook {
    /// Its kind.
    pub kind: HookKind,
    /// Its key in the document (the webhook's name, the callback's name).
    pub name: String,
    /// Its operation, an index into [`Api::operations`](super::Api::operations).
    pub operation: usize,
    /// The path it is routed at by the receiver's router (unique among hooks),
    /// e.g. `/newPet`, `/callbacks/create_order/onShipped`.
    pub route: String,
    /// For a callback, its owner and key.
    pub callback: Option<CallbackOf>,
}

/// The route of a hook named `name`: `/` and the name, every character that
/// is not ASCII alphanumeric, `-`, `_` or `.` replaced by `-`; made unique
/// among `taken` by a numeric suffix.
pub fn hooks_route(name: &str, taken: &[String]) -> String {
    unique_route(format!("/{}", route_slug(name)), taken)
}

/// `text` with every character that is not ASCII alphanumeric, `-`, `_` or
/// `.` replaced by `-` (`hook` when empty): one segment of a hook's route.
pub(crate) fn route_slug(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        "hook".into()
    } else {
        s
    }
}

/// `base`, or `base-2`, `base-3`, .. : the first not in `taken`.
pub(crate) fn unique_route(base: String, taken: &[String]) -> String {
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::hooks_route as route;

    #[test]
    fn routes_are_slugs_made_unique() {
        assert_eq!(route("newPet", &[]), "/newPet");
        assert_eq!(route("pet {id}", &[]), "/pet--id-");
        assert_eq!(route("a/b", &["/a-b".into()]), "/a-b-2");
    }
}
