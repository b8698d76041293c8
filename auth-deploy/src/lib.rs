//! Deploys an auth spec to Amazon Cognito: read live state, plan, apply, outputs.
