//! The SRP client step of a sign-in: draw `a`, compute `A`, then the session key from the
//! server's `B` and salt, and sign the secret block. The inputs are the cross-check vectors
//! (tests/crosscheck/vectors.json), so the JS and Python scripts there time the same work:
//! `node tests/crosscheck/srp.js 20 < tests/crosscheck/vectors.json` and
//! `tests/crosscheck/.venv/bin/python tests/crosscheck/srp.py 20 < tests/crosscheck/vectors.json`.

use auth_client::srp::{SrpClient, timestamp};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::SystemTime;

fn vectors() -> serde_json::Value {
    serde_json::from_str(include_str!("../tests/crosscheck/vectors.json")).unwrap()
}

fn srp(c: &mut Criterion) {
    let v = vectors();
    let s = |name: &str| v[name].as_str().unwrap().to_string();
    let (pool, user, password, b, salt, block) =
        (s("pool_name"), s("user_id"), s("password"), s("srp_b"), s("salt"), s("secret_block"));
    let mut group = c.benchmark_group("srp");
    group.sample_size(30);
    group.bench_function("full client step (new a, A, key, signature)", |bench| {
        bench.iter(|| {
            let client = SrpClient::new().unwrap();
            let key = client.password_key(&pool, &user, &password, &b, &salt).unwrap();
            black_box(key.sign(&pool, &user, &block, &timestamp(SystemTime::now())).unwrap())
        })
    });
    group.bench_function("A = g^a only", |bench| bench.iter(|| black_box(SrpClient::new().unwrap().public_a_hex())));
    let client = SrpClient::new().unwrap();
    group.bench_function("key and signature (A precomputed)", |bench| {
        bench.iter(|| {
            let key = client.password_key(&pool, &user, &password, &b, &salt).unwrap();
            black_box(key.sign(&pool, &user, &block, "Tue Sep 3 04:05:06 UTC 2024").unwrap())
        })
    });
    group.finish();
}

criterion_group!(benches, srp);
criterion_main!(benches);
