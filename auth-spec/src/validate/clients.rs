//! App clients and what they point at: OAuth flows, scopes, URLs, providers, attributes, the
//! domain and resource servers.

use super::attributes::{is_mutable, known_attribute_names};
use super::is_cognito_name;
use super::triggers::CUSTOM_AUTH_TRIGGERS;
use crate::diagnostics::{Diagnostic, KeyPath, did_you_mean};
use crate::model::*;
use crate::resolve::STANDARD_SCOPES;

pub(super) fn check(spec: &Spec, found: &mut Vec<Diagnostic>) {
    for (name, client) in &spec.clients {
        let path = KeyPath::of(&["clients"]).key(name);
        if !is_cognito_name(name) || name.chars().count() > 128 {
            found.push(
                Diagnostic::error(
                    "cognito::client-name",
                    path.clone(),
                    format!("`{name}` is not a valid app client name"),
                )
                .at_key()
                .with_help("use 1 to 128 letters, digits, spaces and + = , . @ - _"),
            );
        }
        check_flows(spec, client, &path, found);
        check_validity(client, &path, found);
        check_attributes(spec, client, &path, found);
        if let Some(oauth) = &client.oauth {
            check_oauth(spec, client, oauth, &path.key("oauth"), found);
        }
    }
    check_domain(spec, found);
    check_resource_servers(spec, found);
}

fn check_flows(spec: &Spec, client: &AppClient, path: &KeyPath, found: &mut Vec<Diagnostic>) {
    let flows_path = path.key("auth_flows");
    if client.auth_flows.contains(&AuthFlow::Custom)
        && CUSTOM_AUTH_TRIGGERS.iter().any(|trigger| spec.triggers.get(*trigger).is_none())
    {
        found.push(
            Diagnostic::error(
                "cognito::custom-flow",
                flows_path.clone(),
                "the custom flow needs the custom authentication triggers",
            )
            .with_help(
                "set define_auth_challenge, create_auth_challenge and verify_auth_challenge_response under [triggers]",
            ),
        );
    }
    if !client.auth_flows.is_empty() && !client.auth_flows.contains(&AuthFlow::RefreshToken) {
        found.push(
            Diagnostic::warning("cognito::refresh-flow", flows_path, "without \"refresh_token\" the client cannot refresh tokens: users sign in again every time tokens expire")
                .with_help("add \"refresh_token\" to auth_flows"),
        );
    }
}

fn check_validity(client: &AppClient, path: &KeyPath, found: &mut Vec<Diagnostic>) {
    const MINUTE: u64 = 60;
    const DAY: u64 = 86_400;
    for (field, validity, min, max, range) in [
        ("access_token_validity", client.access_token_validity, 5 * MINUTE, DAY, "5m to 1d"),
        ("id_token_validity", client.id_token_validity, 5 * MINUTE, DAY, "5m to 1d"),
        ("refresh_token_validity", client.refresh_token_validity, 60 * MINUTE, 3650 * DAY, "60m to 3650d"),
    ] {
        if let Some(validity) = validity
            && !(min..=max).contains(&validity.as_seconds())
        {
            found.push(
                Diagnostic::error(
                    "cognito::token-validity",
                    path.key(field),
                    format!("{validity} is outside Cognito's range for {field} ({range})"),
                )
                .with_help(format!("use a value from {range}")),
            );
        }
    }
}

fn check_attributes(spec: &Spec, client: &AppClient, path: &KeyPath, found: &mut Vec<Diagnostic>) {
    let known = known_attribute_names(spec);
    for field in ["read_attributes", "write_attributes"] {
        let names = if field == "read_attributes" { &client.read_attributes } else { &client.write_attributes };
        let Some(names) = names else { continue };
        for (index, name) in names.iter().enumerate() {
            if !known.contains(name) {
                found.push(unknown_attribute(path.key(field).index(index), name, &known));
            } else if field == "write_attributes" && name.ends_with("_verified") {
                found.push(
                    Diagnostic::error(
                        "cognito::write-attribute",
                        path.key(field).index(index),
                        format!("`{name}` is set by Cognito when a user verifies; clients cannot write it"),
                    )
                    .with_help(format!("remove `{name}` from write_attributes")),
                );
            }
        }
        if field == "write_attributes" {
            for (attribute, settings) in spec.attributes.iter() {
                if settings.required && !names.iter().any(|name| name == attribute.name()) {
                    found.push(
                        Diagnostic::error(
                            "cognito::write-attribute",
                            path.key(field),
                            format!("`{}` is required at sign-up but this client cannot write it", attribute.name()),
                        )
                        .with_help(format!("add \"{}\" to write_attributes", attribute.name())),
                    );
                }
            }
        }
    }
}

/// "Not an attribute" with the closest name.
pub(super) fn unknown_attribute(path: KeyPath, name: &str, known: &[String]) -> Diagnostic {
    let diagnostic =
        Diagnostic::error("cognito::unknown-attribute", path, format!("`{name}` is not an attribute of this pool"));
    match did_you_mean(name, known.iter().map(String::as_str)) {
        Some(close) => diagnostic
            .with_label(format!("did you mean `{close}`?"))
            .with_help(format!("use `{close}`, or declare `{name}` under [custom_attributes]")),
        None => diagnostic.with_help("use a standard attribute name, or declare it under [custom_attributes]"),
    }
}

fn check_oauth(spec: &Spec, client: &AppClient, oauth: &ClientOAuth, path: &KeyPath, found: &mut Vec<Diagnostic>) {
    let flows = &oauth.flows;
    if flows.is_empty() {
        found.push(
            Diagnostic::error(
                "cognito::oauth-flows",
                path.key("flows"),
                "an OAuth client needs at least one grant type",
            )
            .with_help("use flows = [\"code\"] for apps, [\"client_credentials\"] for machine-to-machine"),
        );
    }
    if flows.contains(&OAuthFlow::Implicit) && client.generate_secret {
        found.push(
            Diagnostic::error(
                "cognito::implicit-secret",
                path.key("flows"),
                "the implicit grant cannot be used by a client with a secret",
            )
            .with_help("use \"code\" (with PKCE) instead of \"implicit\", or set generate_secret = false"),
        );
    }
    if flows.contains(&OAuthFlow::ClientCredentials) {
        if !client.generate_secret {
            found.push(
                Diagnostic::error(
                    "cognito::client-credentials",
                    path.key("flows"),
                    "the client_credentials grant needs a client secret",
                )
                .with_help("set generate_secret = true on this client"),
            );
        }
        if flows.len() > 1 {
            found.push(
                Diagnostic::error(
                    "cognito::client-credentials",
                    path.key("flows"),
                    "client_credentials cannot be combined with other grants",
                )
                .with_help("use a separate client for machine-to-machine access"),
            );
        }
        for (index, scope) in oauth.scopes.iter().enumerate() {
            if !scope.contains('/') {
                found.push(
                    Diagnostic::error(
                        "cognito::client-credentials",
                        path.key("scopes").index(index),
                        format!("client_credentials can only request resource server scopes, not `{scope}`"),
                    )
                    .with_help("use scopes of the form \"<resource server identifier>/<scope>\""),
                );
            }
        }
        if oauth.scopes.is_empty() {
            found.push(
                Diagnostic::error(
                    "cognito::client-credentials",
                    path.key("scopes"),
                    "client_credentials needs at least one resource server scope",
                )
                .with_help(
                    "declare a [resource_servers.<identifier>] with scopes and list \"<identifier>/<scope>\" here",
                ),
            );
        }
    }
    check_scopes(spec, oauth, path, found);
    let has_browser_flow = flows.contains(&OAuthFlow::Code) || flows.contains(&OAuthFlow::Implicit);
    if has_browser_flow && oauth.callback_urls.is_empty() {
        found.push(
            Diagnostic::error(
                "cognito::callback-url",
                path.key("callback_urls"),
                "the code and implicit grants need at least one callback URL",
            )
            .with_help("add callback_urls = [\"https://app.example.com/callback\"]"),
        );
    }
    for (field, urls) in [("callback_urls", &oauth.callback_urls), ("logout_urls", &oauth.logout_urls)] {
        for (index, url) in urls.iter().enumerate() {
            if let Some(problem) = redirect_url_problem(url) {
                found.push(
                    Diagnostic::error("cognito::redirect-url", path.key(field).index(index), format!("`{url}` {problem}"))
                        .with_help("use https://..., http://localhost[:port]/... for development, or an app scheme like myapp://callback"),
                );
            }
        }
    }
    if let Some(default) = &oauth.default_redirect_uri
        && !oauth.callback_urls.contains(default)
    {
        found.push(
            Diagnostic::error(
                "cognito::redirect-url",
                path.key("default_redirect_uri"),
                format!("`{default}` is not one of callback_urls"),
            )
            .with_help("add it to callback_urls, or pick one of them"),
        );
    }
    let configured = crate::resolve::provider_names(&spec.providers);
    let names: Vec<String> = ["cognito", "google", "facebook", "amazon", "apple"]
        .into_iter()
        .filter(|name| *name == "cognito" || configured.contains(&crate::resolve::supported_provider_name(name)))
        .map(str::to_string)
        .chain(spec.providers.oidc.keys().cloned())
        .chain(spec.providers.saml.keys().cloned())
        .collect();
    for (index, provider) in oauth.providers.iter().enumerate() {
        if !names.contains(provider) {
            let diagnostic = Diagnostic::error(
                "cognito::unknown-provider",
                path.key("providers").index(index),
                format!("provider `{provider}` is not configured under [providers]"),
            );
            found.push(match did_you_mean(provider, names.iter().map(String::as_str)) {
                Some(close) => {
                    diagnostic.with_label(format!("did you mean `{close}`?")).with_help(format!("use `{close}`"))
                }
                None => {
                    diagnostic.with_help(format!("configure it under [providers], or use one of: {}", names.join(", ")))
                }
            });
        }
    }
    if has_browser_flow && spec.domain.is_none() {
        found.push(
            Diagnostic::warning(
                "cognito::oauth-domain",
                path.clone(),
                "this client uses the hosted UI but the pool has no [domain]",
            )
            .with_help("add [domain] with prefix = \"...\" or custom = \"auth.example.com\""),
        );
    }
}

/// Why Cognito would refuse a redirect URL.
fn redirect_url_problem(url: &str) -> Option<&'static str> {
    let Some((scheme, rest)) = url.split_once("://") else { return Some("is not an absolute URL") };
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
        return Some("has an invalid scheme");
    }
    if url.contains('#') {
        return Some("must not contain a fragment (#)");
    }
    if scheme.eq_ignore_ascii_case("http") {
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let host = match authority.strip_prefix('[') {
            Some(bracketed) => {
                bracketed.split(']').next().map_or("", |_| &authority[..authority.find(']').map_or(0, |end| end + 1)])
            }
            None => authority.split(':').next().unwrap_or(""),
        };
        if !matches!(host, "localhost" | "127.0.0.1" | "[::1]") {
            return Some("uses http, which Cognito only allows for localhost");
        }
    }
    if scheme.eq_ignore_ascii_case("https") && rest.split(['/', '?']).next().unwrap_or("").is_empty() {
        return Some("has no host");
    }
    None
}

fn check_scopes(spec: &Spec, oauth: &ClientOAuth, path: &KeyPath, found: &mut Vec<Diagnostic>) {
    let mut known: Vec<String> = STANDARD_SCOPES.iter().map(|scope| scope.to_string()).collect();
    for (identifier, server) in &spec.resource_servers {
        known.extend(server.scopes.keys().map(|scope| format!("{identifier}/{scope}")));
    }
    for (index, scope) in oauth.scopes.iter().enumerate() {
        if !known.contains(scope) {
            let diagnostic = Diagnostic::error(
                "cognito::unknown-scope",
                path.key("scopes").index(index),
                format!("scope `{scope}` does not exist"),
            );
            found.push(match did_you_mean(scope, known.iter().map(String::as_str)) {
                Some(close) => diagnostic.with_label(format!("did you mean `{close}`?")).with_help(format!("use `{close}`")),
                None => diagnostic.with_help("use a standard scope (openid, email, phone, profile, aws.cognito.signin.user.admin) or \"<resource server>/<scope>\" declared under [resource_servers]"),
            });
        }
    }
    let standard = oauth.scopes.iter().any(|scope| STANDARD_SCOPES.contains(&scope.as_str()) && scope != "openid");
    if standard && !oauth.scopes.iter().any(|scope| scope == "openid") {
        found.push(
            Diagnostic::error(
                "cognito::openid-scope",
                path.key("scopes"),
                "the email, phone and profile scopes need `openid`",
            )
            .with_help("add \"openid\" to scopes"),
        );
    }
}

fn check_domain(spec: &Spec, found: &mut Vec<Diagnostic>) {
    let Some(domain) = &spec.domain else { return };
    let path = KeyPath::of(&["domain"]);
    match (&domain.prefix, &domain.custom) {
        (Some(_), Some(_)) | (None, None) => found.push(
            Diagnostic::error("cognito::domain", path.clone(), "[domain] needs exactly one of `prefix` and `custom`")
                .with_help("use prefix = \"myapp-auth\" for <prefix>.auth.<region>.amazoncognito.com, or custom = \"auth.example.com\" with certificate_arn"),
        ),
        (Some(prefix), None) => {
            if let Some(problem) = prefix_problem(prefix) {
                found.push(
                    Diagnostic::error("cognito::domain-prefix", path.key("prefix"), format!("`{prefix}` {problem}"))
                        .with_help("use 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen, without \"aws\", \"amazon\" or \"cognito\""),
                );
            }
            if domain.certificate_arn.is_some() {
                found.push(
                    Diagnostic::error("cognito::domain", path.key("certificate_arn"), "a prefix domain does not take a certificate")
                        .with_help("remove certificate_arn, or use custom = \"auth.example.com\""),
                );
            }
        }
        (None, Some(custom)) => {
            if !custom.contains('.') || custom.starts_with('.') || custom.contains("://") {
                found.push(
                    Diagnostic::error("cognito::domain", path.key("custom"), format!("`{custom}` is not a domain name"))
                        .with_help("write the host name only, e.g. \"auth.example.com\""),
                );
            }
            match &domain.certificate_arn {
                None => found.push(
                    Diagnostic::error("cognito::domain-certificate", path.key("custom"), "a custom domain needs an ACM certificate")
                        .with_help("add certificate_arn = \"arn:aws:acm:us-east-1:<account>:certificate/<id>\" (the certificate must be in us-east-1)"),
                ),
                Some(certificate) => {
                    let in_us_east_1 = super::arn::parse(certificate).is_some_and(|arn| arn.service == "acm" && arn.region == "us-east-1" && arn.resource.starts_with("certificate/"));
                    if !in_us_east_1 {
                        found.push(
                            Diagnostic::error("cognito::domain-certificate", path.key("certificate_arn"), format!("`{certificate}` is not an ACM certificate in us-east-1"))
                                .with_help("Cognito custom domains use a certificate from ACM in us-east-1, whatever the pool's region"),
                        );
                    }
                }
            }
        }
    }
}

/// Why Cognito would refuse a domain prefix.
fn prefix_problem(prefix: &str) -> Option<&'static str> {
    if prefix.is_empty() || prefix.len() > 63 {
        return Some("must have 1 to 63 characters");
    }
    if !prefix.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Some("may only contain lowercase letters, digits and hyphens");
    }
    if prefix.starts_with('-') || prefix.ends_with('-') {
        return Some("must not start or end with a hyphen");
    }
    if ["aws", "amazon", "cognito"].iter().any(|reserved| prefix.contains(reserved)) {
        return Some("must not contain \"aws\", \"amazon\" or \"cognito\"");
    }
    None
}

fn check_resource_servers(spec: &Spec, found: &mut Vec<Diagnostic>) {
    for (identifier, server) in &spec.resource_servers {
        let path = KeyPath::of(&["resource_servers"]).key(identifier);
        if identifier.is_empty() || identifier.len() > 256 || identifier.chars().any(char::is_whitespace) {
            found.push(
                Diagnostic::error(
                    "cognito::resource-server",
                    path.clone(),
                    format!("`{identifier}` is not a valid resource server identifier"),
                )
                .at_key()
                .with_help("use 1 to 256 characters without spaces, often the API's URL"),
            );
        }
        if server.name.trim().is_empty() {
            found.push(
                Diagnostic::error("cognito::resource-server", path.key("name"), "the resource server needs a name")
                    .with_help("add name = \"My API\""),
            );
        }
        for scope in server.scopes.keys() {
            let valid = !scope.is_empty()
                && scope.len() <= 256
                && scope.chars().all(|c| c.is_ascii_graphic() && c != '"' && c != '/' && c != '\\');
            if !valid {
                found.push(
                    Diagnostic::error(
                        "cognito::scope-name",
                        path.key("scopes").key(scope),
                        format!("`{scope}` is not a valid scope name"),
                    )
                    .at_key()
                    .with_help("use printable characters without spaces, quotes, / or \\"),
                );
            }
        }
    }
}

/// Checks an attribute mapping: keys are attributes of the pool, and mapped attributes must be
/// mutable (Cognito rewrites them at every federated sign-in).
pub(super) fn check_mapping(spec: &Spec, mapping: &AttributeMapping, path: &KeyPath, found: &mut Vec<Diagnostic>) {
    let known = known_attribute_names(spec);
    for attribute in mapping.keys() {
        let entry = path.key(attribute);
        if attribute == "username" {
            continue;
        }
        if !known.contains(attribute) {
            found.push(unknown_attribute(entry, attribute, &known).at_key());
        } else if !is_mutable(spec, attribute) {
            found.push(
                Diagnostic::error(
                    "cognito::mapped-immutable",
                    entry,
                    format!("`{attribute}` is immutable, but attributes mapped from a provider must be mutable"),
                )
                .at_key()
                .with_help(format!("make `{attribute}` mutable, or remove the mapping")),
            );
        }
    }
}
