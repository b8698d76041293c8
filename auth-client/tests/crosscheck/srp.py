"""The SRP client step of pycognito, run with fixed inputs (JSON on stdin).

Prints {A, key, signature, device_key, device_signature} as JSON; with a number as the first
argument, instead times that many full client steps (a fresh `a`, A, key, signature) and prints
{per_step_ms}.
"""
import base64
import hashlib
import hmac
import json
import sys
import time

from pycognito import aws_srp


def srp(pool_name, a_hex=None):
    # The pool id only feeds the pool name; no AWS client is created (client is given).
    helper = aws_srp.AWSSRP("u", "p", "us-east-1_" + pool_name, "client", client=object())
    if a_hex is not None:
        helper.small_a_value = aws_srp.hex_to_long(a_hex)
        helper.large_a_value = helper.calculate_a()
    return helper


def sign(key, pool_name, user_id, secret_block, timestamp):
    message = pool_name.encode() + user_id.encode() + base64.standard_b64decode(secret_block) + timestamp.encode()
    return base64.standard_b64encode(hmac.new(key, message, digestmod=hashlib.sha256).digest()).decode()


def run(inp):
    helper = srp(inp["pool_name"], inp["a"])
    key = helper.get_password_authentication_key(
        inp["user_id"], inp["password"], aws_srp.hex_to_long(inp["srp_b"]), inp["salt"])
    signature = sign(key, inp["pool_name"], inp["user_id"], inp["secret_block"], inp["timestamp"])
    # DEVICE_PASSWORD_VERIFIER through pycognito's own device method.
    helper.access_token = None
    device_key = helper.get_device_authentication_key(
        inp["device_group_key"], inp["device_key"], inp["device_password"],
        aws_srp.hex_to_long(inp["srp_b"]), inp["salt"])
    device_signature = sign(device_key, inp["device_group_key"], inp["device_key"], inp["secret_block"], inp["timestamp"])
    return {
        "A": aws_srp.long_to_hex(helper.large_a_value),
        "key": key.hex(),
        "signature": signature,
        "device_signature": device_signature,
    }


def main():
    inp = json.load(sys.stdin)
    if len(sys.argv) > 1:
        iterations = int(sys.argv[1])
        run(inp)
        start = time.perf_counter()
        for _ in range(iterations):
            helper = srp(inp["pool_name"])  # draws a fresh a and computes A
            key = helper.get_password_authentication_key(
                inp["user_id"], inp["password"], aws_srp.hex_to_long(inp["srp_b"]), inp["salt"])
            sign(key, inp["pool_name"], inp["user_id"], inp["secret_block"], inp["timestamp"])
        print(json.dumps({"per_step_ms": (time.perf_counter() - start) * 1000 / iterations}))
    else:
        print(json.dumps(run(inp)))


main()
