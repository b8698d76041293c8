//! Every Cognito rule has a passing and a failing case: the same spec but for the one setting
//! the rule is about. The failing case must produce the rule's code, the passing case must not.

use auth_spec::diagnostics::Diagnostics;
use std::path::Path;

const BASE: &str = "[pool]\nname = \"rules\"\n";

/// (rule code, passing spec, failing spec), each appended to `BASE` unless it starts with `[pool]`.
const CASES: &[(&str, &str, &str)] = &[
    ("out-of-range", "[pool.password]\nmin_length = 6", "[pool.password]\nmin_length = 5"),
    ("out-of-range", "[pool.password]\nmin_length = 99", "[pool.password]\nmin_length = 100"),
    ("cognito::pool-name", "", "[pool]\nname = \"\""),
    ("cognito::pool-name", "", "[pool]\nname = \"a/b\""),
    ("cognito::region", "", "[pool]\nname = \"x\"\nregion = \"useast1\""),
    ("cognito::sign-in", "", "[pool]\nname = \"x\"\nsign_in = []"),
    (
        "cognito::sign-in",
        "[pool]\nname = \"x\"\nsign_in = [\"username\", \"preferred_username\"]",
        "[pool]\nname = \"x\"\nsign_in = [\"email\", \"preferred_username\"]",
    ),
    (
        "cognito::sign-in-unverified",
        "[attributes.email]\nrequired = true\n[verification]\nauto_verify = []",
        "[verification]\nauto_verify = []",
    ),
    (
        "cognito::sms-needed",
        "[sms]\nrole_arn = \"arn:aws:iam::123456789012:role/sms\"\n[verification]\nauto_verify = [\"phone_number\"]",
        "[verification]\nauto_verify = [\"phone_number\"]",
    ),
    (
        "cognito::sms-needed",
        "[sms]\nrole_arn = \"arn:aws:iam::123456789012:role/sms\"\n[mfa]\nmode = \"optional\"\nmethods = [\"sms\"]",
        "[mfa]\nmode = \"optional\"\nmethods = [\"sms\"]",
    ),
    (
        "cognito::sms-role",
        "[sms]\nrole_arn = \"arn:aws:iam::123456789012:role/sms\"",
        "[sms]\nrole_arn = \"arn:aws:sns:us-east-1:123456789012:topic\"",
    ),
    (
        "cognito::ses-source",
        "[email]\nsender = \"ses\"\nsource_arn = \"arn:aws:ses:us-east-1:123456789012:identity/example.com\"",
        "[email]\nsender = \"ses\"",
    ),
    ("cognito::email-sender", "[email]\nreply_to = \"help@example.com\"", "[email]\nfrom = \"me@example.com\""),
    (
        "cognito::recovery",
        "[account_recovery]\nmethods = [\"admin_only\"]",
        "[account_recovery]\nmethods = [\"admin_only\", \"email\"]",
    ),
    ("cognito::recovery", "[account_recovery]\nmethods = [\"email\"]", "[account_recovery]\nmethods = []"),
    (
        "cognito::devices",
        "[devices]\nremember = \"always\"\nchallenge_new_device = true",
        "[devices]\nchallenge_new_device = true",
    ),
    (
        "cognito::group-role",
        "[groups.a]\nrole_arn = \"arn:aws:iam::123456789012:role/a\"",
        "[groups.a]\nrole_arn = \"admins\"",
    ),
    ("out-of-range", "[groups.a]\nprecedence = 0", "[groups.a]\nprecedence = -3"),
    ("cognito::custom-attribute-count", "[custom_attributes.a]\ntype = \"string\"", ""),
    (
        "cognito::custom-attribute-name",
        "[custom_attributes.plan_tier]\ntype = \"string\"",
        "[custom_attributes.a_very_long_attribute_name]\ntype = \"string\"",
    ),
    (
        "cognito::custom-attribute-name",
        "[custom_attributes.nickname2]\ntype = \"string\"",
        "[custom_attributes.nickname]\ntype = \"string\"",
    ),
    (
        "cognito::attribute-constraint",
        "[custom_attributes.a]\ntype = \"string\"\nmax_length = 2048",
        "[custom_attributes.a]\ntype = \"string\"\nmax_length = 2049",
    ),
    (
        "cognito::attribute-constraint",
        "[custom_attributes.a]\ntype = \"number\"\nmin = 1\nmax = 2",
        "[custom_attributes.a]\ntype = \"number\"\nmin = 3\nmax = 2",
    ),
    (
        "cognito::attribute-constraint",
        "[custom_attributes.a]\ntype = \"boolean\"",
        "[custom_attributes.a]\ntype = \"boolean\"\nmax_length = 3",
    ),
    ("unknown-key", "[attributes.given_name]\nrequired = true", "[attributes.first_name]\nrequired = true"),
    (
        "cognito::message-placeholder",
        "[verification]\nemail_message = \"Code: {####}\"",
        "[verification]\nemail_message = \"Code: ####\"",
    ),
    (
        "cognito::message-placeholder",
        "[verification]\nemail_style = \"link\"\nemail_message = \"{##Verify##}\"",
        "[verification]\nemail_style = \"link\"\nemail_message = \"{####}\"",
    ),
    (
        "cognito::message-placeholder",
        "[verification]\nsms_message = \"{####}\"",
        "[verification]\nsms_message = \"code\"",
    ),
    (
        "cognito::message-placeholder",
        "[invitation]\nemail_message = \"{username} {####}\"",
        "[invitation]\nemail_message = \"{####}\"",
    ),
    (
        "cognito::message-placeholder",
        "[invitation]\nsms_message = \"{username} {####}\"",
        "[invitation]\nsms_message = \"{username}\"",
    ),
    ("cognito::mfa-methods", "[mfa]\nmode = \"optional\"\nmethods = [\"totp\"]", "[mfa]\nmode = \"optional\""),
    ("cognito::mfa-methods", "[mfa]\nmode = \"off\"", "[mfa]\nmethods = [\"totp\"]"),
    (
        "cognito::email-mfa-ses",
        "[email]\nsender = \"ses\"\nsource_arn = \"arn:aws:ses:us-east-1:123456789012:identity/example.com\"\n[mfa]\nmode = \"optional\"\nmethods = [\"email\"]",
        "[mfa]\nmode = \"optional\"\nmethods = [\"email\"]",
    ),
    (
        "cognito::mfa-phone",
        "[attributes.phone_number]\nrequired = true\n[sms]\nrole_arn = \"arn:aws:iam::123456789012:role/sms\"\n[mfa]\nmode = \"required\"\nmethods = [\"sms\"]",
        "[sms]\nrole_arn = \"arn:aws:iam::123456789012:role/sms\"\n[mfa]\nmode = \"required\"\nmethods = [\"sms\"]",
    ),
    (
        "cognito::trigger-arn",
        "[triggers]\npre_sign_up = \"arn:aws:lambda:us-east-1:123456789012:function:f\"",
        "[triggers]\npre_sign_up = \"f\"",
    ),
    (
        "cognito::custom-auth-triggers",
        DEFINE_CREATE_VERIFY,
        "[triggers]\ncreate_auth_challenge = \"arn:aws:lambda:us-east-1:123456789012:function:c\"",
    ),
    (
        "cognito::kms-key",
        "[triggers]\ncustom_sms_sender = \"arn:aws:lambda:us-east-1:123456789012:function:s\"\nkms_key_arn = \"arn:aws:kms:us-east-1:123456789012:key/k\"",
        "[triggers]\ncustom_sms_sender = \"arn:aws:lambda:us-east-1:123456789012:function:s\"",
    ),
    (
        "cognito::trigger-version",
        "[triggers]\npre_token_generation = \"arn:aws:lambda:us-east-1:123456789012:function:t\"\npre_token_generation_version = \"v2\"",
        "[triggers]\npre_token_generation_version = \"v2\"",
    ),
    (
        "cognito::migration-flow",
        "[triggers]\nuser_migration = \"arn:aws:lambda:us-east-1:123456789012:function:m\"\n[clients.web]\nauth_flows = [\"user_password\", \"refresh_token\"]",
        "[triggers]\nuser_migration = \"arn:aws:lambda:us-east-1:123456789012:function:m\"\n[clients.web]",
    ),
    ("cognito::client-name", "[clients.web]", "[clients.\"web/app\"]"),
    (
        "cognito::custom-flow",
        "[clients.web]\nauth_flows = [\"user_srp\", \"refresh_token\"]",
        "[clients.web]\nauth_flows = [\"custom\", \"refresh_token\"]",
    ),
    (
        "cognito::refresh-flow",
        "[clients.web]\nauth_flows = [\"user_srp\", \"refresh_token\"]",
        "[clients.web]\nauth_flows = [\"user_srp\"]",
    ),
    (
        "cognito::token-validity",
        "[clients.web]\naccess_token_validity = \"5m\"",
        "[clients.web]\naccess_token_validity = \"4m\"",
    ),
    (
        "cognito::token-validity",
        "[clients.web]\nrefresh_token_validity = \"3650d\"",
        "[clients.web]\nrefresh_token_validity = \"3651d\"",
    ),
    ("bad-format", "[clients.web]\nid_token_validity = \"2h\"", "[clients.web]\nid_token_validity = \"2 hours\""),
    (
        "cognito::unknown-attribute",
        "[custom_attributes.tier]\ntype = \"string\"\n[clients.web]\nread_attributes = [\"email\", \"tier\", \"custom:tier\"]",
        "[clients.web]\nread_attributes = [\"tier\"]",
    ),
    (
        "cognito::write-attribute",
        "[clients.web]\nwrite_attributes = [\"email\"]",
        "[clients.web]\nwrite_attributes = [\"email_verified\"]",
    ),
    (
        "cognito::write-attribute",
        "[attributes.email]\nrequired = true\n[clients.web]\nwrite_attributes = [\"email\"]",
        "[attributes.email]\nrequired = true\n[clients.web]\nwrite_attributes = [\"name\"]",
    ),
    ("cognito::oauth-flows", OAUTH_CODE, "[clients.web.oauth]\nflows = []"),
    (
        "cognito::implicit-secret",
        "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"implicit\"]\ncallback_urls = [\"https://a.example.com/\"]",
        "[domain]\nprefix = \"x-login\"\n[clients.web]\ngenerate_secret = true\n[clients.web.oauth]\nflows = [\"implicit\"]\ncallback_urls = [\"https://a.example.com/\"]",
    ),
    (
        "cognito::client-credentials",
        M2M_GOOD,
        "[resource_servers.api]\nname = \"API\"\nscopes = { read = \"r\" }\n[clients.m2m]\ngenerate_secret = true\n[clients.m2m.oauth]\nflows = [\"client_credentials\", \"code\"]\nscopes = [\"api/read\"]\ncallback_urls = [\"https://a.example.com/\"]",
    ),
    (
        "cognito::client-credentials",
        M2M_GOOD,
        "[clients.m2m]\ngenerate_secret = true\n[clients.m2m.oauth]\nflows = [\"client_credentials\"]",
    ),
    (
        "cognito::unknown-scope",
        M2M_GOOD,
        "[resource_servers.api]\nname = \"API\"\nscopes = { read = \"r\" }\n[clients.m2m]\ngenerate_secret = true\n[clients.m2m.oauth]\nflows = [\"client_credentials\"]\nscopes = [\"api/write\"]",
    ),
    (
        "cognito::openid-scope",
        "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]\nscopes = [\"openid\", \"email\"]\ncallback_urls = [\"https://a.example.com/\"]",
        "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]\nscopes = [\"email\"]\ncallback_urls = [\"https://a.example.com/\"]",
    ),
    ("cognito::callback-url", OAUTH_CODE, "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]"),
    (
        "cognito::redirect-url",
        "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]\ncallback_urls = [\"http://localhost:8080/cb\", \"http://127.0.0.1/cb\", \"myapp://cb\"]",
        "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]\ncallback_urls = [\"http://example.com/cb\"]",
    ),
    (
        "cognito::redirect-url",
        OAUTH_CODE,
        "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]\ncallback_urls = [\"https://a.example.com/\"]\nlogout_urls = [\"https://a.example.com/#out\"]",
    ),
    (
        "cognito::redirect-url",
        "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]\ncallback_urls = [\"https://a.example.com/\"]\ndefault_redirect_uri = \"https://a.example.com/\"",
        "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]\ncallback_urls = [\"https://a.example.com/\"]\ndefault_redirect_uri = \"https://b.example.com/\"",
    ),
    (
        "cognito::unknown-provider",
        GOOGLE_CLIENT,
        "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]\ncallback_urls = [\"https://a.example.com/\"]\nproviders = [\"google\"]",
    ),
    (
        "cognito::oauth-domain",
        OAUTH_CODE,
        "[clients.web.oauth]\nflows = [\"code\"]\ncallback_urls = [\"https://a.example.com/\"]",
    ),
    (
        "cognito::domain",
        "[domain]\nprefix = \"x-login\"",
        "[domain]\nprefix = \"x-login\"\ncustom = \"auth.example.com\"",
    ),
    ("cognito::domain-prefix", "[domain]\nprefix = \"my-login-2\"", "[domain]\nprefix = \"-my-login\""),
    ("cognito::domain-prefix", "[domain]\nprefix = \"my-login\"", "[domain]\nprefix = \"my-amazon-login\""),
    (
        "cognito::domain-certificate",
        "[domain]\ncustom = \"auth.example.com\"\ncertificate_arn = \"arn:aws:acm:us-east-1:123456789012:certificate/abc\"",
        "[domain]\ncustom = \"auth.example.com\"\ncertificate_arn = \"arn:aws:acm:eu-west-1:123456789012:certificate/abc\"",
    ),
    ("cognito::resource-server", "[resource_servers.api]\nname = \"API\"", "[resource_servers.api]\nname = \"\""),
    (
        "cognito::scope-name",
        "[resource_servers.api]\nname = \"API\"\nscopes = { \"orders.read\" = \"r\" }",
        "[resource_servers.api]\nname = \"API\"\nscopes = { \"orders read\" = \"r\" }",
    ),
    ("literal-secret", GOOGLE, "[providers.google]\nclient_id = \"g\"\nclient_secret = \"plain\""),
    (
        "cognito::secret-ref",
        GOOGLE,
        "[providers.google]\nclient_id = \"g\"\nclient_secret = { env = \"google secret\" }",
    ),
    ("cognito::provider-detail", GOOGLE, "[providers.google]\nclient_id = \"\"\nclient_secret = { env = \"G\" }"),
    (
        "cognito::provider-detail",
        "[providers.facebook]\nclient_id = \"f\"\nclient_secret = { env = \"F\" }\napi_version = \"v17.0\"",
        "[providers.google]\nclient_id = \"g\"\nclient_secret = { env = \"G\" }\napi_version = \"v17.0\"",
    ),
    (
        "cognito::provider-scope",
        "[providers.apple]\nclient_id = \"a\"\nteam_id = \"t\"\nkey_id = \"k\"\nprivate_key = { env = \"A\" }\nscopes = [\"email\"]",
        "[providers.apple]\nclient_id = \"a\"\nteam_id = \"t\"\nkey_id = \"k\"\nprivate_key = { env = \"A\" }\nscopes = [\"openid\"]",
    ),
    (
        "cognito::provider-scope",
        OIDC,
        "[providers.oidc.corp]\nclient_id = \"c\"\nclient_secret = { env = \"C\" }\nissuer = \"https://login.example.com\"\nscopes = [\"email\"]",
    ),
    (
        "cognito::oidc-issuer",
        OIDC,
        "[providers.oidc.corp]\nclient_id = \"c\"\nclient_secret = { env = \"C\" }\nissuer = \"login.example.com\"",
    ),
    (
        "cognito::provider-name",
        OIDC,
        "[providers.oidc.Google]\nclient_id = \"c\"\nclient_secret = { env = \"C\" }\nissuer = \"https://login.example.com\"",
    ),
    (
        "cognito::saml-metadata",
        "[providers.saml.adfs]\nmetadata_url = \"https://idp.example.com/metadata\"",
        "[providers.saml.adfs]\nsign_out = true",
    ),
    (
        "cognito::idp-identifier",
        "[providers.saml.a]\nmetadata_url = \"https://a.example.com/m\"\nidentifiers = [\"a.com\"]\n[providers.saml.b]\nmetadata_url = \"https://b.example.com/m\"\nidentifiers = [\"b.com\"]",
        "[providers.saml.a]\nmetadata_url = \"https://a.example.com/m\"\nidentifiers = [\"a.com\"]\n[providers.saml.b]\nmetadata_url = \"https://b.example.com/m\"\nidentifiers = [\"a.com\"]",
    ),
    (
        "cognito::unknown-attribute",
        "[providers.google]\nclient_id = \"g\"\nclient_secret = { env = \"G\" }\nattribute_mapping = { email = \"email\" }",
        "[providers.google]\nclient_id = \"g\"\nclient_secret = { env = \"G\" }\nattribute_mapping = { e_mail = \"email\" }",
    ),
    (
        "cognito::mapped-immutable",
        "[providers.google]\nclient_id = \"g\"\nclient_secret = { env = \"G\" }\nattribute_mapping = { email = \"email\" }",
        "[attributes.email]\nmutable = false\n[providers.google]\nclient_id = \"g\"\nclient_secret = { env = \"G\" }\nattribute_mapping = { email = \"email\" }",
    ),
    ("cognito::identity-pool-name", "[identity_pool]\nname = \"my_ids\"", "[identity_pool]\nname = \"\""),
    (
        "cognito::identity-pool-role",
        "[identity_pool]\nname = \"ids\"\nauthenticated_role_arn = \"arn:aws:iam::123456789012:role/auth\"",
        "[identity_pool]\nname = \"ids\"\nauthenticated_role_arn = \"auth\"",
    ),
    (
        "cognito::identity-pool-guest",
        "[identity_pool]\nname = \"ids\"\nallow_guest = true\nunauthenticated_role_arn = \"arn:aws:iam::123456789012:role/guest\"",
        "[identity_pool]\nname = \"ids\"\nunauthenticated_role_arn = \"arn:aws:iam::123456789012:role/guest\"",
    ),
    (
        "cognito::unknown-client",
        "[clients.web]\n[identity_pool]\nname = \"ids\"\nclients = [\"web\"]",
        "[clients.web]\n[identity_pool]\nname = \"ids\"\nclients = [\"mobile\"]",
    ),
    (
        "cognito::roles-from-token",
        "[groups.a]\nrole_arn = \"arn:aws:iam::123456789012:role/a\"\n[identity_pool]\nname = \"ids\"\nroles_from_token = true",
        "[identity_pool]\nname = \"ids\"\nroles_from_token = true",
    ),
    (
        "cognito::identity-pool-provider",
        "[identity_pool]\nname = \"ids\"\nproviders = { oidc_provider_arns = [\"arn:aws:iam::123456789012:oidc-provider/login.example.com\"] }",
        "[identity_pool]\nname = \"ids\"\nproviders = { oidc_provider_arns = [\"login.example.com\"] }",
    ),
    ("cognito::group-name", "[groups.admins]", "[groups.\"site admins\"]"),
    (
        "cognito::recovery-unverified",
        "[account_recovery]\nmethods = [\"email\"]",
        "[account_recovery]\nmethods = [\"phone\"]",
    ),
    ("unknown-env", "[env.prod.pool]\nname = \"prod\"", ""),
];

const DEFINE_CREATE_VERIFY: &str = "[triggers]\ndefine_auth_challenge = \"arn:aws:lambda:us-east-1:123456789012:function:d\"\ncreate_auth_challenge = \"arn:aws:lambda:us-east-1:123456789012:function:c\"\nverify_auth_challenge_response = \"arn:aws:lambda:us-east-1:123456789012:function:v\"";
const OAUTH_CODE: &str = "[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]\ncallback_urls = [\"https://a.example.com/\"]\nlogout_urls = [\"https://a.example.com/out\"]";
const M2M_GOOD: &str = "[resource_servers.api]\nname = \"API\"\nscopes = { read = \"r\" }\n[clients.m2m]\ngenerate_secret = true\n[clients.m2m.oauth]\nflows = [\"client_credentials\"]\nscopes = [\"api/read\"]";
const GOOGLE: &str = "[providers.google]\nclient_id = \"g\"\nclient_secret = { env = \"GOOGLE_CLIENT_SECRET\" }";
const GOOGLE_CLIENT: &str = "[providers.google]\nclient_id = \"g\"\nclient_secret = { env = \"G\" }\n[domain]\nprefix = \"x-login\"\n[clients.web.oauth]\nflows = [\"code\"]\ncallback_urls = [\"https://a.example.com/\"]\nproviders = [\"google\"]";
const OIDC: &str =
    "[providers.oidc.corp]\nclient_id = \"c\"\nclient_secret = { env = \"C\" }\nissuer = \"https://login.example.com\"";

fn spec_text(snippet: &str) -> String {
    if snippet.starts_with("[pool]") { format!("{snippet}\n") } else { format!("{BASE}{snippet}\n") }
}

/// Every diagnostic (errors and warnings) of loading this text with the `prod` environment when
/// the text has one, else without.
fn diagnostics(text: &str, env: Option<&str>) -> Diagnostics {
    match auth_spec::load_str(Path::new("rules.toml"), text, env) {
        Ok(loaded) => loaded.warnings,
        Err(error) => error.diagnostics().cloned().expect("text input"),
    }
}

#[test]
fn each_rule_fails_its_failing_case_and_passes_its_passing_case() {
    let mut problems = Vec::new();
    for (code, good, bad) in CASES {
        let env = (*code == "unknown-env").then_some("prod");
        let good_report = diagnostics(&spec_text(good), if good.contains("[env.prod") { env } else { None });
        if good_report.items.iter().any(|item| item.code == *code) {
            problems.push(format!("{code}: passing case reported it:\n{}\n{good_report}", spec_text(good)));
        }
        let bad_text = if *code == "cognito::custom-attribute-count" {
            let attributes: String =
                (0..51).map(|i| format!("[custom_attributes.attr{i}]\ntype = \"string\"\n")).collect();
            format!("{BASE}{attributes}")
        } else {
            spec_text(bad)
        };
        let bad_report = diagnostics(&bad_text, env);
        if !bad_report.items.iter().any(|item| item.code == *code) {
            problems.push(format!("{code}: failing case did not report it:\n{bad_text}\n{bad_report}"));
        }
        if bad_report.items.iter().any(|item| item.location.is_none()) {
            problems.push(format!("{code}: a diagnostic has no location:\n{bad_report}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n-----\n"));
}

#[test]
fn every_rule_module_code_has_a_case() {
    let sources = ["pool", "attributes", "messages", "mfa", "triggers", "clients", "providers", "identity_pool"];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/validate");
    let mut missing = Vec::new();
    for source in sources {
        let text = std::fs::read_to_string(dir.join(format!("{source}.rs"))).unwrap();
        for code in text.match_indices("\"cognito::").map(|(start, _)| {
            let rest = &text[start + 1..];
            &rest[..rest.find('"').unwrap()]
        }) {
            if !CASES.iter().any(|(case, _, _)| *case == code) && !missing.iter().any(|seen| seen == code) {
                missing.push(code.to_string());
            }
        }
    }
    assert!(missing.is_empty(), "rules without a test case: {missing:?}");
}
