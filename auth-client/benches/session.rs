//! `current_session()` with valid cached tokens: the hot path (a read lock, a clock read and an
//! `Arc` clone; no I/O, no allocation).

use auth_client::{AuthClient, AuthConfig, FileStorage, KeyValueStorage, MemoryStorage, Tokens};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

fn jwt(claims: serde_json::Value) -> String {
    format!("{}.{}.sig", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#), URL_SAFE_NO_PAD.encode(claims.to_string()))
}

fn session(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let exp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 24 * 3600;
    let tokens = Tokens::from_jwts(
        jwt(serde_json::json!({"cognito:username": "bench", "exp": exp})),
        jwt(serde_json::json!({"username": "bench", "exp": exp})),
        Some("refresh".into()),
        None,
        SystemTime::now(),
    )
    .unwrap();
    let config = AuthConfig::new("us-east-1", "us-east-1_Bench", "client");
    let storage = Arc::new(MemoryStorage::new());
    let client = runtime.block_on(async {
        storage
            .set("CognitoIdentityServiceProvider.client.session", serde_json::to_string(&tokens).unwrap())
            .await
            .unwrap();
        // Nothing is sent: the endpoint is never contacted while the tokens are valid.
        AuthClient::builder(config.with_endpoint_url("http://127.0.0.1:9")).storage(storage).build().await.unwrap()
    });
    let _ = FileStorage::new("unused");
    let mut group = c.benchmark_group("session");
    group.throughput(Throughput::Elements(1));
    group.bench_function("current_session (valid cached tokens)", |bench| {
        bench.iter(|| runtime.block_on(async { black_box(client.current_session().await.unwrap()) }))
    });
    group.finish();
}

criterion_group!(benches, session);
criterion_main!(benches);
