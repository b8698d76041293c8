use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An OAuth resource server (an API) with its custom scopes. The table key is its identifier;
/// clients request scopes as `<identifier>/<scope>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ResourceServer {
    /// A friendly name.
    #[schemars(example = "Orders API")]
    pub name: String,
    /// Scopes, each with a description.
    #[schemars(example = example_scopes())]
    pub scopes: BTreeMap<String, String>,
}

fn example_scopes() -> BTreeMap<String, String> {
    BTreeMap::from([("orders.read".to_string(), "Read orders".to_string())])
}
