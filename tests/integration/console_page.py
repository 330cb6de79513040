"""The console page in a real headless Chromium, against the real daemon.

usage: console_page.py URL RUNNER_NAME PIN SHOTS_DIR DRIVE_CMD STOPPED_CMD...

A runner picks her name, enters her PIN, checks in, reads today's plan,
starts, leaves the page and comes back (the belt runs on untouched),
presses Faster past the cap and sees it capped, reports a leak and sees
the walk-down, and presses STOP.  DRIVE_CMD prints the drive's writes
and run bit ("WRITES RUN"); STOPPED_CMD succeeds once the drive has been
told RUN=0.  A screenshot of each screen goes to
SHOTS_DIR.  Every wait is bounded.
"""
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

URL, NAME, PIN, SHOTS, DRIVE = sys.argv[1:6]
STOPPED = sys.argv[6:]

opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
          "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--window-size=1024,1280",
          "--user-data-dir=" + SHOTS + "/profile"):
    opts.add_argument(a)
drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                       options=opts)
wait = WebDriverWait(drv, 20, poll_frequency=0.05)
step = [0]


def shot(what):
    step[0] += 1
    path = f"{SHOTS}/{step[0]:02d}-{what}.png"
    drv.save_screenshot(path)
    print(f"screenshot: {path}")


def visible(css):
    return wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR,
                                                        css)),
                      f"{css} never shown")


def click(css):
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)),
               f"{css} never clickable").click()


def text_has(css, words):
    wait.until(lambda d: words in d.find_element(By.CSS_SELECTOR, css).text,
               f"{css} never said {words!r}")
    return drv.find_element(By.CSS_SELECTOR, css).text


def check(cond, what):
    if not cond:
        shot("failed")
        raise AssertionError(what)


try:
    drv.get(URL)
    visible("#runners button")
    shot("pick-runner")
    mine = [b for b in drv.find_elements(By.CSS_SELECTOR, "#runners button")
            if b.text == NAME]
    check(len(mine) == 1, f"runner {NAME!r} not offered")
    mine[0].click()
    visible("#pinpad")
    for d in PIN:
        drv.find_element(By.XPATH, f"//div[@id='keys']/button[text()='{d}']"
                         ).click()
    shot("pin")
    click("#pin-ok")

    visible("#s-checkin")
    shot("checkin")
    click("#pain button[data-pain='1']")
    click("#checkin-ok")

    visible("#s-plan")
    today = text_has("#plan-today", "Today:")
    reasons = drv.find_elements(By.CSS_SELECTOR, "#plan-reasons li")
    check(len(reasons) > 0, "the plan gives no reasons")
    print(f"plan: {today}; {len(reasons)} reasons: "
          f"{[r.text for r in reasons][:3]}")
    shot("plan")

    # A reload never starts the belt: the page comes back on the plan.
    drv.refresh()
    visible("#s-plan")
    check(drv.find_element(By.ID, "s-run").is_displayed() is False,
          "a reload went to the run screen")

    click("#start")
    visible("#s-run")
    wait.until(lambda d: float(d.find_element(By.ID, "r-speed").text) > 2)
    shot("running")

    # The page closed: the belt runs on for 40 more writes; back on the
    # page, she sees her run, and nothing was started or stopped anew.
    def drive():
        w, run = subprocess.run(["sh", DRIVE], capture_output=True,
                                text=True, check=True).stdout.split()
        return int(w), run

    drv.get("about:blank")
    w0 = drive()[0]
    deadline = time.monotonic() + 10
    while drive()[0] < w0 + 40:
        check(time.monotonic() < deadline, "the drive is not written to")
        time.sleep(0.02)
    check(drive()[1] == "1", "the belt stopped when the page closed")
    drv.get(URL)
    visible("#s-run")
    wait.until(lambda d: float(d.find_element(By.ID, "r-speed").text) > 2,
               "the run screen never showed the belt moving")
    print("page closed and reopened: the belt ran on")

    # Faster, again and again: the answer says capped.
    for _ in range(12):
        click("#faster")
        msg = drv.find_element(By.ID, "r-msg").text
        if "Capped" in msg:
            break
        wait.until(lambda d: d.find_element(By.ID, "r-msg").text != "")
    msg = text_has("#r-msg", "Capped")
    print(f"capped: {msg}")
    shot("capped")

    click("#symptom")
    click("#sym-pick button[data-kind='leak']")
    seg = text_has("#r-seg", "walking down")
    print(f"symptom: {seg}")
    shot("walkdown")

    click("#stop")
    text_has("#r-msg", "Stopped")
    deadline = time.monotonic() + 5
    while subprocess.run(STOPPED).returncode != 0:
        check(time.monotonic() < deadline, "RUN=0 never reached the drive")
        time.sleep(0.02)
    print("stop: RUN=0 at the drive")
    shot("stopped")
except Exception as e:
    try:
        shot("failed")
    except Exception:
        pass
    print(f"FAIL: {type(e).__name__}: {e}")
    sys.exit(1)
finally:
    drv.quit()
