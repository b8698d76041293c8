//! The one error type of the client: Cognito's exceptions as variants, each with a recovery hint,
//! plus network, configuration and protocol failures. No foreign error type appears in it.

use crate::srp::SrpError;
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};

/// Everything an auth call can fail with.
///
/// Service variants carry Cognito's message (safe to show: it never contains secrets).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// `UserNotConfirmedException`.
    #[error("the user is not confirmed: {0}")]
    UserNotConfirmed(String),
    /// `PasswordResetRequiredException`.
    #[error("the user must reset the password: {0}")]
    PasswordResetRequired(String),
    /// `NotAuthorizedException`: wrong password, disabled user, revoked or expired token.
    #[error("not authorized: {0}")]
    NotAuthorized(String),
    /// `UserNotFoundException`.
    #[error("user not found: {0}")]
    UserNotFound(String),
    /// `CodeMismatchException`.
    #[error("wrong code: {0}")]
    CodeMismatch(String),
    /// `ExpiredCodeException`.
    #[error("the code has expired: {0}")]
    ExpiredCode(String),
    /// `LimitExceededException`.
    #[error("limit exceeded: {0}")]
    LimitExceeded(String),
    /// `TooManyRequestsException`.
    #[error("too many requests: {0}")]
    TooManyRequests(String),
    /// `TooManyFailedAttemptsException`.
    #[error("too many failed attempts: {0}")]
    TooManyFailedAttempts(String),
    /// `InvalidPasswordException`: the password breaks the pool's policy.
    #[error("invalid password: {0}")]
    InvalidPassword(String),
    /// `PasswordHistoryPolicyViolationException`.
    #[error("the password was used recently: {0}")]
    PasswordHistoryPolicyViolation(String),
    /// `UsernameExistsException`.
    #[error("the username is taken: {0}")]
    UsernameExists(String),
    /// `AliasExistsException`.
    #[error("the email or phone number belongs to another user: {0}")]
    AliasExists(String),
    /// `InvalidParameterException`.
    #[error("invalid parameter: {0}")]
    InvalidParameter(String),
    /// `CodeDeliveryFailureException`.
    #[error("the code could not be delivered: {0}")]
    CodeDeliveryFailure(String),
    /// `MFAMethodNotFoundException`.
    #[error("no MFA method is set up: {0}")]
    MfaMethodNotFound(String),
    /// `SoftwareTokenMFANotFoundException`.
    #[error("no TOTP authenticator is associated: {0}")]
    SoftwareTokenMfaNotFound(String),
    /// `EnableSoftwareTokenMFAException`.
    #[error("the TOTP authenticator could not be enabled: {0}")]
    EnableSoftwareTokenMfa(String),
    /// `UserLambdaValidationException`, `UnexpectedLambdaException`, `InvalidLambdaResponseException`.
    #[error("a Lambda trigger rejected the request: {0}")]
    LambdaTrigger(String),
    /// `ResourceNotFoundException` (a pool, client, device or identity that does not exist).
    #[error("resource not found: {0}")]
    ResourceNotFound(String),
    /// `InvalidUserPoolConfigurationException` and other configuration faults on the server.
    #[error("the pool is not configured for this: {0}")]
    InvalidConfiguration(String),
    /// `UnsupportedOperationException`, `UnsupportedTokenTypeException`.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// `ForbiddenException` (AWS WAF).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// `InternalErrorException`, `InternalServerError`.
    #[error("Cognito had an internal error: {0}")]
    Internal(String),
    /// `ExternalServiceException`, `ResourceConflictException` and other identity-pool faults.
    #[error("identity pool error {code}: {message}")]
    IdentityPool {
        /// The exception name.
        code: String,
        /// Cognito's message.
        message: String,
    },
    /// An exception this version does not know.
    #[error("Cognito error {code}: {message}")]
    Service {
        /// The exception name.
        code: String,
        /// Cognito's message.
        message: String,
    },
    /// The request never got an answer: no network, DNS, TLS, timeout.
    #[error("network error: {0}")]
    Network(String),
    /// The client's configuration is incomplete or wrong (missing client id, bad outputs file).
    #[error("configuration error: {0}")]
    Configuration(String),
    /// The call does not fit the current state: no sign-in in progress, wrong answer for the step.
    #[error("invalid state: {0}")]
    InvalidState(String),
    /// No user is signed in.
    #[error("no user is signed in")]
    SignedOut,
    /// The refresh token is no longer valid: the user must sign in again.
    #[error("the session has expired: sign in again")]
    SessionExpired,
    /// The server's SRP values are unusable.
    #[error("SRP failed: {0}")]
    Srp(#[from] SrpError),
    /// The token store failed.
    #[error("token storage failed: {0}")]
    Storage(String),
    /// The server answered something this client cannot use (a missing field, a bad token).
    #[error("unexpected response: {0}")]
    InvalidResponse(String),
    /// The OAuth endpoints returned an error (RFC 6749 §5.2) or the redirect did not match.
    #[error("OAuth error {error}: {description}")]
    OAuth {
        /// The `error` code.
        error: String,
        /// The `error_description`, or ours.
        description: String,
    },
}

impl AuthError {
    /// What the app (or its user) can do about it.
    pub fn recovery_hint(&self) -> &'static str {
        use AuthError::*;
        match self {
            UserNotConfirmed(_) => "Confirm the sign-up with the code that was sent (confirm_sign_up), or resend it.",
            PasswordResetRequired(_) => {
                "Reset the password: call reset_password, then confirm_reset_password with the code."
            }
            NotAuthorized(_) => "Check the username and password; if the session was revoked, sign in again.",
            UserNotFound(_) => "Check the username, or sign up first.",
            CodeMismatch(_) => "Enter the code again exactly as received.",
            ExpiredCode(_) => "Request a new code and use it promptly.",
            LimitExceeded(_) => "Wait before trying again: an account or request limit was reached.",
            TooManyRequests(_) => "Slow down and retry with back-off.",
            TooManyFailedAttempts(_) => "Wait before trying again; too many wrong answers were given.",
            InvalidPassword(_) => "Choose a password that meets the pool's password policy.",
            PasswordHistoryPolicyViolation(_) => "Choose a password you have not used recently.",
            UsernameExists(_) => "Pick another username, or sign in with the existing account.",
            AliasExists(_) => "This email or phone number is used by another account; sign in with it or use another.",
            InvalidParameter(_) => "Check the request's values (attribute names and formats, required attributes).",
            CodeDeliveryFailure(_) => "Check the email address or phone number, then resend the code.",
            MfaMethodNotFound(_) => "Set up an MFA method first.",
            SoftwareTokenMfaNotFound(_) => "Set up TOTP (set_up_totp, verify_totp_setup) before using it.",
            EnableSoftwareTokenMfa(_) => "Enter a current code from the authenticator app to verify the TOTP setup.",
            LambdaTrigger(_) => "A Lambda trigger of the pool rejected or failed the request; see its logs.",
            ResourceNotFound(_) => "Check the pool, client, device or identity id in the configuration.",
            InvalidConfiguration(_) => "Enable the flow or feature on the user pool or app client.",
            Unsupported(_) => "This operation is not supported for this pool, client or token.",
            Forbidden(_) => "The request was blocked (AWS WAF); check the web ACL.",
            Internal(_) => "Retry later.",
            IdentityPool { .. } => "Check the identity pool's providers and roles.",
            Service { .. } => "See Cognito's message for details.",
            Network(_) => "Check the network connection and retry; the session is kept.",
            Configuration(_) => "Fix the client configuration (amplify_outputs.json or AuthConfig).",
            InvalidState(_) => "Call the method that matches the current next step.",
            SignedOut => "Sign in first.",
            SessionExpired => "Sign in again.",
            Srp(_) => "Retry the sign-in; if it persists the server's SRP parameters are broken.",
            Storage(_) => "Check the token store (permissions, disk space).",
            InvalidResponse(_) => "Retry; if it persists, report the server's response.",
            OAuth { .. } => "Check the OAuth client settings (callback URLs, scopes, grant types) and retry.",
        }
    }

    /// Whether the failure is the network's, so a retry may succeed and the session is kept.
    pub fn is_network(&self) -> bool {
        matches!(self, AuthError::Network(_))
    }

    /// Maps an exception name (as in `x-amzn-errortype`) and message to a variant.
    pub fn from_code(code: &str, message: impl Into<String>) -> AuthError {
        use AuthError::*;
        let message = message.into();
        match code {
            "UserNotConfirmedException" => UserNotConfirmed(message),
            "PasswordResetRequiredException" => PasswordResetRequired(message),
            "NotAuthorizedException" => NotAuthorized(message),
            "UserNotFoundException" => UserNotFound(message),
            "CodeMismatchException" => CodeMismatch(message),
            "ExpiredCodeException" => ExpiredCode(message),
            "LimitExceededException" => LimitExceeded(message),
            "TooManyRequestsException" => TooManyRequests(message),
            "TooManyFailedAttemptsException" => TooManyFailedAttempts(message),
            "InvalidPasswordException" => InvalidPassword(message),
            "PasswordHistoryPolicyViolationException" => PasswordHistoryPolicyViolation(message),
            "UsernameExistsException" => UsernameExists(message),
            "AliasExistsException" => AliasExists(message),
            "InvalidParameterException" => InvalidParameter(message),
            "CodeDeliveryFailureException" => CodeDeliveryFailure(message),
            "MFAMethodNotFoundException" => MfaMethodNotFound(message),
            "SoftwareTokenMFANotFoundException" => SoftwareTokenMfaNotFound(message),
            "EnableSoftwareTokenMFAException" => EnableSoftwareTokenMfa(message),
            "UserLambdaValidationException" | "UnexpectedLambdaException" | "InvalidLambdaResponseException" => {
                LambdaTrigger(message)
            }
            "ResourceNotFoundException" => ResourceNotFound(message),
            "InvalidUserPoolConfigurationException"
            | "InvalidSmsRoleAccessPolicyException"
            | "InvalidSmsRoleTrustRelationshipException"
            | "InvalidEmailRoleAccessPolicyException"
            | "InvalidOAuthFlowException"
            | "UserPoolAddOnNotEnabledException"
            | "InvalidIdentityPoolConfigurationException" => InvalidConfiguration(message),
            "UnsupportedOperationException" | "UnsupportedTokenTypeException" | "UnauthorizedException" => {
                Unsupported(message)
            }
            "ForbiddenException" => Forbidden(message),
            "InternalErrorException" | "InternalServerError" | "InternalServerErrorException" => Internal(message),
            "ExternalServiceException"
            | "ResourceConflictException"
            | "DeveloperUserAlreadyRegisteredException"
            | "ConcurrentModificationException" => IdentityPool { code: code.to_string(), message },
            _ => Service { code: code.to_string(), message },
        }
    }

    /// Maps an SDK error (either SDK) to a variant.
    pub(crate) fn from_sdk<E, R>(error: SdkError<E, R>) -> AuthError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        match &error {
            SdkError::ServiceError(service) => {
                let inner = service.err();
                match inner.code() {
                    Some(code) => AuthError::from_code(code, inner.message().unwrap_or_default()),
                    None => AuthError::InvalidResponse(format!(
                        "an error without an exception name: {}",
                        inner.message().unwrap_or("no message")
                    )),
                }
            }
            SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => AuthError::Network(error_chain(&error)),
            SdkError::ConstructionFailure(_) => AuthError::Configuration(error_chain(&error)),
            SdkError::ResponseError(_) => AuthError::InvalidResponse(error_chain(&error)),
            _ => AuthError::InvalidResponse(error_chain(&error)),
        }
    }
}

/// The messages of an error and its sources, joined.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl<E, R> From<SdkError<E, R>> for AuthError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    fn from(error: SdkError<E, R>) -> AuthError {
        AuthError::from_sdk(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_variants_and_unknown_ones_are_kept() {
        assert_eq!(AuthError::from_code("UserNotConfirmedException", "m"), AuthError::UserNotConfirmed("m".into()));
        assert_eq!(
            AuthError::from_code("SomethingNewException", "m"),
            AuthError::Service { code: "SomethingNewException".into(), message: "m".into() }
        );
        assert!(!AuthError::CodeMismatch(String::new()).recovery_hint().is_empty());
        assert!(AuthError::Network("down".into()).is_network());
    }
}
