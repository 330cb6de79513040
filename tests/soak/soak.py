#!/usr/bin/env python3
"""Soak: sessions back to back against the real daemon and treadsim, with
faults injected at random, for SOAK_MINUTES (default 30).

A runner checks in and walks; at random moments the drive misbehaves or
goes silent, the e-stop is pressed, the key pulled, the console's STOP
pressed, `treadctl stop` sent, the daemon reloaded, or two clients
pipeline requests.  After each stop the cause is cleared and the runner
resumes, as a person would; now and then she ends the session and starts
another.  At the end: tick gaps from the simulator's write timestamps,
the daemon's memory at start and end, sessions started against session
rows in the history, stops by cause, and the drive's watchdog.

Exit status: 0, or 1 when a row is lost, the drive's watchdog fired
unasked (it is asked for only while the drive is mute: it then hears no
RUN=0), or the daemon died or stopped answering.  Other stops nobody injected are
counted and reported.  Usage: soak.py BUILD_DIR.
Settings: SOAK_MINUTES, SOAK_SEED (random by default; printed).
"""
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
B = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else TOP + "/build")
MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
SEED = int(os.environ.get("SOAK_SEED", str(int.from_bytes(os.urandom(4),
                                                          "big"))))
T = tempfile.mkdtemp(prefix="treadsoak.", dir=os.environ.get("TMPDIR"))
rng = random.Random(SEED)
procs = []

# What each drive-side fault latches in the daemon.
LINK_FAULTS = [("trickle", "10"), ("overlong",), ("wronglen",),
               ("wrongtid",), ("garbage",), ("silence",), ("mute",)]
# The runner's and the console's stops: what makes one, what clears it.
SIM_STOPS = {"estop": (("estop", "on"), ("estop", "off")),
             "key": (("key", "out"), ("key", "in")),
             "console": (("stop",), None)}
CAUSE = {"estop": "e-stop", "key": "safety key", "console": "console STOP",
         "ctlstop": "software stop", "link": "comm loss"}


class SoakError(Exception):
    pass


def log(msg):
    print("soak: %s" % msg, flush=True)


def run(*args, timeout=10):
    return subprocess.run(list(args), capture_output=True, text=True,
                          timeout=timeout)


def sim(*args):
    r = run(B + "/treadsim", "ctl", "-c", T + "/sim.sock", *args)
    if r.returncode != 0:
        raise SoakError("treadsim ctl %s: %s" % (" ".join(args),
                                                 r.stdout + r.stderr))
    return r.stdout


def sim_state():
    return dict(w.split("=", 1) for w in sim("state").split()[1:]
                if "=" in w)


def ctl(*args):
    return run(B + "/treadctl", "-s", T + "/ctl.sock", *args)


def status():
    r = ctl("-j", "status")
    return json.loads(r.stdout) if r.returncode == 0 else {}


def wait_for(secs, what, fn):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        try:
            if fn():
                return
        except (SoakError, ValueError, subprocess.TimeoutExpired):
            pass
        time.sleep(0.02)
    raise SoakError("timed out after %gs waiting for: %s" % (secs, what))


def start_procs():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    procs.append(subprocess.Popen(
        [B + "/treadsim", "-t", "127.0.0.1:%d" % port, "-c",
         T + "/sim.sock", "-l", T + "/sim.log"],
        stdout=open(T + "/sim.out", "w"), stderr=subprocess.STDOUT))
    wait_for(5, "treadsim", lambda: sim("state"))
    os.mkdir(T + "/profiles")
    shutil.copy(TOP + "/tests/integration/data/maya.conf", T + "/profiles")
    with open(T + "/treadmilld.conf", "w") as f:
        f.write("""drive = { transport = "tcp"; host = "127.0.0.1"; port = %d;
  unit_id = 1; map = "reference"; map_dir = "%s/hw/maps"; tick_hz = 20.0;
  response_timeout_ms = 20; watchdog_ms = 500; comm_loss_ticks = 3;
  reconnect_max_ms = 400; };
machine = { max_speed = 16.0; min_incline = 0.0; max_incline = 12.0;
  accel = 2.0; decel = 2.0; };
control = { socket = "%s/ctl.sock"; };
daemon = { name = "tm-soak"; user = ""; };
profiles = { dir = "%s/profiles"; };
history = { path = "%s/history.db"; };
plugins = { dir = "%s/plugins"; easy = { warmup_min = 0.2; cooldown_min = 0.2; }; };
session = { speed = 6.0; incline = 1.0; minutes = 30.0; max_speed = 10.0; };
""" % (port, TOP, T, T, T, B))
    d = subprocess.Popen([B + "/treadmilld", "-f", "-d", "-c",
                          T + "/treadmilld.conf"],
                         stdout=open(T + "/daemon.log", "w"),
                         stderr=subprocess.STDOUT)
    procs.append(d)
    wait_for(10, "daemon talking to the drive",
             lambda: status().get("connected") is True)
    return d


def memory(pid):
    m = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                m[k] = int(v.split()[0])
    return m


def moving():
    s = sim_state()
    return s["run"] == "1" and float(s["speed"]) >= 1.0


def causes():
    return status().get("stop_causes") or []


def resume():
    """Resume once the cause is gone: a person tries until it works."""
    wait_for(10, "resume accepted", lambda: ctl("resume").returncode == 0)


def latched(c):
    return c in causes()


def pipeline(nclients=2, nreq=300):
    """Clients sending many requests at once; every one answered."""
    socks = []
    for _ in range(nclients):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(T + "/ctl.sock")
        s.sendall(b"status\n" * nreq)
        socks.append([s, b""])
    end = time.monotonic() + 20
    for e in socks:
        e[0].settimeout(1)
        while e[1].count(b"\nok") + e[1].startswith(b"ok") < nreq:
            if time.monotonic() > end:
                raise SoakError("pipelined requests not all answered")
            try:
                d = e[0].recv(65536)
            except socket.timeout:
                continue
            if not d:
                raise SoakError("a pipelining client was disconnected")
            e[1] += d
        e[0].close()


class Soak:
    def __init__(self):
        self.started = 0
        self.faults = {}        # fault -> count
        self.unasked = []       # stops we did not inject
        self.windows = []       # monotonic (from, to) of link faults
        self.deaf = []          # the same, of a drive that heard nothing

    def start_session(self):
        r = ctl("start", "maya", "--workout", "walk")
        if r.returncode != 0:
            raise SoakError("start refused: " + r.stdout + r.stderr)
        self.started += 1
        wait_for(20, "belt moving", moving)

    def end_session(self):
        ctl("end")
        wait_for(60, "session over",
                 lambda: status().get("session") == "idle")

    def stop_fault(self, kind, inject, clear, deaf=False):
        want = CAUSE[kind]
        t0 = time.monotonic()
        inject()
        wait_for(5, want + " latched", lambda: want in causes())
        time.sleep(rng.uniform(0.2, 2.0))
        seen = causes()
        clear()
        if kind == "link":
            wait_for(10, "drive reachable again",
                     lambda: status().get("connected") is True)
        resume()
        if kind == "link":
            self.windows.append((t0, time.monotonic()))
            if deaf:
                self.deaf.append(self.windows[-1])
        for c in seen:
            self.count_stop(c, kind, c == want)
        self.carry_on("mute" if deaf else kind)

    def count_stop(self, cause, after, asked):
        if not asked:
            self.unasked.append("%s after %s" % (cause, after))

    def carry_on(self, after):
        """Back to walking: a stop nobody asked for is counted, and the
        runner resumes, as she would."""
        end = time.monotonic() + 30
        while not moving():
            if time.monotonic() > end:
                raise SoakError("belt not moving again after " + after)
            for c in causes():
                # a mute drive's own watchdog stopped the belt
                self.count_stop(c, after, after == "mute" and
                                c in ("drive watchdog", "comm loss"))
                resume()
            time.sleep(0.05)

    def one_fault(self):
        kind = rng.choice(["link", "link", "estop", "key", "console",
                           "ctlstop", "reload", "pipeline", "end"])
        if kind == "link":
            f = rng.choice(LINK_FAULTS)
            name = f[0]
            if name == "mute":
                self.stop_fault(kind, lambda: sim("mute", "on"),
                                lambda: sim("mute", "off"), deaf=True)
            else:
                self.stop_fault(kind, lambda: sim("misbehave", *f),
                                lambda: sim("misbehave", "none"))
        elif kind in SIM_STOPS:
            name = kind
            on, off = SIM_STOPS[kind]
            self.stop_fault(kind, lambda: sim(*on),
                            lambda: off and sim(*off))
        elif kind == "ctlstop":
            name = kind
            self.stop_fault(kind, lambda: ctl("stop"), lambda: None)
        elif kind == "reload":
            name = kind
            self.daemon.send_signal(signal.SIGHUP)
        elif kind == "pipeline":
            name = kind
            pipeline()
        else:
            name = kind
            self.end_session()
            self.start_session()
        self.faults[name] = self.faults.get(name, 0) + 1
        if self.daemon.poll() is not None:
            raise SoakError("the daemon died (status %s)" %
                            self.daemon.returncode)
        if status().get("session") != "idle":
            self.carry_on(name)

    def main(self):
        self.daemon = start_procs()
        ctl("checkin", "maya", "--sleep", "7", "--pain", "0")
        self.start_session()
        self.mem0 = memory(self.daemon.pid)
        end = time.monotonic() + MINUTES * 60
        while time.monotonic() < end:
            time.sleep(rng.uniform(1.0, 6.0))
            if status().get("session") == "idle":
                self.start_session()     # the walk ended by itself
            self.one_fault()
        self.end_session()
        self.mem1 = memory(self.daemon.pid)
        self.daemon.send_signal(signal.SIGTERM)
        self.daemon.wait(20)
        return self.report()

    def gaps(self):
        """Tick gaps, and the drive's watchdog: asked for while the drive
        was mute (it hears no request, so neither RUN=0 nor a heartbeat:
        its watchdog is what stops the belt then), unasked otherwise."""
        ticks = []
        watchdog = [0, 0]       # asked, unasked
        with open(T + "/sim.log") as f:
            for line in f:
                w = line.split()
                if len(w) < 2:
                    continue
                if w[1] == "ev=watchdog":
                    t = float(w[0][2:])
                    watchdog[not any(lo <= t <= hi + 1.0
                                     for lo, hi in self.deaf)] += 1
                if len(w) < 3:
                    continue
                if w[1] == "ev=write" and w[2] == "fc=23":
                    ticks.append(float(w[0][2:]))
        allg, clean = [], []
        for a, b in zip(ticks, ticks[1:]):
            g = (b - a) * 1000
            allg.append(g)
            if not any(lo - 0.5 <= b and a <= hi + 0.5
                       for lo, hi in self.windows):
                clean.append(g)
        return allg, clean, watchdog

    def report(self):
        def st(v):
            v = sorted(v)
            if not v:
                return "n=0"
            n = len(v)
            med = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
            return "median %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)" % (
                med, v[(99 * n + 99) // 100 - 1], v[-1], n)
        allg, clean, watchdog = self.gaps()
        rows = int(run("sqlite3", T + "/history.db",
                       "SELECT count(*) FROM sessions WHERE backfilled = 0"
                       ).stdout.strip() or 0)
        lost = self.started - rows
        print("soak: %.1f minutes, seed %d" % (MINUTES, SEED))
        print("tick gaps, all: " + st(allg))
        print("tick gaps, outside drive-link faults: " + st(clean))
        print("daemon memory: start VmRSS %d KiB VmHWM %d KiB; end VmRSS "
              "%d KiB VmHWM %d KiB" % (self.mem0["VmRSS"], self.mem0["VmHWM"],
                                       self.mem1["VmRSS"], self.mem1["VmHWM"]))
        print("sessions started %d, session rows %d, lost %d" %
              (self.started, rows, lost))
        print("faults injected: " + ", ".join(
            "%s %d" % kv for kv in sorted(self.faults.items())))
        stops = {}
        with open(T + "/daemon.log") as f:
            for line in f:
                if line.startswith("STOP: ") and " - " in line:
                    c = line[6:line.index(" - ")]
                    stops[c] = stops.get(c, 0) + 1
        print("stops by cause (the daemon's log): " + ", ".join(
            "%s %d" % kv for kv in sorted(stops.items())))
        print("drive watchdog fired: %d while the drive was mute, %d "
              "unasked" % tuple(watchdog))
        bad = []
        if lost != 0:
            bad.append("%d session rows lost" % lost)
        if watchdog[1]:
            bad.append("the drive's watchdog fired unasked")
        # Any other stop we did not inject is reported, not failed: a
        # loaded machine can make an answer miss its timeout.
        print("stops not injected: %d%s" % (len(self.unasked), (
            " (" + "; ".join(self.unasked[:10]) + ")") if self.unasked
            else ""))
        for b in bad:
            print("FAIL: soak: " + b)
        return 1 if bad else 0


def main():
    rc = 1
    s = Soak()
    try:
        rc = s.main()
    except (SoakError, subprocess.TimeoutExpired) as e:
        print("FAIL: soak: %s (seed %d, kept %s)" % (e, SEED, T))
        for f in ("daemon.log", "sim.out"):
            with open(os.path.join(T, f)) as fh:
                print("--- tail " + f)
                print("".join(fh.readlines()[-20:]), end="")
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        if rc == 0 and os.environ.get("SOAK_KEEP") != "1":
            shutil.rmtree(T)
    return rc


if __name__ == "__main__":
    sys.exit(main())
