#!/usr/bin/env python3
"""Signs in the load bench's accounts (password and TOTP, as a device would) and writes one
line per connection for wrk's Lua script: "cookie unlock device_id" (bench/load)."""
import base64, hashlib, hmac, json, struct, sys, time, urllib.request, uuid

base, password, secret, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def totp(step):
    key = base64.b32decode(secret)
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0xF
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"

prefix = sys.argv[5]
for i in range(count):
    body = json.dumps({"email": f"{prefix}-load{i}@bench.example", "password": password,
                       "code": totp(int(time.time() // 30))}).encode()
    request = urllib.request.Request(f"{base}/api/session", data=body, method="POST",
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request) as response:
        cookie = response.headers["set-cookie"].split(";")[0]
        unlock = json.load(response)["unlock"]
    print(cookie, unlock, uuid.uuid4())
