"""The console page in a real headless Chromium, against the real daemon.

usage: console_page.py URL RUNNER RUNNER_NAME PIN SHOTS_DIR DRIVE_CMD
    STOPPED_CMD CTL

A runner picks her name, enters her PIN, checks in, reads today's plan,
starts, leaves the page and comes back (the belt runs on untouched),
presses Faster past the cap and sees it capped, reports a leak and sees
the walk-down, presses STOP, ends her run and reads the end screen and
her history, each against what the daemon recorded.  DRIVE_CMD (a
script) prints the drive's writes and run bit ("WRITES RUN");
STOPPED_CMD succeeds once the drive has been told RUN=0; CTL runs
treadctl on the daemon's socket.  A screenshot of each screen goes to
SHOTS_DIR.  Every wait is bounded.
"""
import subprocess
import sys

from console_browser import browser, check_end, check_history

URL, RUNNER, NAME, PIN, SHOTS, DRIVE, STOPPED, CTL = sys.argv[1:9]


def drive():
    w, run = subprocess.run(["sh", DRIVE], capture_output=True, text=True,
                            check=True).stdout.split()
    return int(w), run


with browser(SHOTS) as p:
    p.drv.get(URL)
    p.visible("#runners button")
    p.shot("pick-runner")
    p.pick(NAME)
    p.enter_pin(PIN)
    p.shot("pin")
    p.click("#pin-ok")

    p.visible("#s-checkin")
    p.shot("checkin")
    p.click("#pain button[data-pain='1']")
    p.click("#checkin-ok")

    p.visible("#s-plan")
    today = p.text_has("#plan-today", "Today:")
    reasons = p.all("#plan-reasons li")
    p.check(len(reasons) > 0, "the plan gives no reasons")
    print(f"plan: {today}; {len(reasons)} reasons: "
          f"{[r.text for r in reasons][:3]}")
    p.shot("plan")

    # A reload never starts the belt: the page comes back on the plan.
    p.drv.refresh()
    p.visible("#s-plan")
    p.check(p.find("#s-run").is_displayed() is False,
            "a reload went to the run screen")

    p.click("#start")
    p.visible("#s-run")
    p.until(lambda: float(p.text("#r-speed")) > 2, "the belt never moved")
    p.shot("running")

    # The page closed: the belt runs on for 20 more writes (4 s); back on
    # the page, she sees her run, and nothing was started or stopped anew.
    p.drv.get("about:blank")
    w0 = drive()[0]
    p.until(lambda: drive()[0] >= w0 + 20, "the drive is not written to",
            timeout=15, poll=0.2)
    p.check(drive()[1] == "1", "the belt stopped when the page closed")
    p.drv.get(URL)
    p.visible("#s-run")
    p.until(lambda: float(p.text("#r-speed")) > 2,
            "the run screen never showed the belt moving")
    print("page closed and reopened: the belt ran on")
    # Past the warm-up's walk: running, which the record keeps, and a
    # heart-rate chart from here on.
    p.past_warmup(12)

    # Faster, again and again: the answer says capped.
    for _ in range(12):
        p.click("#faster")
        if "Capped" in p.text("#r-msg"):
            break
        p.until(lambda: p.text("#r-msg") != "", "Faster got no answer")
    msg = p.text_has("#r-msg", "Capped")
    print(f"capped: {msg}")
    p.shot("capped")

    p.click("#symptom")
    p.click("#sym-pick button[data-kind='leak']")
    seg = p.text_has("#r-seg", "walking down")
    print(f"symptom: {seg}")
    p.shot("walkdown")

    p.click("#stop")
    p.text_has("#r-msg", "Stopped")
    p.until(lambda: subprocess.run(["sh", STOPPED]).returncode == 0,
            "RUN=0 never reached the drive", timeout=5)
    print("stop: RUN=0 at the drive")
    p.shot("stopped")

    # She ends her run: the leak keeps it from counting.
    p.click("#end")
    check_end(p, CTL, RUNNER, "metric", "symptom")
    check_history(p, CTL, RUNNER, "metric")
