//! The hosted UI (OAuth 2.0 authorization code grant with PKCE, RFC 7636), its token endpoint,
//! the sign-out URL, and a loopback redirect listener for CLIs and desktop apps (RFC 8252 §7.3).
//!
//! URL building, PKCE and callback parsing are pure functions; the HTTP calls reuse the hyper +
//! rustls stack the AWS SDK already links.

use crate::client::AuthClient;
use crate::config::OAuthConfig;
use crate::error::AuthError;
use crate::events::AuthEvent;
use crate::flows::sign_in::AuthenticationResult;
use crate::secret::Secret;
use crate::tokens::Tokens;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use sha2::{Digest, Sha256};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An authorization request in flight: send the user to `url`, keep the rest for the callback.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    /// The hosted UI URL to open in a browser.
    pub url: String,
    /// The `state` the callback must carry back.
    pub state: String,
    /// The PKCE verifier (RFC 7636).
    pub code_verifier: Secret,
    /// The redirect URI the token request must repeat.
    pub redirect_uri: String,
}

/// PKCE S256: `BASE64URL(SHA256(verifier))`.
pub fn code_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn random_token(bytes: usize) -> Result<String, AuthError> {
    let mut buffer = vec![0u8; bytes];
    crate::srp::random_bytes(&mut buffer)?;
    Ok(URL_SAFE_NO_PAD.encode(buffer))
}

/// Builds the authorize URL for a client (pure apart from the random state and verifier).
pub fn authorize_request(
    oauth: &OAuthConfig,
    client_id: &str,
    redirect_uri: &str,
    provider: Option<&str>,
) -> Result<AuthorizeRequest, AuthError> {
    let state = random_token(16)?;
    let code_verifier = random_token(32)?;
    let mut url = url::Url::parse(&format!("{}/oauth2/authorize", oauth.base_url))
        .map_err(|error| AuthError::Configuration(format!("the hosted UI URL: {error}")))?;
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", &state)
            .append_pair("code_challenge", &code_challenge(&code_verifier))
            .append_pair("code_challenge_method", "S256");
        if !oauth.scopes.is_empty() {
            query.append_pair("scope", &oauth.scopes.join(" "));
        }
        if let Some(provider) = provider {
            query.append_pair("identity_provider", provider);
        }
    }
    Ok(AuthorizeRequest {
        url: url.into(),
        state,
        code_verifier: Secret::new(code_verifier),
        redirect_uri: redirect_uri.to_string(),
    })
}

/// Reads the code from the URL the hosted UI redirected to, checking `state`.
pub fn parse_callback(callback_url: &str, expected_state: &str) -> Result<String, AuthError> {
    let url = url::Url::parse(callback_url)
        .or_else(|_| url::Url::parse("http://127.0.0.1").and_then(|base| base.join(callback_url)))
        .map_err(|error| AuthError::OAuth { error: "invalid_request".into(), description: error.to_string() })?;
    let get = |name: &str| url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned());
    if let Some(error) = get("error") {
        return Err(AuthError::OAuth { error, description: get("error_description").unwrap_or_default() });
    }
    if get("state").as_deref() != Some(expected_state) {
        return Err(AuthError::OAuth {
            error: "invalid_state".into(),
            description: "the state does not match the request".into(),
        });
    }
    get("code").ok_or_else(|| AuthError::OAuth {
        error: "invalid_request".into(),
        description: "the callback has no code".into(),
    })
}

/// The hosted UI sign-out URL.
pub fn sign_out_url(oauth: &OAuthConfig, client_id: &str, logout_uri: &str) -> String {
    let mut url = url::Url::parse(&format!("{}/logout", oauth.base_url))
        .unwrap_or_else(|_| url::Url::parse("https://invalid.localhost/logout").expect("a constant URL"));
    url.query_pairs_mut().append_pair("client_id", client_id).append_pair("logout_uri", logout_uri);
    url.into()
}

/// A small HTTPS client for the OAuth endpoints.
pub(crate) struct HttpClient {
    client: hyper_util::client::legacy::Client<
        hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
        Full<Bytes>,
    >,
}

impl HttpClient {
    pub(crate) fn new() -> Result<HttpClient, AuthError> {
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::aws_lc_rs::default_provider())
            .map_err(|error| AuthError::Configuration(format!("TLS roots: {error}")))?
            .https_or_http()
            .enable_http1()
            .build();
        let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
        Ok(HttpClient { client })
    }

    /// `GET url` (the pool's JWKS, for [`crate::verify`]).
    pub(crate) async fn get(&self, url: &str) -> Result<(u16, Vec<u8>), AuthError> {
        let request = http::Request::get(url)
            .body(Full::new(Bytes::new()))
            .map_err(|error| AuthError::Configuration(format!("the URL {url}: {error}")))?;
        self.send(request).await
    }

    async fn post_form(
        &self,
        url: &str,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> Result<(u16, Vec<u8>), AuthError> {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        let mut request = http::Request::post(url).header("content-type", "application/x-www-form-urlencoded");
        if let Some((id, secret)) = basic {
            request = request.header(
                "authorization",
                format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))),
            );
        }
        let request = request
            .body(Full::new(Bytes::from(body)))
            .map_err(|error| AuthError::Configuration(format!("the OAuth URL: {error}")))?;
        self.send(request).await
    }

    async fn send(&self, request: http::Request<Full<Bytes>>) -> Result<(u16, Vec<u8>), AuthError> {
        let url = request.uri().to_string();
        let response = tokio::time::timeout(Duration::from_secs(30), self.client.request(request))
            .await
            .map_err(|_| AuthError::Network(format!("{url} did not answer in 30 s")))?
            .map_err(|error| AuthError::Network(format!("{url}: {error}")))?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|error| AuthError::Network(format!("reading the answer of {url}: {error}")))?
            .to_bytes();
        Ok((status, body.to_vec()))
    }
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<i64>,
    error: Option<String>,
    error_description: Option<String>,
}

impl AuthClient {
    fn oauth_config(&self) -> Result<&OAuthConfig, AuthError> {
        self.inner
            .config
            .oauth
            .as_ref()
            .ok_or_else(|| AuthError::Configuration("no hosted UI (oauth) is configured".into()))
    }

    /// Starts a hosted UI sign-in: open the returned URL in a browser (optionally straight to one
    /// identity provider: `Google`, `Facebook`, `LoginWithAmazon`, `SignInWithApple`, or a
    /// provider name of the pool).
    pub fn authorize_url(&self, redirect_uri: &str, provider: Option<&str>) -> Result<AuthorizeRequest, AuthError> {
        let oauth = self.oauth_config()?;
        if !oauth.redirect_sign_in.is_empty() && !oauth.redirect_sign_in.iter().any(|allowed| allowed == redirect_uri) {
            return Err(AuthError::Configuration(format!("{redirect_uri} is not one of the configured callback URLs")));
        }
        authorize_request(oauth, &self.inner.config.client_id, redirect_uri, provider)
    }

    /// Finishes a hosted UI sign-in with the URL the browser was redirected to.
    pub async fn handle_redirect(&self, request: &AuthorizeRequest, callback_url: &str) -> Result<(), AuthError> {
        let result = self.handle_redirect_inner(request, callback_url).await;
        match &result {
            Ok(()) => self.inner.events.emit(AuthEvent::SignInWithRedirect),
            Err(error) => self.inner.events.emit(AuthEvent::SignInWithRedirectFailure(error.clone())),
        }
        result
    }

    async fn handle_redirect_inner(&self, request: &AuthorizeRequest, callback_url: &str) -> Result<(), AuthError> {
        let code = parse_callback(callback_url, &request.state)?;
        let tokens = self
            .token_request(&[
                ("grant_type", "authorization_code"),
                ("client_id", &self.inner.config.client_id),
                ("code", &code),
                ("redirect_uri", &request.redirect_uri),
                ("code_verifier", request.code_verifier.expose()),
            ])
            .await?;
        let (Some(id_token), Some(access_token)) = (tokens.id_token, tokens.access_token) else {
            return Err(AuthError::InvalidResponse(
                "the token endpoint returned no ID or access token (is `openid` in the scopes?)".into(),
            ));
        };
        let result = AuthenticationResult {
            id_token: Secret::new(id_token),
            access_token: Secret::new(access_token),
            refresh_token: tokens.refresh_token.map(Secret::new),
            expires_in: tokens.expires_in,
            new_device: None,
        };
        self.complete_sign_in(result, "", true).await
    }

    async fn token_request(&self, form: &[(&str, &str)]) -> Result<TokenResponse, AuthError> {
        let url = format!("{}/oauth2/token", self.oauth_config()?.base_url);
        let secret = self
            .inner
            .config
            .client_secret
            .as_ref()
            .map(|secret| (self.inner.config.client_id.as_str(), secret.expose()));
        let (status, body) = self.inner.http.post_form(&url, form, secret).await?;
        let parsed: TokenResponse = serde_json::from_slice(&body)
            .map_err(|_| AuthError::InvalidResponse(format!("the token endpoint answered {status} with no JSON")))?;
        if let Some(error) = parsed.error.clone() {
            return Err(match error.as_str() {
                "invalid_grant" => AuthError::NotAuthorized(parsed.error_description.unwrap_or(error)),
                _ => AuthError::OAuth { error, description: parsed.error_description.unwrap_or_default() },
            });
        }
        if status != 200 {
            return Err(AuthError::OAuth { error: format!("http_{status}"), description: String::new() });
        }
        Ok(parsed)
    }

    /// Refreshes hosted UI tokens through the token endpoint.
    pub(crate) async fn oauth_refresh(&self, refresh_token: &Secret) -> Result<Tokens, AuthError> {
        let response = self
            .token_request(&[
                ("grant_type", "refresh_token"),
                ("client_id", &self.inner.config.client_id),
                ("refresh_token", refresh_token.expose()),
            ])
            .await?;
        let (Some(id_token), Some(access_token)) = (response.id_token, response.access_token) else {
            return Err(AuthError::InvalidResponse("the token endpoint returned no tokens".into()));
        };
        let mut tokens =
            Tokens::from_jwts(id_token, access_token, response.refresh_token, response.expires_in, self.now())?;
        tokens.hosted_ui = true;
        Ok(tokens)
    }

    /// The hosted UI sign-out URL for a configured sign-out URL (the first by default).
    pub fn sign_out_url(&self, logout_uri: Option<&str>) -> Result<String, AuthError> {
        let oauth = self.oauth_config()?;
        let logout_uri = logout_uri
            .or_else(|| oauth.redirect_sign_out.first().map(String::as_str))
            .ok_or_else(|| AuthError::Configuration("no sign-out URL is configured".into()))?;
        Ok(sign_out_url(oauth, &self.inner.config.client_id, logout_uri))
    }

    /// The whole hosted UI sign-in for a CLI or desktop app: listens on the loopback callback URL
    /// (`http://127.0.0.1:PORT/path` or `http://localhost:PORT/path`, one of the client's callback
    /// URLs), hands the authorize URL to `open` (open a browser with it), waits up to `timeout` for
    /// the redirect, and exchanges the code.
    pub async fn sign_in_with_redirect<F>(
        &self,
        redirect_uri: &str,
        provider: Option<&str>,
        timeout: Duration,
        open: F,
    ) -> Result<(), AuthError>
    where
        F: FnOnce(&str) -> Result<(), AuthError>,
    {
        let listener = LoopbackListener::bind(redirect_uri).await?;
        let request = self.authorize_url(redirect_uri, provider)?;
        open(&request.url)?;
        let callback = tokio::time::timeout(timeout, listener.accept_callback()).await.map_err(|_| {
            AuthError::OAuth { error: "timeout".into(), description: "no redirect came back in time".into() }
        })??;
        self.handle_redirect(&request, &callback).await
    }
}

/// A one-shot HTTP listener on a loopback redirect URI.
pub struct LoopbackListener {
    listener: tokio::net::TcpListener,
    path: String,
}

impl LoopbackListener {
    /// Binds the host and port of `redirect_uri`, which must be a loopback `http` URL.
    pub async fn bind(redirect_uri: &str) -> Result<LoopbackListener, AuthError> {
        let url = url::Url::parse(redirect_uri)
            .map_err(|error| AuthError::Configuration(format!("{redirect_uri}: {error}")))?;
        let host = match url.host_str() {
            Some("localhost") | Some("127.0.0.1") => "127.0.0.1",
            Some("[::1]") => "[::1]",
            _ => return Err(AuthError::Configuration(format!("{redirect_uri} is not a loopback URL"))),
        };
        if url.scheme() != "http" {
            return Err(AuthError::Configuration(format!("{redirect_uri} must use http on loopback (RFC 8252)")));
        }
        let port = url.port().unwrap_or(80);
        let listener = tokio::net::TcpListener::bind(format!("{host}:{port}"))
            .await
            .map_err(|error| AuthError::Configuration(format!("cannot listen on {host}:{port}: {error}")))?;
        Ok(LoopbackListener { listener, path: url.path().to_string() })
    }

    /// Waits for the browser's request to the redirect path; answers it with a page telling the
    /// user to return to the app, and returns the request's path and query.
    pub async fn accept_callback(&self) -> Result<String, AuthError> {
        loop {
            let (mut stream, _) =
                self.listener.accept().await.map_err(|error| AuthError::Network(error.to_string()))?;
            let mut buffer = Vec::with_capacity(2048);
            let mut chunk = [0u8; 1024];
            while !buffer.windows(4).any(|window| window == b"\r\n\r\n") && buffer.len() < 16 * 1024 {
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => buffer.extend_from_slice(&chunk[..read]),
                }
            }
            let text = String::from_utf8_lossy(&buffer);
            let target = text.lines().next().and_then(|line| {
                let mut parts = line.split(' ');
                match (parts.next(), parts.next()) {
                    (Some("GET"), Some(target)) => Some(target.to_string()),
                    _ => None,
                }
            });
            let matches = target.as_deref().is_some_and(|target| target.split('?').next() == Some(self.path.as_str()));
            let (status, body) = if matches {
                (
                    "200 OK",
                    "<!doctype html><title>Signed in</title><p>You can close this window and return to the app.</p>",
                )
            } else {
                ("404 Not Found", "not found")
            };
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
            if matches && let Some(target) = target {
                return Ok(target);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oauth() -> OAuthConfig {
        OAuthConfig {
            base_url: "https://app.auth.us-east-1.amazoncognito.com".into(),
            scopes: vec!["openid".into(), "email".into()],
            redirect_sign_in: vec!["http://127.0.0.1:8765/callback".into()],
            redirect_sign_out: vec!["http://127.0.0.1:8765/bye".into()],
        }
    }

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn authorize_url_carries_pkce_state_scopes_and_provider() {
        let request = authorize_request(&oauth(), "client1", "http://127.0.0.1:8765/callback", Some("Google")).unwrap();
        let url = url::Url::parse(&request.url).unwrap();
        assert_eq!(url.path(), "/oauth2/authorize");
        let query: std::collections::BTreeMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["client_id"], "client1");
        assert_eq!(query["scope"], "openid email");
        assert_eq!(query["identity_provider"], "Google");
        assert_eq!(query["state"], request.state);
        assert_eq!(query["code_challenge"], code_challenge(request.code_verifier.expose()));
        assert_eq!(query["code_challenge_method"], "S256");
        assert!(request.code_verifier.expose().len() >= 43);
        let other = authorize_request(&oauth(), "client1", "http://127.0.0.1:8765/callback", None).unwrap();
        assert_ne!(other.state, request.state);
        assert!(!other.url.contains("identity_provider"));
    }

    #[test]
    fn callback_parsing_checks_state_and_errors() {
        assert_eq!(parse_callback("http://127.0.0.1:8765/callback?code=abc&state=s1", "s1").unwrap(), "abc");
        assert_eq!(parse_callback("/callback?code=abc&state=s1", "s1").unwrap(), "abc");
        assert!(
            matches!(parse_callback("/callback?code=abc&state=other", "s1"), Err(AuthError::OAuth { error, .. }) if error == "invalid_state")
        );
        assert!(matches!(
            parse_callback("/callback?error=access_denied&error_description=no&state=s1", "s1"),
            Err(AuthError::OAuth { error, description }) if error == "access_denied" && description == "no"
        ));
        assert!(parse_callback("/callback?state=s1", "s1").is_err());
    }

    #[test]
    fn sign_out_url_names_client_and_logout_uri() {
        let url = sign_out_url(&oauth(), "client1", "http://127.0.0.1:8765/bye");
        assert_eq!(
            url,
            "https://app.auth.us-east-1.amazoncognito.com/logout?client_id=client1&logout_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fbye"
        );
    }

    #[tokio::test]
    async fn loopback_listener_returns_the_callback_and_ignores_other_paths() {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        let listener = LoopbackListener::bind(&format!("http://127.0.0.1:{port}/callback")).await.unwrap();
        let browser = tokio::spawn(async move {
            for path in ["/favicon.ico", "/callback?code=c&state=s"] {
                let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
                stream.write_all(format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes()).await.unwrap();
                let mut answer = String::new();
                stream.read_to_string(&mut answer).await.unwrap();
                assert!(
                    answer.starts_with(if path.starts_with("/callback") { "HTTP/1.1 200" } else { "HTTP/1.1 404" }),
                    "{answer}"
                );
            }
        });
        assert_eq!(listener.accept_callback().await.unwrap(), "/callback?code=c&state=s");
        browser.await.unwrap();
        assert!(LoopbackListener::bind("http://example.com/callback").await.is_err());
    }
}
