"""The console page in a real headless Chromium: what the browser tests
share.  A Page drives the browser and saves screenshots; browser() runs a
test's steps on one; check_end and check_history hold the end-of-run and
history screens against what the daemon recorded (its treadctl, -j).
Every wait is bounded polling (WebDriverWait), never a sleep.
"""
import contextlib
import json
import re
import subprocess
import sys

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

KM_PER_MI = 1.609344
# What each of the page's units shows: metres per distance unit, and the
# labels of speed, pace and distance.
UNITS = {
    "metric": (1000, "km/h", "min/km", "km"),
    "imperial": (1000 * KM_PER_MI, "mph", "min/mi", "mi"),
}


class Page:
    def __init__(self, shots):
        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for a in ("--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-quic", "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1024,1280",
                  "--user-data-dir=" + shots + "/profile"):
            opts.add_argument(a)
        self.drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                                    options=opts)
        self.shots = shots
        self.step = 0

    def until(self, cond, what, timeout=20, poll=0.05):
        """Poll cond() every poll s until it is true; at most timeout s."""
        return WebDriverWait(self.drv, timeout, poll_frequency=poll).until(
            lambda _: cond(), what)

    def shot(self, what):
        self.step += 1
        path = f"{self.shots}/{self.step:02d}-{what}.png"
        self.drv.save_screenshot(path)
        print(f"screenshot: {path}")

    def find(self, css):
        return self.drv.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        return self.drv.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        return self.find(css).text

    def visible(self, css):
        return WebDriverWait(self.drv, 20, poll_frequency=0.05).until(
            EC.visibility_of_element_located((By.CSS_SELECTOR, css)),
            f"{css} never shown")

    def click(self, css):
        WebDriverWait(self.drv, 20, poll_frequency=0.05).until(
            EC.element_to_be_clickable((By.CSS_SELECTOR, css)),
            f"{css} never clickable").click()

    def text_has(self, css, words):
        self.until(lambda: words in self.text(css),
                   f"{css} never said {words!r}")
        return self.text(css)

    def check(self, cond, what):
        if not cond:
            raise AssertionError(what)

    def pick(self, name):
        """Her name from the list, then her PIN on the keys."""
        self.visible("#runners button")
        mine = [b for b in self.all("#runners button") if b.text == name]
        self.check(len(mine) == 1, f"runner {name!r} not offered")
        mine[0].click()
        self.visible("#pinpad")

    def enter_pin(self, pin):
        for d in pin:
            self.drv.find_element(
                By.XPATH, f"//div[@id='keys']/button[text()='{d}']").click()

    def sign_in(self, name, pin):
        """Her name, her PIN, a check-in if today has none: her plan."""
        self.pick(name)
        self.enter_pin(pin)
        self.click("#pin-ok")
        self.until(lambda: self.find("#s-checkin").is_displayed() or
                   self.find("#s-plan").is_displayed(),
                   f"{name}: neither check-in nor plan after the PIN")
        if self.find("#s-checkin").is_displayed():
            self.click("#checkin-ok")
        self.visible("#s-plan")
        self.text_has("#plan-today", "Today:")

    def past_warmup(self, seconds):
        """Past the warm-up's walk, and the run at least seconds long."""
        self.until(lambda: "warm-up" not in self.text("#r-seg") and
                   self.text("#r-time") >= f"0:{seconds:02d}",
                   "the warm-up never ended", timeout=40)

    def sign_out(self):
        self.click("#signout")
        self.visible("#s-login")
        self.visible("#runners button")

    def quit(self):
        self.drv.quit()


@contextlib.contextmanager
def browser(shots):
    """A Page for a test's steps: whatever fails, a screenshot of where
    it was, FAIL and exit status 1; the browser quits in any case."""
    p = Page(shots)
    try:
        yield p
    except Exception as e:
        try:
            p.shot("failed")
        except Exception:
            pass
        print(f"FAIL: {type(e).__name__}: {e}")
        sys.exit(1)
    finally:
        p.quit()


def ctl_json(ctl, *args):
    """The daemon's answer to treadctl -j ARGS (ctl: a script running
    treadctl on the test's socket)."""
    out = subprocess.run(["sh", ctl, "-j", *args], capture_output=True,
                         text=True, check=True).stdout
    o = json.loads(out)
    if not o.get("ok"):
        raise AssertionError(f"treadctl {' '.join(args)}: {o}")
    return o


def clock(s):
    s = int(s + 0.5)
    return f"{s // 60}:{s % 60:02d}"


def chart(page, css):
    """The values of the line in a chart, read back from its path and its
    axis labels, and the label of its dashed level."""
    svg = page.find(css)
    hi = float(svg.find_element(By.CSS_SELECTOR, "text.hi").text)
    lo = float(svg.find_element(By.CSS_SELECTOR, "text.lo").text)
    d = svg.find_element(By.TAG_NAME, "path").get_attribute("d")
    ys = [float(y) for y in re.findall(r"[ML][\d.]+ ([\d.]+)", d)]
    levels = svg.find_elements(By.CSS_SELECTOR, "text.level-label")
    return ([lo + (180 - y) * (hi - lo) / 160 for y in ys],
            levels[0].text if levels else None)


def pace_s(text):
    m, s = text.split(":")
    return int(m) * 60 + int(s)


def check_run_units(page, ctl, units):
    """The run screen in her units: speed, pace and distance as the
    daemon has the belt (its status, read before and after the page, the
    belt steady in between), with their units' labels."""
    per, speed_u, pace_u, dist_u = UNITS[units]
    per_km = per / 1000
    seen, last = {}, [None]

    def agree():
        a = ctl_json(ctl, "status")
        seen.update(speed=page.text("#r-speed"), pace=page.text("#r-pace"),
                    dist=page.text("#r-dist"), speed_u=page.text("#r-speed-u"),
                    pace_u=page.text("#r-pace-u"), dist_u=page.text("#r-dist-u"),
                    belt_kmh=a["belt_kmh"], distance_m=a["distance_m"])
        b = ctl_json(ctl, "status")
        # Steady since the last look (a tick or more ago), at walking
        # pace or more.
        steady = last[0] is not None and max(
            abs(a["belt_kmh"] - last[0]), abs(b["belt_kmh"] - last[0])) <= 0.02
        last[0] = b["belt_kmh"]
        v = a["belt_kmh"] / per_km
        return (steady and a["belt_kmh"] >= 4.5 and
                seen["speed_u"].startswith(speed_u + " ") and
                seen["pace_u"] == pace_u and seen["dist_u"] == dist_u and
                abs(float(seen["speed"]) - v) <= 0.051 and
                abs(pace_s(seen["pace"]) - 3600 / v) <= 2 and
                abs(float(seen["dist"]) - a["distance_m"] / per) <= 0.006)
    try:
        page.until(agree, "", timeout=30, poll=0.2)
    except TimeoutException:
        raise AssertionError(f"the run screen never agreed with the belt "
                             f"in {units} units: last {seen}") from None
    print(f"run screen in {units} units: {seen}")


def check_end(page, ctl, runner, units, unlock):
    """The end screen, once she has ended: her run as the history
    recorded it (time, running minutes, distance in her units, max heart
    rate), the heart-rate chart, whether the run counted (the daemon's
    code must be unlock) and where her unlock stands."""
    per, _, _, dist_u = UNITS[units]
    page.visible("#s-end")
    page.until(lambda: page.find("#e-counts").get_attribute("data-unlock"),
               "the end screen never showed the run as recorded")
    rec = [s for s in ctl_json(ctl, "history", runner, "--limit", "60")
           ["sessions"] if not s["backfilled"]][-1]
    page.check(rec["unlock"] == unlock,
               f"the daemon says the run is {rec['unlock']!r}, not {unlock!r}")
    got = {k: page.text("#e-" + k) for k in ("time", "run", "dist",
                                               "dist-u", "hr", "counts")}
    print(f"end screen: {got}; recorded: {rec['minutes']} min, "
          f"{rec['running_min']} running, {rec['distance_m']} m, "
          f"max HR {rec['max_hr']}, {rec['unlock']}")
    page.check(got["time"] == clock(rec["minutes"] * 60),
               f"time {got['time']}, recorded {rec['minutes']} min")
    page.check(abs(float(got["run"]) - rec["running_min"]) <= 0.051,
               f"running {got['run']} min, recorded {rec['running_min']}")
    page.check(rec["distance_m"] > 0 and
               abs(float(got["dist"]) - rec["distance_m"] / per) <= 0.0051,
               f"distance {got['dist']}, recorded {rec['distance_m']} m")
    page.check(got["dist-u"] == dist_u, f"distance in {got['dist-u']}")
    page.check(rec["max_hr"] > 0 and got["hr"] == str(rec["max_hr"]),
               f"max heart rate {got['hr']}, recorded {rec['max_hr']}")
    page.check(page.find("#e-counts").get_attribute("data-unlock") == unlock,
               "the end screen's unlock code is not the daemon's")
    page.check(got["counts"].startswith(
        "This run counted" if unlock == "counted" else
        "This run did not count"), f"counts: {got['counts']!r}")
    if unlock in ("counted", "short"):
        page.check(f"{got['run']} min of running" in got["counts"],
                   f"counts without its minutes: {got['counts']!r}")
    # The chart: heart rates of her running, none above her record's
    # maximum, and her ceiling as a dashed line.
    hrs, level = chart(page, "#e-chart")
    page.check(len(hrs) >= 10, f"the heart-rate chart has {len(hrs)} points")
    page.check(40 <= min(hrs) and max(hrs) <= rec["max_hr"] + 0.5 and
               max(hrs) >= rec["max_hr"] - 15,
               f"heart rates {min(hrs):.0f}-{max(hrs):.0f} in the chart, "
               f"recorded max {rec['max_hr']}")
    page.check(level is not None and level.startswith("ceiling "),
               f"no ceiling in the chart: {level!r}")
    progress = ctl_json(ctl, "plan", runner)["progress"]
    page.until(lambda: page.text("#e-counted") == progress,
               f"the end screen never said {progress!r}")
    print(f"end chart: {len(hrs)} points, {min(hrs):.0f}-{max(hrs):.0f} "
          f"bpm, {level}; {got['counts']} {progress}")
    page.shot("end")
    return rec


def check_history(page, ctl, runner, units):
    """Her history from the end screen: a point per run at its running
    minutes, filled where it counted, the minutes that count as a dashed
    line, the runs listed newest first in her units, and her unlock
    progress."""
    dist_u = UNITS[units][3]
    page.click("#e-history")
    page.visible("#s-history")
    h = ctl_json(ctl, "history", runner, "--limit", "60")
    ss = h["sessions"]
    page.until(lambda: len(page.all("#h-chart circle")) == len(ss),
               f"the history chart never had {len(ss)} runs")
    mins, level = chart(page, "#h-chart")
    page.check(len(mins) == len(ss) and all(
        abs(m - s["running_min"]) <= 1 for m, s in zip(mins, ss)),
        f"chart {mins}, recorded {[s['running_min'] for s in ss]}")
    filled = len(page.all("#h-chart circle.counted"))
    counted = sum(s["unlock"] == "counted" for s in ss)
    page.check(filled == counted,
               f"{filled} runs filled in the chart, {counted} counted")
    page.check(level == f"{h['run_minutes']:g} min counts",
               f"the chart's level says {level!r}")
    items = page.all("#h-list li")
    page.check(len(items) == min(10, len(ss)), f"{len(items)} runs listed")
    page.check(items[0].get_attribute("data-unlock") == ss[-1]["unlock"] and
               items[0].text.startswith(ss[-1]["start"][:10]) and
               f" {dist_u}" in items[0].text,
               f"the newest run listed as {items[0].text!r}")
    progress = ctl_json(ctl, "plan", runner)["progress"]
    page.check(page.text("#h-progress") == progress,
               f"progress {page.text('#h-progress')!r}, not {progress!r}")
    print(f"history: {len(ss)} runs, {filled} counted, {level}; "
          f"{progress}; newest: {items[0].text}")
    page.shot("history")
