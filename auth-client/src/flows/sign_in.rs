//! Sign-in as a state machine with no I/O (quinn-proto style).
//!
//! [`SignIn::start`] gives the first [`Request`]; the driver sends it and feeds the answer (or the
//! error) to [`SignIn::handle`], which returns the next [`Step`]: another request to send (the SRP
//! password verifier and device SRP are answered here, never by the user), a [`SignInNextStep`]
//! to show the user, or the tokens. The user's answer goes to [`SignIn::answer`], which gives the
//! next request. Time enters only as the `now` of the SRP signature.

use crate::error::AuthError;
use crate::secret::Secret;
use crate::srp::{self, SrpClient};
use crate::types::{CodeDelivery, DeliveryMedium, MfaType};
use std::collections::BTreeMap;
use std::fmt;
use std::time::SystemTime;

/// Which `AuthFlow` to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AuthFlow {
    /// `USER_SRP_AUTH`: the password never leaves the device (the default).
    #[default]
    UserSrp,
    /// `USER_PASSWORD_AUTH`: the password is sent over TLS (for migrations through a trigger).
    UserPassword,
    /// `CUSTOM_AUTH` starting with SRP (`CHALLENGE_NAME=SRP_A`), then the custom challenges.
    CustomWithSrp,
    /// `CUSTOM_AUTH` with only the custom challenges.
    CustomWithoutSrp,
}

impl AuthFlow {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthFlow::UserSrp => "USER_SRP_AUTH",
            AuthFlow::UserPassword => "USER_PASSWORD_AUTH",
            AuthFlow::CustomWithSrp | AuthFlow::CustomWithoutSrp => "CUSTOM_AUTH",
        }
    }
}

/// What the machine needs to know about the pool and client.
#[derive(Debug, Clone)]
pub struct SignInContext {
    /// `region_name` of the pool.
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The app client secret, when the client has one.
    pub client_secret: Option<Secret>,
}

impl SignInContext {
    pub(crate) fn secret_hash(&self, username: &str) -> Option<String> {
        self.client_secret.as_ref().map(|secret| srp::secret_hash(secret.expose(), username, &self.client_id))
    }
}

/// A remembered device's SRP credentials (from `ConfirmDevice`), kept in the token store.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceSecrets {
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceGroupKey`.
    pub device_group_key: String,
    /// The device's random password.
    pub device_password: Secret,
}

impl fmt::Debug for DeviceSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceSecrets")
            .field("device_key", &self.device_key)
            .field("device_group_key", &self.device_group_key)
            .field("device_password", &self.device_password)
            .finish()
    }
}

/// The input of a sign-in.
#[derive(Debug, Clone, Default)]
pub struct SignInInput {
    /// Username, or an alias (email, phone) when the pool allows it.
    pub username: String,
    /// The password; not needed for [`AuthFlow::CustomWithoutSrp`].
    pub password: Option<Secret>,
    /// The flow.
    pub flow: AuthFlow,
    /// Passed to the pool's Lambda triggers.
    pub client_metadata: BTreeMap<String, String>,
}

/// A request the driver must send. `Debug` shows parameter names only.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Request {
    /// `InitiateAuth`.
    InitiateAuth {
        /// `AuthFlow`.
        auth_flow: &'static str,
        /// `AuthParameters`.
        parameters: BTreeMap<String, String>,
        /// `ClientMetadata`.
        client_metadata: BTreeMap<String, String>,
    },
    /// `RespondToAuthChallenge`.
    RespondToAuthChallenge {
        /// `ChallengeName`.
        challenge_name: String,
        /// `Session`.
        session: Option<String>,
        /// `ChallengeResponses`.
        responses: BTreeMap<String, String>,
        /// `ClientMetadata`.
        client_metadata: BTreeMap<String, String>,
    },
    /// `AssociateSoftwareToken` with the sign-in session (TOTP setup during sign-in).
    AssociateSoftwareToken {
        /// `Session`.
        session: Option<String>,
    },
    /// `VerifySoftwareToken` with the sign-in session.
    VerifySoftwareToken {
        /// `Session`.
        session: Option<String>,
        /// `UserCode`.
        code: String,
    },
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Request::InitiateAuth { auth_flow, parameters, .. } => f
                .debug_struct("InitiateAuth")
                .field("auth_flow", auth_flow)
                .field("parameters", &parameters.keys().collect::<Vec<_>>())
                .finish(),
            Request::RespondToAuthChallenge { challenge_name, responses, .. } => f
                .debug_struct("RespondToAuthChallenge")
                .field("challenge_name", challenge_name)
                .field("responses", &responses.keys().collect::<Vec<_>>())
                .finish(),
            Request::AssociateSoftwareToken { .. } => f.write_str("AssociateSoftwareToken"),
            Request::VerifySoftwareToken { .. } => f.write_str("VerifySoftwareToken"),
        }
    }
}

/// The tokens of a completed sign-in, as Cognito sent them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticationResult {
    /// `IdToken`.
    pub id_token: Secret,
    /// `AccessToken`.
    pub access_token: Secret,
    /// `RefreshToken`.
    pub refresh_token: Option<Secret>,
    /// `ExpiresIn`.
    pub expires_in: Option<i64>,
    /// `NewDeviceMetadata`: the pool tracks devices and this one is new.
    pub new_device: Option<NewDeviceMetadata>,
}

/// `NewDeviceMetadata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeviceMetadata {
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceGroupKey`.
    pub device_group_key: String,
}

/// An answer the driver got back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response {
    /// The answer of `InitiateAuth` / `RespondToAuthChallenge`.
    Auth {
        /// `ChallengeName`.
        challenge_name: Option<String>,
        /// `Session`.
        session: Option<String>,
        /// `ChallengeParameters`.
        parameters: BTreeMap<String, String>,
        /// `AuthenticationResult`.
        result: Option<AuthenticationResult>,
    },
    /// The answer of `AssociateSoftwareToken`.
    SecretCode {
        /// `SecretCode`.
        secret_code: Secret,
        /// `Session`.
        session: Option<String>,
    },
    /// The answer of `VerifySoftwareToken`.
    Verified {
        /// `Status`: `SUCCESS` or `ERROR`.
        status: String,
        /// `Session`.
        session: Option<String>,
    },
    /// The request failed.
    Error(AuthError),
}

/// What the user must do next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignInNextStep {
    /// Signed in.
    Done,
    /// Enter the code sent by SMS.
    ConfirmWithSmsCode {
        /// Where it went.
        delivery: CodeDelivery,
    },
    /// Enter the code from the authenticator app.
    ConfirmWithTotpCode,
    /// Enter the code sent by email.
    ConfirmWithEmailCode {
        /// Where it went.
        delivery: CodeDelivery,
    },
    /// Choose one of these MFA methods ([`ChallengeAnswer::MfaChoice`]).
    ContinueWithMfaSelection {
        /// The methods the user has set up.
        allowed: Vec<MfaType>,
    },
    /// Add this secret to an authenticator app, then answer with a code from it.
    ContinueWithTotpSetup(TotpSetup),
    /// MFA is required and email is the only method that can be set up: answer with an address.
    ContinueWithEmailSetup,
    /// The user must choose a new password ([`ChallengeAnswer::NewPassword`]).
    NewPasswordRequired {
        /// Attributes the pool requires and the user lacks; send them with the new password.
        required_attributes: Vec<String>,
        /// The attributes the user has.
        user_attributes: BTreeMap<String, String>,
    },
    /// A custom challenge from the pool's Lambda triggers: answer with [`ChallengeAnswer::Custom`].
    CustomChallenge {
        /// The challenge's public parameters.
        parameters: BTreeMap<String, String>,
    },
    /// The user signed up but is not confirmed: confirm the sign-up, then sign in.
    ConfirmSignUp,
    /// The user must reset the password before signing in.
    ResetPassword,
}

/// The TOTP secret to set up, with the `otpauth://` URI for a QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpSetup {
    /// The shared secret (base32), as `AssociateSoftwareToken` returned it.
    pub shared_secret: Secret,
    /// The account name shown in the app (the username).
    pub account_name: String,
}

impl TotpSetup {
    /// `otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER`, for a QR code.
    pub fn uri(&self, issuer: &str) -> String {
        let label = format!("{issuer}:{}", self.account_name);
        let mut uri = url::Url::parse("otpauth://totp/").expect("a constant URL");
        uri.set_path(&label);
        uri.query_pairs_mut().append_pair("secret", self.shared_secret.expose()).append_pair("issuer", issuer);
        uri.to_string()
    }
}

/// The user's answer to the pending step.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChallengeAnswer {
    /// An SMS, email or TOTP code (also the code that verifies a TOTP setup).
    Code(Secret),
    /// The chosen MFA method.
    MfaChoice(MfaType),
    /// The new password and the attributes the step asked for.
    NewPassword {
        /// The new password.
        password: Secret,
        /// Required attributes (`name`, `custom:x`, ...).
        attributes: BTreeMap<String, String>,
    },
    /// The answer to a custom challenge.
    Custom(Secret),
    /// The email address to set up email MFA with.
    Email(String),
    /// A plain string read the way the pending step needs it (as Amplify's `challengeResponse`):
    /// a code, an MFA name (`SMS`, `TOTP`, `EMAIL`), a new password, a custom answer or an email.
    Text(Secret),
}

impl From<&str> for ChallengeAnswer {
    fn from(text: &str) -> ChallengeAnswer {
        ChallengeAnswer::Text(Secret::new(text))
    }
}

impl From<String> for ChallengeAnswer {
    fn from(text: String) -> ChallengeAnswer {
        ChallengeAnswer::Text(Secret::new(text))
    }
}

/// What to do after [`SignIn::handle`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Send this request and feed its answer back.
    Send(Request),
    /// Show this step to the user and feed the answer to [`SignIn::answer`].
    Wait(SignInNextStep),
    /// Signed in.
    Done(AuthenticationResult),
}

#[derive(Debug, Clone)]
enum Pending {
    Sms,
    Totp,
    Email,
    SelectMfa(Vec<MfaType>),
    TotpSetup,
    EmailSetup,
    NewPassword,
    Custom,
}

#[derive(Debug)]
enum State {
    /// A request of this kind is out.
    Sent(Expect),
    /// The user is asked; `Pending` says for what.
    Waiting(Pending),
    Finished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// `InitiateAuth`.
    Initiate,
    /// `RespondToAuthChallenge`.
    Respond,
    /// `AssociateSoftwareToken`.
    SecretCode,
    /// `VerifySoftwareToken`.
    Verify,
}

/// One sign-in in progress.
pub struct SignIn {
    context: SignInContext,
    /// The name the latest challenge calls the user (`USER_ID_FOR_SRP`, then `USERNAME`).
    user_id: String,
    password: Option<Secret>,
    client_metadata: BTreeMap<String, String>,
    device: Option<DeviceSecrets>,
    srp: Option<SrpClient>,
    session: Option<String>,
    state: State,
    /// The step the user answered last, restored when the answer is rejected (wrong code).
    answered: Option<Pending>,
    last_request: Option<Request>,
    device_rejected: bool,
}

impl fmt::Debug for SignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignIn").field("user_id", &self.user_id).field("state", &self.state).finish_non_exhaustive()
    }
}

fn challenge_username(parameters: &BTreeMap<String, String>) -> Option<&String> {
    parameters.get("USER_ID_FOR_SRP").or_else(|| parameters.get("USERNAME"))
}

fn json_list(text: Option<&String>) -> Vec<String> {
    text.and_then(|text| serde_json::from_str::<Vec<String>>(text).ok()).unwrap_or_default()
}

impl SignIn {
    /// Starts a sign-in; `device` is the remembered device of this user, if any.
    pub fn start(
        context: SignInContext,
        input: SignInInput,
        device: Option<DeviceSecrets>,
    ) -> Result<(SignIn, Request), AuthError> {
        let needs_password = input.flow != AuthFlow::CustomWithoutSrp;
        if input.username.is_empty() {
            return Err(AuthError::InvalidParameter("the username is empty".into()));
        }
        if needs_password && input.password.as_ref().is_none_or(|password| password.expose().is_empty()) {
            return Err(AuthError::InvalidParameter("this flow needs a password".into()));
        }
        let mut parameters = BTreeMap::new();
        parameters.insert("USERNAME".to_string(), input.username.clone());
        let srp = match input.flow {
            AuthFlow::UserSrp | AuthFlow::CustomWithSrp => Some(SrpClient::new()?),
            AuthFlow::UserPassword | AuthFlow::CustomWithoutSrp => None,
        };
        if let Some(srp) = &srp {
            parameters.insert("SRP_A".to_string(), srp.public_a_hex());
        }
        if input.flow == AuthFlow::CustomWithSrp {
            parameters.insert("CHALLENGE_NAME".to_string(), "SRP_A".to_string());
        }
        if input.flow == AuthFlow::UserPassword {
            let password = input.password.as_ref().map(|password| password.expose().to_string()).unwrap_or_default();
            parameters.insert("PASSWORD".to_string(), password);
        }
        if let Some(hash) = context.secret_hash(&input.username) {
            parameters.insert("SECRET_HASH".to_string(), hash);
        }
        if let Some(device) = &device {
            parameters.insert("DEVICE_KEY".to_string(), device.device_key.clone());
        }
        let request = Request::InitiateAuth {
            auth_flow: input.flow.as_str(),
            parameters,
            client_metadata: input.client_metadata.clone(),
        };
        let sign_in = SignIn {
            context,
            user_id: input.username,
            password: input.password,
            client_metadata: input.client_metadata,
            device,
            srp,
            session: None,
            state: State::Sent(Expect::Initiate),
            answered: None,
            last_request: Some(request.clone()),
            device_rejected: false,
        };
        Ok((sign_in, request))
    }

    /// The user name Cognito knows the user by (after the first challenge, `USER_ID_FOR_SRP`).
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// Whether Cognito said the remembered device no longer exists (the driver should forget it).
    pub fn device_rejected(&self) -> bool {
        self.device_rejected
    }

    /// Whether the machine waits for the user.
    pub fn is_waiting(&self) -> bool {
        matches!(self.state, State::Waiting(_))
    }

    /// Feeds the answer to the last request.
    pub fn handle(&mut self, response: Response, now: SystemTime) -> Result<Step, AuthError> {
        let expect = match self.state {
            State::Sent(expect) => expect,
            State::Waiting(_) => return Err(AuthError::InvalidState("the sign-in waits for the user's answer".into())),
            State::Finished => return Err(AuthError::InvalidState("the sign-in is over".into())),
        };
        let step = self.handle_inner(expect, response, now);
        match &step {
            Ok(Step::Send(request)) => self.last_request = Some(request.clone()),
            Ok(Step::Done(_)) => self.state = State::Finished,
            Ok(Step::Wait(_)) => {}
            Err(_) => {
                // A rejected answer (wrong code) leaves the step open, as Cognito does; anything
                // else ends the sign-in.
                self.state = match self.answered.take() {
                    Some(pending) => State::Waiting(pending),
                    None => State::Finished,
                };
            }
        }
        step
    }

    fn handle_inner(&mut self, expect: Expect, response: Response, now: SystemTime) -> Result<Step, AuthError> {
        match (expect, response) {
            (_, Response::Error(error)) => self.on_error(expect, error),
            (Expect::Initiate | Expect::Respond, Response::Auth { challenge_name, session, parameters, result }) => {
                self.answered = None;
                if let Some(result) = result {
                    return Ok(Step::Done(result));
                }
                let challenge = challenge_name
                    .ok_or_else(|| AuthError::InvalidResponse("neither tokens nor a challenge".into()))?;
                if session.is_some() {
                    self.session = session;
                }
                if let Some(user_id) = challenge_username(&parameters) {
                    self.user_id = user_id.clone();
                }
                self.on_challenge(&challenge, parameters, now)
            }
            (Expect::SecretCode, Response::SecretCode { secret_code, session }) => {
                if session.is_some() {
                    self.session = session;
                }
                self.state = State::Waiting(Pending::TotpSetup);
                Ok(Step::Wait(SignInNextStep::ContinueWithTotpSetup(TotpSetup {
                    shared_secret: secret_code,
                    account_name: self.user_id.clone(),
                })))
            }
            (Expect::Verify, Response::Verified { status, session }) => {
                if session.is_some() {
                    self.session = session;
                }
                if status != "SUCCESS" {
                    return Err(AuthError::CodeMismatch("the TOTP code was not accepted".into()));
                }
                self.state = State::Sent(Expect::Respond);
                Ok(Step::Send(self.respond("MFA_SETUP", BTreeMap::new())))
            }
            (_, other) => Err(AuthError::InvalidResponse(format!("unexpected answer {other:?} to {expect:?}"))),
        }
    }

    fn on_error(&mut self, expect: Expect, error: AuthError) -> Result<Step, AuthError> {
        match (&error, expect) {
            (AuthError::UserNotConfirmed(_), Expect::Initiate) => {
                self.state = State::Finished;
                Ok(Step::Wait(SignInNextStep::ConfirmSignUp))
            }
            (AuthError::PasswordResetRequired(_), Expect::Initiate) => {
                self.state = State::Finished;
                Ok(Step::Wait(SignInNextStep::ResetPassword))
            }
            (AuthError::ResourceNotFound(message), _)
                if self.device.is_some() && message.to_ascii_lowercase().contains("device") =>
            {
                // The remembered device was forgotten on the server: retry without it.
                self.device = None;
                self.device_rejected = true;
                let mut request = self.last_request.clone().ok_or(error.clone())?;
                match &mut request {
                    Request::InitiateAuth { parameters, .. } => drop(parameters.remove("DEVICE_KEY")),
                    Request::RespondToAuthChallenge { responses, .. } => drop(responses.remove("DEVICE_KEY")),
                    _ => return Err(error),
                }
                Ok(Step::Send(request))
            }
            _ => Err(error),
        }
    }

    fn on_challenge(&mut self, challenge: &str, parameters: BTreeMap<String, String>, now: SystemTime) -> Result<Step, AuthError> {
        let wait = |this: &mut SignIn, pending: Pending, step: SignInNextStep| {
            this.state = State::Waiting(pending);
            Ok(Step::Wait(step))
        };
        let delivery = |parameters: &BTreeMap<String, String>| CodeDelivery {
            medium: parameters
                .get("CODE_DELIVERY_DELIVERY_MEDIUM")
                .map(|medium| DeliveryMedium::parse(medium))
                .unwrap_or(DeliveryMedium::Unknown(String::new())),
            destination: parameters.get("CODE_DELIVERY_DESTINATION").cloned(),
            attribute_name: None,
        };
        match challenge {
            "PASSWORD_VERIFIER" => {
                let srp = self.srp.as_ref().ok_or_else(|| {
                    AuthError::InvalidResponse("a password verifier challenge without SRP".into())
                })?;
                let password = self.password.as_ref().map(Secret::expose).unwrap_or_default();
                let pool_name = srp::pool_name(&self.context.user_pool_id).to_string();
                let responses = password_claim(srp, &pool_name, &self.user_id, password, &parameters, now)?;
                self.state = State::Sent(Expect::Respond);
                Ok(Step::Send(self.respond("PASSWORD_VERIFIER", responses)))
            }
            "DEVICE_SRP_AUTH" => {
                if self.device.is_none() {
                    return Err(AuthError::InvalidState(
                        "Cognito asked for device authentication but no device is remembered".into(),
                    ));
                }
                let srp = SrpClient::new()?;
                let responses = BTreeMap::from([("SRP_A".to_string(), srp.public_a_hex())]);
                self.srp = Some(srp);
                self.state = State::Sent(Expect::Respond);
                Ok(Step::Send(self.respond("DEVICE_SRP_AUTH", responses)))
            }
            "DEVICE_PASSWORD_VERIFIER" => {
                let (Some(srp), Some(device)) = (self.srp.as_ref(), self.device.as_ref()) else {
                    return Err(AuthError::InvalidState("a device verifier challenge without a device".into()));
                };
                let responses = password_claim(
                    srp,
                    &device.device_group_key,
                    &device.device_key,
                    device.device_password.expose(),
                    &parameters,
                    now,
                )?;
                self.state = State::Sent(Expect::Respond);
                Ok(Step::Send(self.respond("DEVICE_PASSWORD_VERIFIER", responses)))
            }
            "SMS_MFA" => wait(self, Pending::Sms, SignInNextStep::ConfirmWithSmsCode { delivery: delivery(&parameters) }),
            "SOFTWARE_TOKEN_MFA" => wait(self, Pending::Totp, SignInNextStep::ConfirmWithTotpCode),
            "EMAIL_OTP" => wait(self, Pending::Email, SignInNextStep::ConfirmWithEmailCode { delivery: delivery(&parameters) }),
            "SELECT_MFA_TYPE" => {
                let allowed: Vec<MfaType> =
                    json_list(parameters.get("MFAS_CAN_CHOOSE")).iter().map(|name| MfaType::parse(name)).collect();
                wait(self, Pending::SelectMfa(allowed.clone()), SignInNextStep::ContinueWithMfaSelection { allowed })
            }
            "MFA_SETUP" => {
                let can_set_up: Vec<MfaType> =
                    json_list(parameters.get("MFAS_CAN_SETUP")).iter().map(|name| MfaType::parse(name)).collect();
                if can_set_up.is_empty() || can_set_up.contains(&MfaType::Totp) {
                    self.state = State::Sent(Expect::SecretCode);
                    Ok(Step::Send(Request::AssociateSoftwareToken { session: self.session.clone() }))
                } else if can_set_up.contains(&MfaType::Email) {
                    wait(self, Pending::EmailSetup, SignInNextStep::ContinueWithEmailSetup)
                } else {
                    Err(AuthError::Unsupported(format!("MFA setup of {can_set_up:?} during sign-in")))
                }
            }
            "NEW_PASSWORD_REQUIRED" => {
                let required_attributes = json_list(parameters.get("requiredAttributes"))
                    .into_iter()
                    .map(|name| name.strip_prefix("userAttributes.").map(str::to_string).unwrap_or(name))
                    .collect();
                let user_attributes = parameters
                    .get("userAttributes")
                    .and_then(|text| serde_json::from_str::<BTreeMap<String, serde_json::Value>>(text).ok())
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|(name, value)| value.as_str().map(|value| (name, value.to_string())))
                    .collect();
                wait(self, Pending::NewPassword, SignInNextStep::NewPasswordRequired { required_attributes, user_attributes })
            }
            "CUSTOM_CHALLENGE" => {
                let mut parameters = parameters;
                parameters.remove("USERNAME");
                wait(self, Pending::Custom, SignInNextStep::CustomChallenge { parameters })
            }
            other => Err(AuthError::Unsupported(format!("the challenge {other}"))),
        }
    }

    /// A `RespondToAuthChallenge` with `USERNAME`, `SECRET_HASH` and `DEVICE_KEY` added.
    fn respond(&self, challenge_name: &str, mut responses: BTreeMap<String, String>) -> Request {
        responses.insert("USERNAME".to_string(), self.user_id.clone());
        if let Some(hash) = self.context.secret_hash(&self.user_id) {
            responses.insert("SECRET_HASH".to_string(), hash);
        }
        if let Some(device) = &self.device {
            responses.insert("DEVICE_KEY".to_string(), device.device_key.clone());
        }
        Request::RespondToAuthChallenge {
            challenge_name: challenge_name.to_string(),
            session: self.session.clone(),
            responses,
            client_metadata: self.client_metadata.clone(),
        }
    }

    /// Answers the step the user was shown.
    pub fn answer(&mut self, answer: ChallengeAnswer) -> Result<Request, AuthError> {
        let pending = match &self.state {
            State::Waiting(pending) => pending.clone(),
            _ => return Err(AuthError::InvalidState("no sign-in step is waiting for an answer".into())),
        };
        let text = |answer: &ChallengeAnswer| match answer {
            ChallengeAnswer::Text(text) | ChallengeAnswer::Code(text) | ChallengeAnswer::Custom(text) => {
                Some(text.expose().trim().to_string())
            }
            _ => None,
        };
        let mismatch = |step: &str| AuthError::InvalidState(format!("the pending step needs {step}"));
        let (request, expect) = match &pending {
            Pending::Sms | Pending::Totp | Pending::Email => {
                let code = text(&answer).ok_or_else(|| mismatch("a code"))?;
                let (challenge, key) = match pending {
                    Pending::Sms => ("SMS_MFA", "SMS_MFA_CODE"),
                    Pending::Totp => ("SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE"),
                    _ => ("EMAIL_OTP", "EMAIL_OTP_CODE"),
                };
                (self.respond(challenge, BTreeMap::from([(key.to_string(), code)])), Expect::Respond)
            }
            Pending::SelectMfa(allowed) => {
                let choice = match &answer {
                    ChallengeAnswer::MfaChoice(choice) => choice.clone(),
                    other => MfaType::parse(&text(other).ok_or_else(|| mismatch("an MFA choice"))?),
                };
                if !allowed.contains(&choice) {
                    return Err(AuthError::InvalidParameter(format!("{choice} is not one of {allowed:?}")));
                }
                let responses = BTreeMap::from([("ANSWER".to_string(), choice.challenge_name().to_string())]);
                (self.respond("SELECT_MFA_TYPE", responses), Expect::Respond)
            }
            Pending::TotpSetup => {
                let code = text(&answer).ok_or_else(|| mismatch("a code from the authenticator app"))?;
                (Request::VerifySoftwareToken { session: self.session.clone(), code }, Expect::Verify)
            }
            Pending::EmailSetup => {
                let email = match &answer {
                    ChallengeAnswer::Email(email) => email.clone(),
                    other => text(other).ok_or_else(|| mismatch("an email address"))?,
                };
                (self.respond("MFA_SETUP", BTreeMap::from([("EMAIL".to_string(), email)])), Expect::Respond)
            }
            Pending::NewPassword => {
                let (password, attributes) = match &answer {
                    ChallengeAnswer::NewPassword { password, attributes } => (password.expose().to_string(), attributes.clone()),
                    ChallengeAnswer::Text(password) => (password.expose().to_string(), BTreeMap::new()),
                    _ => return Err(mismatch("a new password")),
                };
                let mut responses = BTreeMap::from([("NEW_PASSWORD".to_string(), password.clone())]);
                for (name, value) in attributes {
                    responses.insert(format!("userAttributes.{name}"), value);
                }
                self.password = Some(Secret::new(password));
                (self.respond("NEW_PASSWORD_REQUIRED", responses), Expect::Respond)
            }
            Pending::Custom => {
                let answer = text(&answer).ok_or_else(|| mismatch("a custom challenge answer"))?;
                (self.respond("CUSTOM_CHALLENGE", BTreeMap::from([("ANSWER".to_string(), answer)])), Expect::Respond)
            }
        };
        self.answered = Some(pending);
        self.state = State::Sent(expect);
        self.last_request = Some(request.clone());
        Ok(request)
    }
}

/// The `PASSWORD_VERIFIER` / `DEVICE_PASSWORD_VERIFIER` responses for a challenge's parameters.
fn password_claim(
    srp: &SrpClient,
    pool_name: &str,
    user_id: &str,
    password: &str,
    parameters: &BTreeMap<String, String>,
    now: SystemTime,
) -> Result<BTreeMap<String, String>, AuthError> {
    let get = |name: &'static str| {
        parameters
            .get(name)
            .ok_or_else(|| AuthError::InvalidResponse(format!("the challenge lacks {name}")))
    };
    let (srp_b, salt, secret_block) = (get("SRP_B")?, get("SALT")?, get("SECRET_BLOCK")?);
    let key = srp.password_key(pool_name, user_id, password, srp_b, salt)?;
    let timestamp = srp::timestamp(now);
    let signature = key.sign(pool_name, user_id, secret_block, &timestamp)?;
    Ok(BTreeMap::from([
        ("PASSWORD_CLAIM_SECRET_BLOCK".to_string(), secret_block.clone()),
        ("TIMESTAMP".to_string(), timestamp),
        ("PASSWORD_CLAIM_SIGNATURE".to_string(), signature),
    ]))
}
