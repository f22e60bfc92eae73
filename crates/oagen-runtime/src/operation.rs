//! `OperationInfo`: what the spec says about one operation, for a generated crate's `OPERATIONS` table.

/// What the spec says about one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The operationId (or the name made for it).
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// The security requirements: any one alternative, each a combination of
    /// security scheme names. Empty: no security.
    pub security: &'static [&'static [&'static str]],
}
