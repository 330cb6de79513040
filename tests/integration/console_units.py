"""A runner's own units on the console page, in headless Chromium.

usage: console_units.py URL SHOTS_DIR CTL MPH_RUNNER MPH_NAME MPH_PIN
    RUNNER NAME PIN

The site's units are metric.  MPH_RUNNER's profile says imperial: signed
in, she reads her plan in mph, runs with speed in mph, pace per mile and
distance in miles as the daemon has the belt, ends, and reads the end
screen and her history in miles.  She signs out; RUNNER, who has no
units of her own, signs in on the same page and sees km/h, pace per km
and km.  CTL runs treadctl on the daemon's socket.  A screenshot of each
screen goes to SHOTS_DIR.  Every wait is bounded.
"""
import sys

from console_browser import (KM_PER_MI, browser, check_end, check_history,
                             check_run_units, ctl_json)

URL, SHOTS, CTL, MPH, MPH_NAME, MPH_PIN, KMH, KMH_NAME, KMH_PIN = \
    sys.argv[1:10]


def check_plan(runner, units):
    """Her plan's cap and segments in her units, as the daemon plans."""
    per_km, unit = (1, "km/h") if units == "metric" else (KM_PER_MI, "mph")
    plan = ctl_json(CTL, "plan", runner)
    want = f"Up to {plan['caps']['speed_kmh'] / per_km:.1f} {unit},"
    got = p.text("#plan-caps")
    p.check(got.startswith(want), f"{runner}'s plan: {got!r}, not {want!r}")
    segs = [li.text for li in p.all("#plan-segs li")]
    want = [f" at {s['speed_kmh'] / per_km:.1f} {unit}"
            for s in plan["workout"]["segments"]]
    p.check(len(segs) == len(want) and all(
        g.endswith(w) for g, w in zip(segs, want)),
        f"{runner}'s segments: {segs}, not ending {want}")
    print(f"{runner}'s plan: {got}; {segs}")


def sign_in_and_run(name, pin, runner, units, tag):
    """She signs in, reads her plan, starts, and reads the run screen,
    all in her units; a screenshot of the plan and of the run."""
    p.sign_in(name, pin)
    check_plan(runner, units)
    p.shot("plan-" + tag)
    p.click("#start")
    p.visible("#s-run")
    check_run_units(p, CTL, units)
    p.shot("run-" + tag)


with browser(SHOTS) as p:
    p.drv.get(URL)
    sign_in_and_run(MPH_NAME, MPH_PIN, MPH, "imperial", "mph")
    p.past_warmup(14)
    # Ended before its plan: it does not count.
    p.click("#end")
    check_end(p, CTL, MPH, "imperial", "not_completed")
    check_history(p, CTL, MPH, "imperial")

    # Another runner on the same page: the site's units again.
    p.sign_out()
    sign_in_and_run(KMH_NAME, KMH_PIN, KMH, "metric", "kmh")
    p.click("#end")
    p.visible("#s-end")
    p.text_has("#e-dist-u", "km")
