"""The console API's refusals, against a running daemon.

usage: console_api.py BASE_URL RUNNER PIN OTHER_RUNNER OTHER_PIN SITE_UNITS
    OTHER_UNITS STATE_CMD...

Each bad request must get a 4xx with a JSON body {"ok": false, "error":
...}, and change nothing: STATE_CMD (a command printing the daemon's
state) gives the same output before and after.  The units are the
site's (SITE_UNITS) before sign-in and for RUNNER, OTHER_RUNNER's own
(OTHER_UNITS, her profile's) once she has signed in.
"""
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

BASE, RUNNER, PIN, OTHER, OTHER_PIN, SITE_UNITS, OTHER_UNITS = sys.argv[1:8]
STATE_CMD = sys.argv[8:]
DROP_S = 25     # time to fill the buffers at 5 events a second
failures = []


def call(path, body=None, raw=None, cookie=None, ctype="application/json"):
    data = raw if raw is not None else (
        None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(BASE + path, data=data,
                                 method="GET" if data is None else "POST")
    if data is not None:
        req.add_header("Content-Type", ctype)
    if cookie:
        req.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def refused(what, code, path, **kw):
    status, _, body = call(path, **kw)
    try:
        j = json.loads(body)
    except ValueError:
        failures.append(f"{what}: {status}, body not JSON: {body[:80]!r}")
        return
    if status != code or j.get("ok") is not False or not j.get("error"):
        failures.append(f"{what}: expected {code} with an error, got "
                        f"{status} {j}")
    else:
        print(f"ok: {what}: {status} {j['error']}")


def state():
    return subprocess.run(STATE_CMD, capture_output=True, text=True,
                          check=True).stdout


before = state()
refused("bad JSON", 400, "/api/login", raw=b'{"runner": ')
refused("not an object", 400, "/api/login", raw=b'[1, 2]')
refused("oversized body", 413, "/api/login",
        raw=json.dumps({"runner": RUNNER, "pin": "1" * 4000}).encode())
refused("missing PIN", 400, "/api/login", body={"runner": RUNNER})
refused("unknown runner", 404, "/api/login",
        body={"runner": "nobody", "pin": "1234"})
refused("wrong PIN", 403, "/api/login",
        body={"runner": RUNNER, "pin": "9" * len(PIN)})
refused("check-in without a token", 401, "/api/checkin",
        body={"sleep": 7, "pain": 0})
refused("plan without a token", 401, "/api/plan")
refused("start without a token", 401, "/api/start", body={})
refused("unknown call", 404, "/api/nothing")
refused("GET where POST is due", 405, "/api/checkin")
refused("a forged token", 401, "/api/plan",
        cookie="treadmill_session=" + "0" * 64)

status, hdr, body = call("/api/login", body={"runner": RUNNER, "pin": PIN})
if status != 200:
    failures.append(f"right PIN refused: {status} {body!r}")
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
set_cookie = hdr.get("Set-Cookie", "")
for attr in ("HttpOnly", "SameSite=Strict"):
    if attr not in set_cookie:
        failures.append(f"the session cookie lacks {attr}: {set_cookie}")
cookie = set_cookie.split(";")[0]


def units(what, want, path="/api/runners", **kw):
    status, _, body = call(path, **kw)
    got = json.loads(body).get("units")
    if status != 200 or got != want:
        failures.append(f"{what}: units {got!r} ({status}), not {want!r}")
    else:
        print(f"ok: {what}: {got}")


# The site's units before sign-in; hers once signed in, where her
# profile has her own.
def login_units(who, pin, want):
    status, hdr, body = call("/api/login", body={"runner": who, "pin": pin})
    got = json.loads(body).get("units")
    if status != 200 or got != want:
        failures.append(f"{who}'s login: units {got!r} ({status}), "
                        f"not {want!r}")
    return hdr.get("Set-Cookie", "").split(";")[0]


units("units before sign-in", SITE_UNITS)
units(f"{RUNNER}'s units, the site's", SITE_UNITS, cookie=cookie)
login_units(RUNNER, PIN, SITE_UNITS)
other_cookie = login_units(OTHER, OTHER_PIN, OTHER_UNITS)
units(f"{OTHER}'s own units, signed in", OTHER_UNITS, cookie=other_cookie)
units("units signed out again", SITE_UNITS)
call("/api/logout", body={}, cookie=other_cookie)

refused("check-in, sleep missing", 400, "/api/checkin", cookie=cookie,
        body={"pain": 0})
refused("check-in, pain out of range", 400, "/api/checkin", cookie=cookie,
        body={"sleep": 7, "pain": 11})
refused("check-in, pain not a number", 400, "/api/checkin", cookie=cookie,
        body={"sleep": 7, "pain": "none"})
refused("check-in, leak not a boolean", 400, "/api/checkin", cookie=cookie,
        body={"sleep": 7, "pain": 0, "leak": "yes"})
refused("another runner's check-in", 403, "/api/checkin", cookie=cookie,
        body={"runner": OTHER, "sleep": 7, "pain": 0})
refused("another runner's history", 403, "/api/history?runner=" + OTHER,
        cookie=cookie)
refused("another runner's plan", 403, "/api/plan?runner=" + OTHER,
        cookie=cookie)
refused("speed without a number", 400, "/api/speed", cookie=cookie,
        body={"kmh": "fast"})
refused("symptom without a kind", 400, "/api/symptom", cookie=cookie,
        body={})

# Anyone sees the belt, never health data: by a request, or pushed.
status, _, body = call("/api/status")
j = json.loads(body)
if status != 200 or "hr_bpm" in j or "state" not in j:
    failures.append(f"anonymous status: {status} {j}")
with urllib.request.urlopen(BASE + "/api/events", timeout=10) as r:
    if r.headers.get("Content-Type") != "text/event-stream":
        failures.append(f"events: {r.headers.get('Content-Type')}")
    line = r.readline().decode()
    if not line.startswith("data: "):
        failures.append(f"events: first line {line!r}")
    else:
        j = json.loads(line[6:])
        if "hr_bpm" in j or "state" not in j:
            failures.append(f"anonymous event: {j}")

# A client that reads gets 4 events a second or more, on one connection
# that outlives the listener's timeout (http.timeout_s = 1 here).
with urllib.request.urlopen(BASE + "/api/events", timeout=10) as r:
    t0, n = time.monotonic(), 0
    while time.monotonic() - t0 < 3:
        if r.readline().startswith(b"data: "):
            n += 1
    rate = n / (time.monotonic() - t0)
if rate < 4:
    failures.append(f"events: {rate:.1f} a second on one connection")
else:
    print(f"ok: events at {rate:.1f} a second on one connection")

# A client that opens the stream and never reads is dropped: draining
# its socket later ends in the daemon's close, after at most what the
# buffers held, not in an endless stream.
host, port = BASE.split("//")[1].split(":")
lazy = socket.socket()
lazy.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
lazy.connect((host, int(port)))
lazy.sendall(b"GET /api/events HTTP/1.1\r\nHost: x\r\n\r\n")
time.sleep(DROP_S)  # the client under test is the one that does not read
lazy.settimeout(5)
got, chunk, end = 0, b"", time.monotonic() + 10
while got < 4 * 1024 * 1024 and time.monotonic() < end:
    try:
        chunk = lazy.recv(65536)
    except socket.timeout:
        break
    if not chunk:
        break
    got += len(chunk)
if chunk:
    failures.append(f"a stream never read was not dropped ({got} bytes)")
else:
    print(f"ok: a stream never read was dropped after {got} bytes")
lazy.close()

# Five wrong PINs lock her out: the right one is refused after.
wrong = "9" * len(OTHER_PIN) if OTHER_PIN != "9" * len(OTHER_PIN) else "1" * 4
for _ in range(5):
    call("/api/login", body={"runner": OTHER, "pin": wrong})
refused("the right PIN after five wrong ones", 403, "/api/login",
        body={"runner": OTHER, "pin": OTHER_PIN})

after = state()
if before != after:
    failures.append(f"state changed:\n{before}\n---\n{after}")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("all refused, nothing changed")
