use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares the triggers once: the enum and the `[triggers]` table fields.
macro_rules! triggers {
    ($( $(#[doc = $doc:literal])* $field:ident => $variant:ident ),* $(,)?) => {
        /// A Cognito Lambda trigger.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Trigger {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Trigger {
            /// Every trigger.
            pub const ALL: &'static [Trigger] = &[$(Trigger::$variant),*];

            /// The snake_case name used in the spec.
            pub fn name(self) -> &'static str {
                match self {
                    $( Trigger::$variant => stringify!($field), )*
                }
            }

            /// The trigger with this snake_case name.
            pub fn from_name(name: &str) -> Option<Trigger> {
                match name {
                    $( stringify!($field) => Some(Trigger::$variant), )*
                    _ => None,
                }
            }
        }

        /// Lambda triggers: each entry is a Lambda function ARN.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(default, deny_unknown_fields)]
        pub struct Triggers {
            $(
                $(#[doc = $doc])*
                #[serde(skip_serializing_if = "Option::is_none")]
                #[schemars(example = concat!("arn:aws:lambda:us-east-1:123456789012:function:myapp-", stringify!($field)))]
                pub $field: Option<String>,
            )*
            /// Event version of `pre_token_generation`: `v1` (id token only), `v2` (also access
            /// token claims and scopes), `v3` (also machine-to-machine tokens). Default `v1`.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub pre_token_generation_version: Option<PreTokenGenerationVersion>,
            /// ARN of the KMS key the custom email and SMS senders decrypt codes with; required
            /// when either custom sender is set.
            #[serde(skip_serializing_if = "Option::is_none")]
            #[schemars(example = &"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")]
            pub kms_key_arn: Option<String>,
        }

        impl Triggers {
            /// The configured triggers with their function ARNs.
            pub fn iter(&self) -> impl Iterator<Item = (Trigger, &str)> {
                [$( (Trigger::$variant, self.$field.as_deref()) ),*]
                    .into_iter()
                    .filter_map(|(trigger, arn)| arn.map(|arn| (trigger, arn)))
            }

            /// The function ARN of one trigger, if set.
            pub fn get(&self, trigger: Trigger) -> Option<&str> {
                match trigger {
                    $( Trigger::$variant => self.$field.as_deref(), )*
                }
            }

            /// Sets the function ARN of one trigger.
            pub fn set(&mut self, trigger: Trigger, arn: impl Into<String>) {
                match trigger {
                    $( Trigger::$variant => self.$field = Some(arn.into()), )*
                }
            }
        }
    };
}

triggers! {
    /// Runs before sign-up: validate, auto-confirm or auto-verify.
    pre_sign_up => PreSignUp,
    /// Runs after a user confirms their account.
    post_confirmation => PostConfirmation,
    /// Runs before authentication: deny sign-ins.
    pre_authentication => PreAuthentication,
    /// Runs after a successful authentication.
    post_authentication => PostAuthentication,
    /// Custom auth: decides the next challenge.
    define_auth_challenge => DefineAuthChallenge,
    /// Custom auth: creates a challenge.
    create_auth_challenge => CreateAuthChallenge,
    /// Custom auth: checks the answer.
    verify_auth_challenge_response => VerifyAuthChallengeResponse,
    /// Customises email and SMS messages.
    custom_message => CustomMessage,
    /// Adds, changes or removes token claims and groups.
    pre_token_generation => PreTokenGeneration,
    /// Migrates users from another directory at sign-in or password reset.
    user_migration => UserMigration,
    /// Sends email through your own code instead of Cognito.
    custom_email_sender => CustomEmailSender,
    /// Sends SMS through your own code instead of Cognito.
    custom_sms_sender => CustomSmsSender,
}

/// Event version of the pre token generation trigger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PreTokenGenerationVersion {
    /// Customise the id token.
    #[default]
    V1,
    /// Customise id and access tokens.
    V2,
    /// Also machine-to-machine (client credentials) tokens.
    V3,
}
