#!/usr/bin/env python3
"""Write the telemetry fuzzer's seed inputs (tests/fuzz/corpus/telemetry/).

Random bytes seldom get a belt running: a start needs plausible telemetry
first, and a ramp needs many ticks.  These seeds run a session the way the
daemon sees one, so the fuzzer mutates from there.  The layout is the one
tests/fuzz/fuzz_telemetry.c reads.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "telemetry")

KEY, READY, ESTOP = 1 << 1, 1 << 6, 1 << 2


def limits():
    # max_speed, -min_incline, max_incline, accel, decel, tolerance
    # (each 0..255 over its range), comm-loss ticks, max HR - 150, max_dt
    return bytes([150, 0, 200, 80, 80, 100, 2, 80, 10])


def tick(status=KEY | READY, speed=0, hr=120, incline_byte=85):
    words = [status, speed, 0, hr, 0, 0, 0, 0]
    return bytes([6]) + struct.pack(">8H", *words) + bytes([incline_byte])


def propose(target_kmh, cap_kmh):
    return bytes([4, 0]) + struct.pack(">H", int(target_kmh * 2000)) + \
        bytes([0]) + struct.pack(">H", int(cap_kmh * 2000))


def start():
    return bytes([8])


def resume():
    return bytes([0])


def stop():
    return bytes([1])


def run(n, **kw):
    return b"".join(tick(**kw) for _ in range(n))


seeds = {
    # start, run up to a target above the cap, hold there
    "run_capped": limits() + tick() + start() + propose(12, 8) + run(200),
    # the cap drops mid-run (the HR hold, a reload)
    "cap_drops": limits() + tick() + start() + propose(10, 10) + run(150) +
    propose(10, 4) + run(100),
    # e-stop mid-run, released, resumed
    "estop_resume": limits() + tick() + start() + propose(8, 9) + run(100) +
    run(5, status=KEY | ESTOP) + run(5) + resume() + run(60),
    # software stop, resume, and a reload of the limits
    "stop_reload": limits() + tick() + start() + propose(9, 9) + run(80) +
    stop() + run(3) + resume() + bytes([3]) + limits() + run(80),
}

os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
