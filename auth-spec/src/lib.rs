//! The auth spec: a typed model of an Amazon Cognito user pool and everything around it, loaded
//! from TOML with located diagnostics, checked against a JSON Schema and Cognito's own rules, and
//! resolved into the normalised desired state that deploy, templates, outputs and the macro read.
//!
//! This crate has no AWS dependency: everything here is a pure function of its inputs.

pub mod diagnostics;
pub mod load;
pub mod model;
pub mod outputs;
pub mod resolve;
pub mod schema;
pub mod starter;
pub mod state;
mod validate;
mod write;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use load::{LoadError, Loaded, load_file, load_str, validate_spec};
pub use model::Spec;
pub use resolve::resolve;
pub use state::AuthState;

/// Values used as examples in the JSON Schema.
mod examples_for_schema {
    use crate::model::*;
    use std::collections::BTreeMap;

    pub(crate) fn minimal() -> Spec {
        let mut spec = Spec::default();
        spec.pool.name = "myapp-users".into();
        spec.attributes.email = Some(StandardAttributeSpec::required());
        spec.clients.insert("web".into(), AppClient::default());
        spec
    }

    pub(crate) fn custom_attributes() -> BTreeMap<String, CustomAttribute> {
        BTreeMap::from([(
            "tier".to_string(),
            CustomAttribute { max_length: Some(16), ..CustomAttribute::new(CustomAttributeType::String) },
        )])
    }
}
