//! Cognito's SRP-6a (3072-bit group of RFC 5054 / RFC 3526, g = 2, SHA-256), the maths only.
//!
//! Nothing here does I/O or reads a clock: the caller passes the random bytes (through
//! [`SrpClient::new`], which draws them from the OS, or [`SrpClient::from_secret`] in tests) and the
//! time of the signature. The encodings follow amazon-cognito-identity-js, which Cognito's server
//! side mirrors: integers are hashed in their "padded hex" form (big-endian, a leading zero byte when
//! the top bit is set), `x = H(salt | H(pool_name | user_id | ":" | password))`, the session key is
//! HKDF-SHA256 over `S` with `u` as salt and `"Caldera Derived Key"` as info, cut to 16 bytes.
//!
//! The same maths serves device authentication (`DEVICE_SRP_AUTH`): the device group key takes the
//! pool name's place and the device key the user id's, see [`DeviceVerifier`].

use crate::secret::Secret;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use num_bigint::BigUint;
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::OnceLock;
use std::time::SystemTime;

/// The 3072-bit prime of RFC 3526 §4 that Cognito uses.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// Size of the secret exponent `a` in bytes: 256 bits, the private-key size NIST SP 800-56A
/// gives a 3072-bit finite-field group (128-bit security), and RFC 5054's "at least 256 bits".
/// amazon-cognito-identity-js and pycognito draw 1024 bits; the server cannot tell the
/// difference, and the shorter exponent makes `A = g^a` and `S` about 2.5 times cheaper.
/// [`SrpClient::from_secret`] accepts any length (the cross-check vectors use 1024 bits).
pub const SECRET_LEN: usize = 32;

/// Why an SRP step cannot be computed. Each one means the server's values are unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SrpError {
    /// `B % N == 0`: a malicious or broken server; continuing would fix the session key.
    #[error("the server's SRP_B is zero modulo N")]
    InvalidServerB,
    /// `u == 0`: the key would not depend on the password.
    #[error("the SRP scrambling parameter u is zero")]
    InvalidU,
    /// A challenge parameter is not the hex or base64 it should be.
    #[error("the challenge parameter {0} is malformed")]
    Malformed(&'static str),
    /// The operating system's random source failed.
    #[error("no randomness available: {0}")]
    Random(String),
}

struct Group {
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("N_HEX is valid hex");
        let g = BigUint::from(2u32);
        let k = BigUint::from_bytes_be(&sha256(&[&pad(&n), &pad(&g)]));
        Group { n, g, k }
    })
}

/// The big-endian bytes of `x` as amazon-cognito-identity-js's `padHex` writes them: a leading
/// zero byte when the top bit is set, so the value reads as positive.
fn pad(x: &BigUint) -> Vec<u8> {
    let bytes = x.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        let mut padded = Vec::with_capacity(bytes.len() + 1);
        padded.push(0);
        padded.extend_from_slice(&bytes);
        padded
    } else {
        bytes
    }
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

fn parse_hex(name: &'static str, hex: &str) -> Result<BigUint, SrpError> {
    if hex.is_empty() {
        return Err(SrpError::Malformed(name));
    }
    BigUint::parse_bytes(hex.as_bytes(), 16).ok_or(SrpError::Malformed(name))
}

/// Fills `buf` from the operating system's random source.
pub(crate) fn random_bytes(buf: &mut [u8]) -> Result<(), SrpError> {
    getrandom::fill(buf).map_err(|error| SrpError::Random(error.to_string()))
}

/// The client's half of one SRP exchange: the secret `a` and the public `A = g^a mod N`.
#[derive(Clone)]
pub struct SrpClient {
    a: BigUint,
    big_a: BigUint,
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpClient").field("a", &"<redacted>").field("A", &self.public_a_hex()).finish()
    }
}

impl SrpClient {
    /// A fresh exchange with `a` drawn from the operating system.
    pub fn new() -> Result<SrpClient, SrpError> {
        let mut secret = [0u8; SECRET_LEN];
        random_bytes(&mut secret)?;
        Ok(SrpClient::from_secret(&secret))
    }

    /// An exchange with a given `a` (big-endian bytes): for test vectors only.
    pub fn from_secret(a: &[u8]) -> SrpClient {
        let group = group();
        let a = BigUint::from_bytes_be(a) % &group.n;
        let big_a = group.g.modpow(&a, &group.n);
        SrpClient { a, big_a }
    }

    /// `SRP_A` as Cognito expects it: lowercase hex without padding.
    pub fn public_a_hex(&self) -> String {
        self.big_a.to_str_radix(16)
    }

    /// The 16-byte session key for a user (`USER_ID_FOR_SRP`) of a pool (the part of the pool id
    /// after `_`), from the server's `SRP_B` and `SALT` (hex).
    pub fn password_key(
        &self,
        pool_name: &str,
        user_id: &str,
        password: &str,
        srp_b_hex: &str,
        salt_hex: &str,
    ) -> Result<PasswordKey, SrpError> {
        let group = group();
        let big_b = parse_hex("SRP_B", srp_b_hex)?;
        let salt = parse_hex("SALT", salt_hex)?;
        if (&big_b % &group.n) == BigUint::ZERO {
            return Err(SrpError::InvalidServerB);
        }
        let u = BigUint::from_bytes_be(&sha256(&[&pad(&self.big_a), &pad(&big_b)]));
        if u == BigUint::ZERO {
            return Err(SrpError::InvalidU);
        }
        let identity = sha256(&[pool_name.as_bytes(), user_id.as_bytes(), b":", password.as_bytes()]);
        let x = BigUint::from_bytes_be(&sha256(&[&pad(&salt), &identity]));
        // S = (B - k * g^x) ^ (a + u * x) mod N, with the base brought into [0, N).
        let kgx = (&group.k * group.g.modpow(&x, &group.n)) % &group.n;
        let base = ((&big_b % &group.n) + &group.n - kgx) % &group.n;
        let exponent = &self.a + &u * &x;
        let s = base.modpow(&exponent, &group.n);
        let prk = hmac_sha256(&pad(&u), &[&pad(&s)]);
        let okm = hmac_sha256(&prk, &[b"Caldera Derived Key", &[1u8]]);
        let mut key = [0u8; 16];
        key.copy_from_slice(&okm[..16]);
        Ok(PasswordKey(key))
    }
}

/// The session key HKDF derives from `S`; only ever used to sign the secret block.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordKey([u8; 16]);

impl fmt::Debug for PasswordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordKey(<redacted>)")
    }
}

impl PasswordKey {
    /// `PASSWORD_CLAIM_SIGNATURE`: base64 of HMAC-SHA256(key, pool_name | user_id | secret_block |
    /// timestamp), where `secret_block` is the challenge's `SECRET_BLOCK` (base64) decoded.
    pub fn sign(
        &self,
        pool_name: &str,
        user_id: &str,
        secret_block_b64: &str,
        timestamp: &str,
    ) -> Result<String, SrpError> {
        let secret_block = BASE64.decode(secret_block_b64).map_err(|_| SrpError::Malformed("SECRET_BLOCK"))?;
        let mac =
            hmac_sha256(&self.0, &[pool_name.as_bytes(), user_id.as_bytes(), &secret_block, timestamp.as_bytes()]);
        Ok(BASE64.encode(mac))
    }

    /// The raw key bytes, for vectors.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

/// `TIMESTAMP` in the format Cognito checks: `Tue Sep 3 04:05:06 UTC 2024` (day not padded).
pub fn timestamp(now: SystemTime) -> String {
    use aws_sdk_cognitoidentityprovider::primitives::{DateTime, DateTimeFormat};
    // HTTP-date is `Tue, 03 Sep 2024 04:05:06 GMT`: the same fields in another order.
    let http = DateTime::from(now).fmt(DateTimeFormat::HttpDate).unwrap_or_default();
    let fields: Vec<&str> = http.split([' ', ',']).filter(|field| !field.is_empty()).collect();
    match fields.as_slice() {
        [weekday, day, month, year, time, _gmt] => {
            let day = day.trim_start_matches('0');
            format!("{weekday} {month} {day} {time} UTC {year}")
        }
        _ => String::new(),
    }
}

/// The pool name SRP hashes: the part of `region_id` after the underscore.
pub fn pool_name(user_pool_id: &str) -> &str {
    user_pool_id.split_once('_').map(|(_, name)| name).unwrap_or(user_pool_id)
}

/// `SECRET_HASH`: base64 of HMAC-SHA256(client_secret, username | client_id).
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    BASE64.encode(hmac_sha256(client_secret.as_bytes(), &[username.as_bytes(), client_id.as_bytes()]))
}

/// A device's SRP credentials, made when the device is confirmed (`ConfirmDevice`): the random
/// password stays on the device (in the token store), the salt and verifier go to Cognito.
#[derive(Clone, Debug)]
pub struct DeviceVerifier {
    /// The device's random password, base64 of 40 random bytes.
    pub password: Secret,
    /// `DeviceSecretVerifierConfig.Salt`: base64 of the padded salt.
    pub salt_b64: String,
    /// `DeviceSecretVerifierConfig.PasswordVerifier`: base64 of the padded `g^x mod N`.
    pub verifier_b64: String,
}

impl DeviceVerifier {
    /// New credentials for a device, from the operating system's randomness.
    pub fn generate(device_group_key: &str, device_key: &str) -> Result<DeviceVerifier, SrpError> {
        let mut password = [0u8; 40];
        let mut salt = [0u8; 16];
        random_bytes(&mut password)?;
        random_bytes(&mut salt)?;
        Ok(DeviceVerifier::from_parts(device_group_key, device_key, &BASE64.encode(password), &salt))
    }

    /// The credentials for a given password and salt: for vectors.
    pub fn from_parts(device_group_key: &str, device_key: &str, password: &str, salt: &[u8]) -> DeviceVerifier {
        let group = group();
        let salt = pad(&BigUint::from_bytes_be(salt));
        let identity = sha256(&[device_group_key.as_bytes(), device_key.as_bytes(), b":", password.as_bytes()]);
        let x = BigUint::from_bytes_be(&sha256(&[&salt, &identity]));
        let verifier = group.g.modpow(&x, &group.n);
        DeviceVerifier {
            password: Secret::new(password),
            salt_b64: BASE64.encode(&salt),
            verifier_b64: BASE64.encode(pad(&verifier)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    /// Inputs shared with the cross-check scripts (tests/crosscheck), and the outputs that
    /// amazon-cognito-identity-js 6.3 and pycognito 2024.5 compute from them.
    fn vectors() -> serde_json::Value {
        serde_json::from_str(include_str!("../tests/crosscheck/vectors.json")).unwrap()
    }

    #[test]
    fn fixed_inputs_give_the_known_signature() {
        let v = vectors();
        let s = |name: &str| v[name].as_str().unwrap().to_string();
        let a: Vec<u8> =
            (0..s("a").len()).step_by(2).map(|i| u8::from_str_radix(&s("a")[i..i + 2], 16).unwrap()).collect();
        let client = SrpClient::from_secret(&a);
        let public_a = client.public_a_hex();
        assert!(public_a.starts_with("7a634810ce1857d5ba7a1581d18ac86bc60958e4"), "{public_a}");
        assert!(public_a.ends_with("72af6cb28bfb69dc7c473a5"), "{public_a}");
        let key = client.password_key(&s("pool_name"), &s("user_id"), &s("password"), &s("srp_b"), &s("salt")).unwrap();
        let hex: String = key.as_bytes().iter().map(|byte| format!("{byte:02x}")).collect();
        assert_eq!(hex, "a1ce3263ac1399e44bce7f479eae9f99");
        let signature = key.sign(&s("pool_name"), &s("user_id"), &s("secret_block"), &s("timestamp")).unwrap();
        assert_eq!(signature, "cI1pIGht0jZUwhcwGh9ZnlDuMXKQPl1gwCn/wqQJyLk=");
        // A different password, timestamp or secret block changes the signature.
        let wrong = client.password_key(&s("pool_name"), &s("user_id"), "wrong", &s("srp_b"), &s("salt")).unwrap();
        assert_ne!(wrong.sign(&s("pool_name"), &s("user_id"), &s("secret_block"), &s("timestamp")).unwrap(), signature);
        assert_ne!(
            key.sign(&s("pool_name"), &s("user_id"), &s("secret_block"), "Tue Sep 3 04:05:07 UTC 2024").unwrap(),
            signature
        );
    }

    #[test]
    fn fixed_device_inputs_give_the_known_verifier_and_signature() {
        let v = vectors();
        let s = |name: &str| v[name].as_str().unwrap().to_string();
        let salt: Vec<u8> =
            (0..32).step_by(2).map(|i| u8::from_str_radix(&s("device_salt")[i..i + 2], 16).unwrap()).collect();
        let device = DeviceVerifier::from_parts(&s("device_group_key"), &s("device_key"), &s("device_password"), &salt);
        assert_eq!(device.salt_b64, "AO3JGSBCGtfwbC3xHSlNyUE=");
        assert_eq!(
            device.verifier_b64,
            concat!(
                "cQbu5CPvQ0siCdH7OGr0Kec3ujpO13YFEsTIDAiWfbjAImJIS/0qpCBtWxBAnYZOlegJ5qMUxSXVjDYVKozG56q/",
                "ZleNKzlEL5mIep8OhKzRx9Z0dxCM0RJzEm89sHndXONruKBz3AKq3LAN5MKL9BPCuygxBXkpyU3uWj0i7kYH6sIG",
                "pa/Ya6F9e819nJGp9IAKGPzMxhWZW57LmYwpyQU/xW/tp7FwBUujSNw9weHCs21Fnv08k8cJ5DQWAVzAdfINcs4o",
                "BWTaGQJIkiIXCGPJdslBe4OKavMKGR9zmOwMfTQFnKQxrSdOcmQ7K3tLwj5PyQrA4zK7wfXEVLoJjfMtRJegXBLI",
                "mYm8khva2Hoz48zs/X2lyuX3KJcqrUV7lXC5QzioPcR3uzrpGh4hw8aeKqEe9h8SW3xrVVg20WLtS8fZaoMS5MgQ",
                "DbBgzyVuGfhZj4fk9jggsy1cVSnYmKv8pI0OIHMtq4c4g8sXNPgLlmZA8NQWT8DP/wR4RawC",
            )
        );
        let a: Vec<u8> =
            (0..s("a").len()).step_by(2).map(|i| u8::from_str_radix(&s("a")[i..i + 2], 16).unwrap()).collect();
        let client = SrpClient::from_secret(&a);
        let key = client
            .password_key(&s("device_group_key"), &s("device_key"), &s("device_password"), &s("srp_b"), &s("salt"))
            .unwrap();
        let signature =
            key.sign(&s("device_group_key"), &s("device_key"), &s("secret_block"), &s("timestamp")).unwrap();
        assert_eq!(signature, "uQE4be0W9AZzEdhRusMzJg0qzwy5BOeVR87dpT62jks=");
    }

    #[test]
    fn k_matches_the_published_value() {
        // k = H(pad(N) | pad(g)) as amazon-cognito-identity-js and pycognito compute it.
        assert_eq!(group().k.to_str_radix(16), "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6");
    }

    #[test]
    fn pad_adds_a_zero_byte_only_when_the_top_bit_is_set() {
        assert_eq!(pad(&BigUint::from(0x7fu32)), vec![0x7f]);
        assert_eq!(pad(&BigUint::from(0x80u32)), vec![0x00, 0x80]);
        assert_eq!(pad(&BigUint::ZERO), vec![0x00]);
    }

    #[test]
    fn timestamp_has_an_unpadded_day() {
        // 2024-09-03T04:05:06Z was a Tuesday.
        let at = UNIX_EPOCH + Duration::from_secs(1_725_336_306);
        assert_eq!(timestamp(at), "Tue Sep 3 04:05:06 UTC 2024");
        let at = UNIX_EPOCH + Duration::from_secs(1_734_567_890);
        assert_eq!(timestamp(at), "Thu Dec 19 00:24:50 UTC 2024");
    }

    #[test]
    fn pool_name_is_the_part_after_the_region() {
        assert_eq!(pool_name("us-east-1_AbCdEf123"), "AbCdEf123");
    }

    #[test]
    fn secret_hash_matches_a_known_value() {
        // HMAC-SHA256("secret", "alice" | "client") computed with Python's hmac module.
        assert_eq!(secret_hash("secret", "alice", "client"), "RTsve+FQ659UKyESgvLg9GYmZEL+QjzQsW/OjL77/b0=");
    }

    #[test]
    fn rejects_b_zero_mod_n() {
        let client = SrpClient::from_secret(&[7u8; 32]);
        let error = client.password_key("pool", "user", "pw", "0", "ab").unwrap_err();
        assert_eq!(error, SrpError::InvalidServerB);
        let error = client.password_key("pool", "user", "pw", N_HEX, "ab").unwrap_err();
        assert_eq!(error, SrpError::InvalidServerB);
        let n_times_3 = (&group().n * 3u32).to_str_radix(16);
        assert_eq!(client.password_key("pool", "user", "pw", &n_times_3, "ab").unwrap_err(), SrpError::InvalidServerB);
    }

    #[test]
    fn rejects_malformed_parameters() {
        let client = SrpClient::from_secret(&[7u8; 32]);
        assert_eq!(client.password_key("p", "u", "pw", "zz", "ab").unwrap_err(), SrpError::Malformed("SRP_B"));
        assert_eq!(client.password_key("p", "u", "pw", "ab", "").unwrap_err(), SrpError::Malformed("SALT"));
        let key = client.password_key("p", "u", "pw", "ab", "cd").unwrap();
        assert_eq!(key.sign("p", "u", "***", "t").unwrap_err(), SrpError::Malformed("SECRET_BLOCK"));
    }

    #[test]
    fn debug_redacts_a() {
        let client = SrpClient::from_secret(&[0x42u8; 16]);
        let printed = format!("{client:?}");
        assert!(printed.contains("<redacted>"));
        assert!(!printed.contains(&BigUint::from_bytes_be(&[0x42u8; 16]).to_str_radix(16)));
    }
}
