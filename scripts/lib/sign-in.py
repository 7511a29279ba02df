#!/usr/bin/env python3
"""Signs a test account in through the API and prints its session as HTTP headers, one per
line: the cookie and the unlock proof. Usage: sign-in.py BASE_URL NAME (the account
NAME@e2e.example with E2E_PASSWORD and the TOTP secret E2E_SECOND_FACTOR, as scripts/test
makes them). Standard library only."""
import base64, hashlib, hmac, json, os, struct, sys, time, urllib.error, urllib.request


def totp(secret: str, at: float) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def sign_in(base: str, name: str, code: str):
    body = json.dumps({"email": f"{name}@e2e.example", "password": os.environ["E2E_PASSWORD"],
                       "code": code}).encode()
    request = urllib.request.Request(f"{base}/api/session", data=body, method="POST",
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request) as response:
        cookie = response.headers["set-cookie"].split(";")[0]
        return cookie, json.load(response)["unlock"]


def main():
    base, name = sys.argv[1], sys.argv[2]
    secret = os.environ["E2E_SECOND_FACTOR"]
    # A code is taken once: when this account just signed in with it, wait for the next one.
    for attempt in range(3):
        try:
            cookie, unlock = sign_in(base, name, totp(secret, time.time()))
            print(f"Cookie: {cookie}")
            print(f"x-keukentafel-unlock: {unlock}")
            return
        except urllib.error.HTTPError as error:
            if error.code != 401 or attempt == 2:
                sys.exit(f"sign-in of {name} failed: {error.code} {error.read().decode()}")
            time.sleep(31 - time.time() % 30)


main()
