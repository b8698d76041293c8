//! `cargo xtask init`: write a starter `auth.toml`, as `amplify add auth` does. With a terminal
//! attached and `--preset manual`, it asks the same questions; otherwise it takes flags.

use auth_spec::model::{MfaMethod, MfaMode, SignInIdentifier, StandardAttribute};
use auth_spec::starter::{self, Answers, Preset, SocialProviderKind};
use clap::ValueEnum;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Flags of `init`.
#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// Where to write the spec.
    #[arg(long, default_value = "auth.toml")]
    pub spec: PathBuf,
    /// The starting point.
    #[arg(long, value_enum, default_value_t = PresetArg::Default)]
    pub preset: PresetArg,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
    /// Never prompt, even with a terminal attached.
    #[arg(long)]
    pub no_input: bool,
    /// User pool name (default: the current directory's name + "-users").
    #[arg(long)]
    pub name: Option<String>,
    /// How users sign in (manual): username, email, phone, preferred_username.
    #[arg(long, value_delimiter = ',', value_enum)]
    pub sign_in: Vec<SignInArg>,
    /// Standard attributes required at sign-up (manual), e.g. given_name,family_name.
    #[arg(long, value_delimiter = ',')]
    pub required: Vec<String>,
    /// MFA (manual).
    #[arg(long, value_enum, default_value_t = MfaArg::Off)]
    pub mfa: MfaArg,
    /// MFA methods (manual): totp, sms, email.
    #[arg(long, value_delimiter = ',', value_enum)]
    pub mfa_methods: Vec<MfaMethodArg>,
    /// Social providers (manual): google, facebook, amazon, apple.
    #[arg(long, value_delimiter = ',', value_enum)]
    pub providers: Vec<ProviderArg>,
    /// Minimum password length (manual).
    #[arg(long, default_value_t = 8)]
    pub min_password_length: u8,
    /// Hosted UI redirect URL (with providers).
    #[arg(long, default_value = "http://localhost:3000/")]
    pub redirect_url: String,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PresetArg {
    Default,
    Social,
    Manual,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SignInArg {
    Username,
    Email,
    Phone,
    PreferredUsername,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum MfaArg {
    Off,
    Optional,
    Required,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MfaMethodArg {
    Totp,
    Sms,
    Email,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ProviderArg {
    Google,
    Facebook,
    Amazon,
    Apple,
}

pub fn run(args: InitArgs) -> i32 {
    if args.spec.exists() && !args.force {
        eprintln!("error: {} already exists: pass --force to overwrite it", args.spec.display());
        return 1;
    }
    let name = args.name.clone().unwrap_or_else(default_pool_name);
    let preset = match args.preset {
        PresetArg::Default => Preset::Default,
        PresetArg::Social => Preset::Social,
        PresetArg::Manual => Preset::Manual,
    };
    let interactive =
        preset == Preset::Manual && !args.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let answers = match (preset, interactive) {
        (Preset::Manual, true) => match ask(&name) {
            Ok(answers) => answers,
            Err(error) => {
                eprintln!("error: {error}");
                return 1;
            }
        },
        (Preset::Manual, false) => match answers_from_flags(&args, &name) {
            Ok(answers) => answers,
            Err(message) => {
                eprintln!("error: {message}");
                return 1;
            }
        },
        (preset, _) => Answers::for_preset(preset, &name),
    };
    let spec = starter::spec(&answers);
    let text = starter::render(&spec, schema_directive(&args.spec).as_deref(), preset);
    if let Err(diagnostics) = auth_spec::load_str(&args.spec, &text, None) {
        eprintln!("error: these answers make an invalid spec:\n{diagnostics}");
        return 1;
    }
    if let Err(error) = std::fs::write(&args.spec, text) {
        eprintln!("error: cannot write {}: {error}", args.spec.display());
        return 1;
    }
    println!("wrote {}: check it with `cargo xtask validate --spec {}`", args.spec.display(), args.spec.display());
    0
}

fn default_pool_name() -> String {
    let dir =
        std::env::current_dir().ok().and_then(|dir| dir.file_name().map(|name| name.to_string_lossy().into_owned()));
    let base: String = dir
        .unwrap_or_else(|| "myapp".to_string())
        .chars()
        .filter(|c| c.is_alphanumeric() || "-_".contains(*c))
        .collect();
    format!("{}-users", if base.is_empty() { "myapp" } else { &base })
}

/// `#:schema <relative path to schemas/auth-spec.schema.json>` when the workspace schema exists.
fn schema_directive(spec_path: &Path) -> Option<String> {
    let schema = crate::workspace_root().join("schemas").join("auth-spec.schema.json");
    let schema = schema.canonicalize().ok()?;
    let dir = spec_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = dir.canonicalize().ok()?;
    Some(relative(&dir, &schema).to_string_lossy().replace('\\', "/"))
}

fn relative(from_dir: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from_dir.components().collect();
    let target: Vec<_> = to.components().collect();
    let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for component in &target[common..] {
        path.push(component);
    }
    path
}

fn answers_from_flags(args: &InitArgs, name: &str) -> Result<Answers, String> {
    let mut answers = Answers::for_preset(Preset::Default, name);
    if !args.sign_in.is_empty() {
        answers.sign_in = args.sign_in.iter().map(|s| sign_in(*s)).collect();
    }
    answers.required_attributes = args
        .required
        .iter()
        .map(|name| StandardAttribute::from_name(name).ok_or_else(|| format!("`{name}` is not a standard attribute")))
        .collect::<Result<_, _>>()?;
    answers.mfa = mfa(args.mfa);
    answers.mfa_methods = args.mfa_methods.iter().map(|m| mfa_method(*m)).collect();
    if answers.mfa != MfaMode::Off && answers.mfa_methods.is_empty() {
        answers.mfa_methods = vec![MfaMethod::Totp];
    }
    answers.providers = args.providers.iter().map(|p| provider(*p)).collect();
    answers.min_password_length = args.min_password_length;
    answers.redirect_url = args.redirect_url.clone();
    answers.domain_prefix = (!answers.providers.is_empty()).then(|| starter::default_domain_prefix(name));
    Ok(answers)
}

/// The manual configuration questions.
fn ask(name: &str) -> Result<Answers, dialoguer::Error> {
    use dialoguer::{Input, MultiSelect, Select};
    let mut answers = Answers::for_preset(Preset::Default, name);
    answers.pool_name = Input::new().with_prompt("User pool name").default(name.to_string()).interact_text()?;
    let ways = [
        "Email",
        "Phone number",
        "Username",
        "Email or phone number",
        "Username with email and preferred_username aliases",
    ];
    answers.sign_in = match Select::new()
        .with_prompt("How do you want users to be able to sign in?")
        .items(ways)
        .default(0)
        .interact()?
    {
        0 => vec![SignInIdentifier::Email],
        1 => vec![SignInIdentifier::Phone],
        2 => vec![SignInIdentifier::Username],
        3 => vec![SignInIdentifier::Email, SignInIdentifier::Phone],
        _ => vec![SignInIdentifier::Username, SignInIdentifier::Email, SignInIdentifier::PreferredUsername],
    };
    let attributes: Vec<&str> = StandardAttribute::ALL.iter().map(|a| a.name()).collect();
    answers.required_attributes = MultiSelect::new()
        .with_prompt("Which attributes are required for sign-up? (space selects)")
        .items(&attributes)
        .interact()?
        .into_iter()
        .map(|index| StandardAttribute::ALL[index])
        .collect();
    answers.mfa = match Select::new()
        .with_prompt("Multi-factor authentication (MFA)")
        .items(["Off", "Optional", "Required"])
        .default(0)
        .interact()?
    {
        0 => MfaMode::Off,
        1 => MfaMode::Optional,
        _ => MfaMode::Required,
    };
    if answers.mfa != MfaMode::Off {
        let methods = [MfaMethod::Totp, MfaMethod::Sms, MfaMethod::Email];
        let chosen = MultiSelect::new()
            .with_prompt("Which second factors? (space selects)")
            .items(["Authenticator app (TOTP)", "SMS text message", "Email (needs SES)"])
            .defaults(&[true, false, false])
            .interact()?;
        answers.mfa_methods = chosen.into_iter().map(|index| methods[index]).collect();
        if answers.mfa_methods.is_empty() {
            answers.mfa_methods = vec![MfaMethod::Totp];
        }
    }
    answers.min_password_length = Input::new()
        .with_prompt("Minimum password length (6-99)")
        .default(8u8)
        .validate_with(|length: &u8| if (6..=99).contains(length) { Ok(()) } else { Err("between 6 and 99") })
        .interact_text()?;
    let names: Vec<&str> = SocialProviderKind::ALL.iter().map(|p| p.name()).collect();
    answers.providers = MultiSelect::new()
        .with_prompt("Social providers for the hosted UI (space selects, none for no hosted UI)")
        .items(&names)
        .interact()?
        .into_iter()
        .map(|index| SocialProviderKind::ALL[index])
        .collect();
    if !answers.providers.is_empty() {
        answers.domain_prefix = Some(
            Input::new()
                .with_prompt("Hosted UI domain prefix")
                .default(starter::default_domain_prefix(&answers.pool_name))
                .interact_text()?,
        );
        answers.redirect_url = Input::new()
            .with_prompt("Redirect URL after sign-in and sign-out")
            .default(answers.redirect_url.clone())
            .interact_text()?;
    }
    Ok(answers)
}

fn sign_in(arg: SignInArg) -> SignInIdentifier {
    match arg {
        SignInArg::Username => SignInIdentifier::Username,
        SignInArg::Email => SignInIdentifier::Email,
        SignInArg::Phone => SignInIdentifier::Phone,
        SignInArg::PreferredUsername => SignInIdentifier::PreferredUsername,
    }
}

fn mfa(arg: MfaArg) -> MfaMode {
    match arg {
        MfaArg::Off => MfaMode::Off,
        MfaArg::Optional => MfaMode::Optional,
        MfaArg::Required => MfaMode::Required,
    }
}

fn mfa_method(arg: MfaMethodArg) -> MfaMethod {
    match arg {
        MfaMethodArg::Totp => MfaMethod::Totp,
        MfaMethodArg::Sms => MfaMethod::Sms,
        MfaMethodArg::Email => MfaMethod::Email,
    }
}

fn provider(arg: ProviderArg) -> SocialProviderKind {
    match arg {
        ProviderArg::Google => SocialProviderKind::Google,
        ProviderArg::Facebook => SocialProviderKind::Facebook,
        ProviderArg::Amazon => SocialProviderKind::Amazon,
        ProviderArg::Apple => SocialProviderKind::Apple,
    }
}
