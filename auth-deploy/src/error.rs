//! The one error type of auth-deploy.
//!
//! No foreign error type appears here (smithy-rs RFC0022): an SDK failure is flattened into the
//! resource it concerned, the operation, Cognito's error code and Cognito's message, which is what
//! a person needs to act on it, and keeps the SDK's types out of our public API.

use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_smithy_runtime_api::client::result::SdkError;
use std::fmt;

/// Everything that can go wrong while reading, planning, applying or writing outputs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An AWS call failed (after retries, for throttling and transient errors).
    #[error("{operation} on {resource} failed: {message}{}", code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())]
    Aws {
        /// The resource, as the plan names it (`pool myapp-users`, `client web`...).
        resource: String,
        /// The API operation (`UpdateUserPool`).
        operation: &'static str,
        /// The service's error code (`InvalidParameterException`), when it sent one.
        code: Option<String>,
        /// The service's message, or a description of the transport failure.
        message: String,
    },
    /// A pool (or identity pool) with the spec's name exists but does not carry our `managed-by`
    /// tag.
    #[error(
        "{kind} `{name}` ({id}) exists but is not managed by this tool (it has no `{tag}` tag): refusing to change it. {}",
        if *kind == "user pool" {
            format!("Adopt it with `cargo xtask import --pool-id {id} --adopt`, or rename the pool in the spec")
        } else {
            format!("Tag it `{tag}={}` to adopt it, or rename it in the spec", crate::normalize::MANAGED_BY_VALUE)
        }
    )]
    UnmanagedPool {
        /// `user pool` or `identity pool`.
        kind: &'static str,
        /// Its name.
        name: String,
        /// Its id.
        id: String,
        /// The tag key we look for.
        tag: &'static str,
    },
    /// More than one managed pool (or identity pool) has the spec's name.
    #[error("{kind} `{name}` is ambiguous: several managed ones exist ({}); delete the extra ones by hand", ids.join(", "))]
    Ambiguous {
        /// `user pool` or `identity pool`.
        kind: &'static str,
        /// The name.
        name: String,
        /// Their ids.
        ids: Vec<String>,
    },
    /// No pool has this id (import, outputs).
    #[error("no user pool `{0}` in this account and region")]
    PoolNotFound(String),
    /// The pool the spec names does not exist yet (outputs, destroy).
    #[error("user pool `{0}` is not deployed: run `cargo xtask deploy` first")]
    NotDeployed(String),
    /// The plan has destructive changes the caller did not allow.
    #[error("refusing destructive changes to {}: pass `--allow-destructive <resource>` for each after reading the plan", resources.join(", "))]
    DestructiveRefused {
        /// The resources, as `--allow-destructive` takes them.
        resources: Vec<String>,
    },
    /// Replacing or deleting this pool needs `cargo xtask destroy`.
    #[error(
        "user pool `{name}` must be replaced, but {why}: delete it explicitly with `cargo xtask destroy --pool {name}` (this deletes its users), then deploy"
    )]
    NeedsDestroy {
        /// Pool name.
        name: String,
        /// `it has 3 users`, `deletion protection is on`.
        why: String,
    },
    /// `destroy` was not confirmed.
    #[error("not confirmed: type the pool name `{0}` (or pass `--yes`) to destroy it")]
    NotConfirmed(String),
    /// A secret the spec references is not in the environment.
    #[error("{resource} needs the secret in environment variable `{env}`, which is not set")]
    MissingSecret {
        /// The resource whose details need it.
        resource: String,
        /// The variable.
        env: String,
    },
    /// A file the spec references cannot be read (SAML metadata).
    #[error("cannot read `{path}` for {resource}: {message}")]
    File {
        /// The resource.
        resource: String,
        /// The path, as resolved.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// Writing an output file failed.
    #[error("cannot write `{path}`: {message}")]
    Write {
        /// The path.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// The live state cannot be expressed as outputs (no client...).
    #[error("cannot build the outputs: {0}")]
    Outputs(String),
    /// Cognito answered something this tool cannot interpret.
    #[error("unexpected answer from {operation} for {resource}: {message}")]
    Unexpected {
        /// The resource.
        resource: String,
        /// The operation.
        operation: &'static str,
        /// What was wrong.
        message: String,
    },
    /// The AWS configuration could not be loaded (no region...).
    #[error("AWS configuration: {0}")]
    Config(String),
    /// A deploy stopped on purpose by [`crate::ApplyOptions::stop_after`] (fault injection).
    #[error("stopped after step {completed} of {total} as asked (fault injection)")]
    Interrupted {
        /// Steps that completed.
        completed: usize,
        /// Steps in the plan.
        total: usize,
    },
}

impl Error {
    /// Builds a closure turning an SDK error of `operation` on `resource` into an [`Error::Aws`].
    pub(crate) fn aws<E, R>(
        resource: impl Into<String>,
        operation: &'static str,
    ) -> impl FnOnce(SdkError<E, R>) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: fmt::Debug,
    {
        let resource = resource.into();
        move |error| {
            let (code, message) = match &error {
                SdkError::ServiceError(service) => {
                    let inner = service.err();
                    (
                        inner.code().map(str::to_string),
                        inner.message().map(str::to_string).unwrap_or_else(|| inner.to_string()),
                    )
                }
                other => (other.code().map(str::to_string), describe_transport(other)),
            };
            Error::Aws { resource, operation, code, message }
        }
    }

    /// The AWS error code, when this is a failed call.
    pub fn aws_code(&self) -> Option<&str> {
        match self {
            Error::Aws { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

/// A one-line description of a failure that is not a service answer (timeout, connection,
/// unparseable response), with the causes that say what happened.
fn describe_transport<E: std::error::Error + 'static, R: fmt::Debug>(error: &SdkError<E, R>) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
