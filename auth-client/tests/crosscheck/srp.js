// The SRP client step of amazon-cognito-identity-js, run with fixed inputs (JSON on stdin).
// Prints {A, key, signature, device_verifier, device_key_signature} as JSON; with a number as
// the first argument, instead times that many full client steps (a fresh `a`, A, key, signature)
// and prints {per_step_ms}.
'use strict';
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper').default;
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger').default;
const { Sha256 } = require('@aws-crypto/sha256-js');

function largeA(helper, aHex) {
  if (aHex !== undefined) {
    helper.smallAValue = new BigInteger(aHex, 16);
    helper.largeAValue = undefined;
  }
  let A;
  helper.getLargeAValue((err, value) => { if (err) throw err; A = value; });
  return A;
}

function key(helper, userId, password, bHex, saltHex) {
  let out;
  helper.getPasswordAuthenticationKey(userId, password, new BigInteger(bHex, 16), new BigInteger(saltHex, 16),
    (err, hkdf) => { if (err) throw err; out = hkdf; });
  return out;
}

function sign(hkdf, poolName, userId, secretBlock, timestamp) {
  const message = Buffer.concat([
    Buffer.from(poolName, 'utf8'), Buffer.from(userId, 'utf8'),
    Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8'),
  ]);
  const mac = new Sha256(hkdf);
  mac.update(message);
  return Buffer.from(mac.digestSync()).toString('base64');
}

function run(input) {
  const helper = new AuthenticationHelper(input.pool_name);
  const A = largeA(helper, input.a);
  const hkdf = key(helper, input.user_id, input.password, input.srp_b, input.salt);
  const signature = sign(hkdf, input.pool_name, input.user_id, input.secret_block, input.timestamp);

  // ConfirmDevice's verifier, from generateHashDevice's formula with a fixed password and salt.
  const device = new AuthenticationHelper(input.device_group_key);
  const salt = device.padHex(new BigInteger(input.device_salt, 16));
  const x = new BigInteger(device.hexHash(salt + device.hash(`${input.device_group_key}${input.device_key}:${input.device_password}`)), 16);
  let verifier;
  device.g.modPow(x, device.N, (err, v) => { if (err) throw err; verifier = device.padHex(v); });
  // DEVICE_PASSWORD_VERIFIER: the device group key is the pool name, the device key the user.
  largeA(device, input.a);
  const deviceKey = key(device, input.device_key, input.device_password, input.srp_b, input.salt);
  const deviceSignature = sign(deviceKey, input.device_group_key, input.device_key, input.secret_block, input.timestamp);
  return {
    A: A.toString(16),
    key: Buffer.from(hkdf).toString('hex'),
    signature,
    device_salt_b64: Buffer.from(salt, 'hex').toString('base64'),
    device_verifier_b64: Buffer.from(verifier, 'hex').toString('base64'),
    device_signature: deviceSignature,
  };
}

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const iterations = Number(process.argv[2] || 0);
if (iterations > 0) {
  run(input); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const helper = new AuthenticationHelper(input.pool_name); // draws a fresh a and computes A
    const hkdf = key(helper, input.user_id, input.password, input.srp_b, input.salt);
    sign(hkdf, input.pool_name, input.user_id, input.secret_block, input.timestamp);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(JSON.stringify({ per_step_ms: ms / iterations }));
} else {
  console.log(JSON.stringify(run(input)));
}
