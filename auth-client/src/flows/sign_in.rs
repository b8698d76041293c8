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

    fn on_challenge(
        &mut self,
        challenge: &str,
        parameters: BTreeMap<String, String>,
        now: SystemTime,
    ) -> Result<Step, AuthError> {
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
                let srp = self
                    .srp
                    .as_ref()
                    .ok_or_else(|| AuthError::InvalidResponse("a password verifier challenge without SRP".into()))?;
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
            "SMS_MFA" => {
                wait(self, Pending::Sms, SignInNextStep::ConfirmWithSmsCode { delivery: delivery(&parameters) })
            }
            "SOFTWARE_TOKEN_MFA" => wait(self, Pending::Totp, SignInNextStep::ConfirmWithTotpCode),
            "EMAIL_OTP" => {
                wait(self, Pending::Email, SignInNextStep::ConfirmWithEmailCode { delivery: delivery(&parameters) })
            }
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
                wait(
                    self,
                    Pending::NewPassword,
                    SignInNextStep::NewPasswordRequired { required_attributes, user_attributes },
                )
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
                    ChallengeAnswer::NewPassword { password, attributes } => {
                        (password.expose().to_string(), attributes.clone())
                    }
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
        parameters.get(name).ok_or_else(|| AuthError::InvalidResponse(format!("the challenge lacks {name}")))
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn context(secret: bool) -> SignInContext {
        SignInContext {
            user_pool_id: "us-east-1_Pool".into(),
            client_id: "client".into(),
            client_secret: secret.then(|| Secret::new("s3cret")),
        }
    }

    fn input(flow: AuthFlow) -> SignInInput {
        SignInInput { username: "alice".into(), password: Some("pw".into()), flow, ..SignInInput::default() }
    }

    fn challenge(name: &str, session: &str, parameters: &[(&str, &str)]) -> Response {
        Response::Auth {
            challenge_name: Some(name.into()),
            session: Some(session.into()),
            parameters: parameters.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            result: None,
        }
    }

    fn done() -> Response {
        Response::Auth {
            challenge_name: None,
            session: None,
            parameters: BTreeMap::new(),
            result: Some(AuthenticationResult {
                id_token: "id".into(),
                access_token: "access".into(),
                refresh_token: None,
                expires_in: Some(3600),
                new_device: None,
            }),
        }
    }

    fn respond_parts(step: &Step) -> (&str, &Option<String>, &BTreeMap<String, String>) {
        match step {
            Step::Send(Request::RespondToAuthChallenge { challenge_name, session, responses, .. }) => {
                (challenge_name, session, responses)
            }
            other => panic!("expected a RespondToAuthChallenge, got {other:?}"),
        }
    }

    const NOW: Duration = Duration::from_secs(1_725_336_306);

    fn vectors() -> serde_json::Value {
        serde_json::from_str(include_str!("../../tests/crosscheck/vectors.json")).unwrap()
    }

    #[test]
    fn srp_sign_in_sends_a_and_answers_the_verifier_with_secret_hash() {
        let (mut machine, request) = SignIn::start(context(true), input(AuthFlow::UserSrp), None).unwrap();
        let Request::InitiateAuth { auth_flow, parameters, .. } = &request else { panic!() };
        assert_eq!(*auth_flow, "USER_SRP_AUTH");
        assert!(parameters.contains_key("SRP_A") && !parameters.contains_key("PASSWORD"));
        assert_eq!(parameters["SECRET_HASH"], srp::secret_hash("s3cret", "alice", "client"));
        let v = vectors();
        let params = [
            ("USER_ID_FOR_SRP", "uuid-1"),
            ("SRP_B", v["srp_b"].as_str().unwrap()),
            ("SALT", v["salt"].as_str().unwrap()),
            ("SECRET_BLOCK", v["secret_block"].as_str().unwrap()),
        ];
        let step = machine.handle(challenge("PASSWORD_VERIFIER", "s1", &params), UNIX_EPOCH + NOW).unwrap();
        let (name, session, responses) = respond_parts(&step);
        assert_eq!(name, "PASSWORD_VERIFIER");
        assert_eq!(session.as_deref(), Some("s1"));
        assert_eq!(responses["USERNAME"], "uuid-1");
        assert_eq!(responses["TIMESTAMP"], "Tue Sep 3 04:05:06 UTC 2024");
        // The secret hash of later calls uses the name Cognito gave (USER_ID_FOR_SRP).
        assert_eq!(responses["SECRET_HASH"], srp::secret_hash("s3cret", "uuid-1", "client"));
        assert!(!responses["PASSWORD_CLAIM_SIGNATURE"].is_empty());
        assert!(matches!(machine.handle(done(), UNIX_EPOCH + NOW).unwrap(), Step::Done(_)));
        assert!(machine.handle(done(), UNIX_EPOCH + NOW).is_err(), "a finished sign-in takes no more answers");
    }

    #[test]
    fn a_zero_b_is_rejected() {
        let (mut machine, _) = SignIn::start(context(false), input(AuthFlow::UserSrp), None).unwrap();
        let params = [("USER_ID_FOR_SRP", "u"), ("SRP_B", "0"), ("SALT", "ab"), ("SECRET_BLOCK", "AAAA")];
        let error = machine.handle(challenge("PASSWORD_VERIFIER", "s", &params), UNIX_EPOCH).unwrap_err();
        assert_eq!(error, AuthError::Srp(srp::SrpError::InvalidServerB));
        let params = [("USER_ID_FOR_SRP", "u"), ("SALT", "ab"), ("SECRET_BLOCK", "AAAA")];
        let (mut machine, _) = SignIn::start(context(false), input(AuthFlow::UserSrp), None).unwrap();
        assert!(matches!(
            machine.handle(challenge("PASSWORD_VERIFIER", "s", &params), UNIX_EPOCH),
            Err(AuthError::InvalidResponse(_))
        ));
    }

    #[test]
    fn unconfirmed_users_and_required_resets_become_next_steps() {
        let (mut machine, _) = SignIn::start(context(false), input(AuthFlow::UserPassword), None).unwrap();
        let step = machine.handle(Response::Error(AuthError::UserNotConfirmed("m".into())), UNIX_EPOCH).unwrap();
        assert_eq!(step, Step::Wait(SignInNextStep::ConfirmSignUp));
        let (mut machine, _) = SignIn::start(context(false), input(AuthFlow::UserPassword), None).unwrap();
        let step = machine.handle(Response::Error(AuthError::PasswordResetRequired("m".into())), UNIX_EPOCH).unwrap();
        assert_eq!(step, Step::Wait(SignInNextStep::ResetPassword));
        let (mut machine, _) = SignIn::start(context(false), input(AuthFlow::UserPassword), None).unwrap();
        let error = machine.handle(Response::Error(AuthError::NotAuthorized("m".into())), UNIX_EPOCH).unwrap_err();
        assert_eq!(error, AuthError::NotAuthorized("m".into()));
    }

    #[test]
    fn new_password_required_lists_attributes_and_encodes_the_answer() {
        let (mut machine, _) = SignIn::start(context(false), input(AuthFlow::UserPassword), None).unwrap();
        let params = [
            ("USERNAME", "alice"),
            ("requiredAttributes", r#"["userAttributes.name","userAttributes.custom:team"]"#),
            ("userAttributes", r#"{"email":"a@example.test","email_verified":"true"}"#),
        ];
        let step = machine.handle(challenge("NEW_PASSWORD_REQUIRED", "s", &params), UNIX_EPOCH).unwrap();
        let Step::Wait(SignInNextStep::NewPasswordRequired { required_attributes, user_attributes }) = step else {
            panic!()
        };
        assert_eq!(required_attributes, vec!["name", "custom:team"]);
        assert_eq!(user_attributes["email"], "a@example.test");
        let request = machine
            .answer(ChallengeAnswer::NewPassword {
                password: "N3w!".into(),
                attributes: BTreeMap::from([("name".into(), "Alice".into())]),
            })
            .unwrap();
        let Request::RespondToAuthChallenge { challenge_name, responses, .. } = request else { panic!() };
        assert_eq!(challenge_name, "NEW_PASSWORD_REQUIRED");
        assert_eq!(responses["NEW_PASSWORD"], "N3w!");
        assert_eq!(responses["userAttributes.name"], "Alice");
    }

    #[test]
    fn a_wrong_code_keeps_the_step_open() {
        let (mut machine, _) = SignIn::start(context(false), input(AuthFlow::UserPassword), None).unwrap();
        let params = [("CODE_DELIVERY_DELIVERY_MEDIUM", "SMS"), ("CODE_DELIVERY_DESTINATION", "+*****0100")];
        let step = machine.handle(challenge("SMS_MFA", "s", &params), UNIX_EPOCH).unwrap();
        let Step::Wait(SignInNextStep::ConfirmWithSmsCode { delivery }) = step else { panic!() };
        assert_eq!(delivery.destination.as_deref(), Some("+*****0100"));
        let request = machine.answer("123456".into()).unwrap();
        let Request::RespondToAuthChallenge { responses, .. } = &request else { panic!() };
        assert_eq!(responses["SMS_MFA_CODE"], "123456");
        assert!(machine.handle(Response::Error(AuthError::CodeMismatch("m".into())), UNIX_EPOCH).is_err());
        assert!(machine.is_waiting());
        machine.answer("654321".into()).unwrap();
        assert!(matches!(machine.handle(done(), UNIX_EPOCH).unwrap(), Step::Done(_)));
    }

    #[test]
    fn mfa_selection_accepts_only_offered_methods() {
        let (mut machine, _) = SignIn::start(context(false), input(AuthFlow::UserPassword), None).unwrap();
        let params = [("MFAS_CAN_CHOOSE", r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#)];
        let step = machine.handle(challenge("SELECT_MFA_TYPE", "s", &params), UNIX_EPOCH).unwrap();
        assert_eq!(
            step,
            Step::Wait(SignInNextStep::ContinueWithMfaSelection { allowed: vec![MfaType::Sms, MfaType::Totp] })
        );
        assert!(matches!(
            machine.answer(ChallengeAnswer::MfaChoice(MfaType::Email)),
            Err(AuthError::InvalidParameter(_))
        ));
        let request = machine.answer("TOTP".into()).unwrap();
        let Request::RespondToAuthChallenge { challenge_name, responses, .. } = request else { panic!() };
        assert_eq!(challenge_name, "SELECT_MFA_TYPE");
        assert_eq!(responses["ANSWER"], "SOFTWARE_TOKEN_MFA");
    }

    #[test]
    fn totp_setup_during_sign_in_chains_the_sessions() {
        let (mut machine, _) = SignIn::start(context(false), input(AuthFlow::UserPassword), None).unwrap();
        let step = machine
            .handle(
                challenge("MFA_SETUP", "s-challenge", &[("MFAS_CAN_SETUP", r#"["SOFTWARE_TOKEN_MFA"]"#)]),
                UNIX_EPOCH,
            )
            .unwrap();
        assert_eq!(step, Step::Send(Request::AssociateSoftwareToken { session: Some("s-challenge".into()) }));
        let step = machine
            .handle(
                Response::SecretCode { secret_code: "JBSWY3DPEHPK3PXP".into(), session: Some("s-associate".into()) },
                UNIX_EPOCH,
            )
            .unwrap();
        let Step::Wait(SignInNextStep::ContinueWithTotpSetup(setup)) = step else { panic!() };
        assert_eq!(setup.uri("App"), "otpauth://totp/App:alice?secret=JBSWY3DPEHPK3PXP&issuer=App");
        let request = machine.answer("123456".into()).unwrap();
        assert_eq!(
            request,
            Request::VerifySoftwareToken { session: Some("s-associate".into()), code: "123456".into() }
        );
        let step = machine
            .handle(Response::Verified { status: "SUCCESS".into(), session: Some("s-verify".into()) }, UNIX_EPOCH)
            .unwrap();
        let (name, session, responses) = respond_parts(&step);
        assert_eq!((name, session.as_deref()), ("MFA_SETUP", Some("s-verify")));
        assert_eq!(responses["USERNAME"], "alice");
    }

    #[test]
    fn device_srp_runs_after_the_password_verifier() {
        let v = vectors();
        let s = |name: &str| v[name].as_str().unwrap().to_string();
        let device = DeviceSecrets {
            device_key: s("device_key"),
            device_group_key: s("device_group_key"),
            device_password: Secret::new(s("device_password")),
        };
        let (mut machine, request) =
            SignIn::start(context(false), input(AuthFlow::UserSrp), Some(device.clone())).unwrap();
        let Request::InitiateAuth { parameters, .. } = &request else { panic!() };
        assert_eq!(parameters["DEVICE_KEY"], device.device_key);
        let step =
            machine.handle(challenge("DEVICE_SRP_AUTH", "s1", &[("USERNAME", "uuid-1")]), UNIX_EPOCH + NOW).unwrap();
        let (name, _, responses) = respond_parts(&step);
        assert_eq!(name, "DEVICE_SRP_AUTH");
        assert_eq!(responses["DEVICE_KEY"], device.device_key);
        assert!(responses.contains_key("SRP_A"));
        // Replace the random `a` with the vector's, so the signature is the cross-checked one.
        let a: Vec<u8> =
            (0..s("a").len()).step_by(2).map(|i| u8::from_str_radix(&s("a")[i..i + 2], 16).unwrap()).collect();
        machine.srp = Some(SrpClient::from_secret(&a));
        let params = [
            ("USERNAME", "uuid-1"),
            ("SRP_B", &*s("srp_b")),
            ("SALT", &*s("salt")),
            ("SECRET_BLOCK", &*s("secret_block")),
        ];
        let step = machine.handle(challenge("DEVICE_PASSWORD_VERIFIER", "s2", &params), UNIX_EPOCH + NOW).unwrap();
        let (name, session, responses) = respond_parts(&step);
        assert_eq!((name, session.as_deref()), ("DEVICE_PASSWORD_VERIFIER", Some("s2")));
        assert_eq!(responses["PASSWORD_CLAIM_SIGNATURE"], "uQE4be0W9AZzEdhRusMzJg0qzwy5BOeVR87dpT62jks=");
        assert_eq!(responses["DEVICE_KEY"], device.device_key);
        assert!(matches!(machine.handle(done(), UNIX_EPOCH + NOW).unwrap(), Step::Done(_)));
    }

    #[test]
    fn a_forgotten_device_is_dropped_and_the_request_retried() {
        let device =
            DeviceSecrets { device_key: "dk".into(), device_group_key: "gk".into(), device_password: "p".into() };
        let (mut machine, _) = SignIn::start(context(false), input(AuthFlow::UserPassword), Some(device)).unwrap();
        let step = machine
            .handle(Response::Error(AuthError::ResourceNotFound("Device does not exist.".into())), UNIX_EPOCH)
            .unwrap();
        let Step::Send(Request::InitiateAuth { parameters, .. }) = step else { panic!() };
        assert!(!parameters.contains_key("DEVICE_KEY"));
        assert!(machine.device_rejected());
    }

    #[test]
    fn custom_challenges_pass_their_parameters_and_the_answer() {
        let input = SignInInput {
            username: "alice".into(),
            password: None,
            flow: AuthFlow::CustomWithoutSrp,
            ..SignInInput::default()
        };
        let (mut machine, request) = SignIn::start(context(false), input, None).unwrap();
        let Request::InitiateAuth { auth_flow, parameters, .. } = &request else { panic!() };
        assert_eq!(*auth_flow, "CUSTOM_AUTH");
        assert!(!parameters.contains_key("SRP_A"));
        let step = machine
            .handle(challenge("CUSTOM_CHALLENGE", "s", &[("USERNAME", "alice"), ("question", "2+2")]), UNIX_EPOCH)
            .unwrap();
        assert_eq!(
            step,
            Step::Wait(SignInNextStep::CustomChallenge {
                parameters: BTreeMap::from([("question".into(), "2+2".into())])
            })
        );
        let request = machine.answer(ChallengeAnswer::Custom("4".into())).unwrap();
        let Request::RespondToAuthChallenge { responses, .. } = request else { panic!() };
        assert_eq!(responses["ANSWER"], "4");
        // CUSTOM_AUTH with SRP starts with SRP_A.
        let (_, request) = SignIn::start(context(false), super::tests::input(AuthFlow::CustomWithSrp), None).unwrap();
        let Request::InitiateAuth { parameters, .. } = &request else { panic!() };
        assert_eq!(parameters["CHALLENGE_NAME"], "SRP_A");
    }

    #[test]
    fn requests_never_print_secrets() {
        let (_, request) = SignIn::start(context(true), input(AuthFlow::UserPassword), None).unwrap();
        let printed = format!("{request:?}");
        assert!(printed.contains("PASSWORD") && !printed.contains("\"pw\""), "{printed}");
    }
}
