"""Figures of the console page in headless Chromium (bench/console.sh).

usage: console_page.py URL RUNNER_NAME PIN SIM_LOG DAEMON_PID REPS WINDOW

Prints: page load (navigation start to load event), the SSE push rate,
STOP from the page to the first RUN=0 write at the drive (the simulator
logs CLOCK_MONOTONIC, as time.monotonic() reads it), and the daemon's
CPU and RSS over WINDOW seconds with the page open and a session
running.  Figures only.
"""
import os
import subprocess
import urllib.request
import statistics
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

URL, NAME, PIN, SIMLOG, PID, REPS, WINDOW = sys.argv[1:8]
REPS, WINDOW = int(REPS), float(WINDOW)
HZ = os.sysconf("SC_CLK_TCK")

opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
          "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--window-size=1024,1280",
          "--user-data-dir=" + os.environ["PROFILE_DIR"]):
    opts.add_argument(a)
drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                       options=opts)


def dist(name, xs, unit):
    xs = sorted(xs)
    p99 = xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]
    print(f"{name}: median {statistics.median(xs):.1f} {unit}, "
          f"p99 {p99:.1f} {unit}, n {len(xs)}")


def until(cond, limit=20):
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("bench step timed out")
        time.sleep(0.01)


def sim_run_after(t0, run):
    with open(SIMLOG) as f:
        for line in f:
            if " ev=write " not in line or f" run={run} " not in line:
                continue
            if " fc=6 " in line and not (" addr=16 " in line or
                                         " addr=512 " in line):
                continue
            t = float(line.split()[0][2:])
            if t >= t0:
                return t
    return None


def js(s, *a):
    return drv.execute_script(s, *a)


loads = []
for _ in range(20):
    drv.get(URL)
    until(lambda: js("return performance.timing.loadEventEnd") > 0)
    loads.append(js("var t = performance.timing; "
                    "return t.loadEventEnd - t.navigationStart"))
dist("page load", loads, "ms")

# Sign in, check in, start, through the page.
for b in drv.find_elements(By.CSS_SELECTOR, "#runners button"):
    if b.text == NAME:
        b.click()
for d in PIN:
    drv.find_element(By.XPATH,
                     f"//div[@id='keys']/button[text()='{d}']").click()
drv.find_element(By.ID, "pin-ok").click()
until(lambda: drv.find_element(By.ID, "s-checkin").is_displayed() or
      drv.find_element(By.ID, "s-plan").is_displayed())
if drv.find_element(By.ID, "s-checkin").is_displayed():
    drv.find_element(By.ID, "checkin-ok").click()
until(lambda: drv.find_element(By.ID, "s-plan").is_displayed())
drv.find_element(By.ID, "start").click()
until(lambda: drv.find_element(By.ID, "s-run").is_displayed())

# The push rate the page sees.
js("window.__n = 0; window.__es = new EventSource('/api/events');"
   "window.__es.onmessage = function () { window.__n++; };")
time.sleep(0.5)
n0, t0 = js("return window.__n"), time.monotonic()
time.sleep(5)
n1, t1 = js("return window.__n"), time.monotonic()
js("window.__es.close()")
print(f"push rate: {(n1 - n0) / (t1 - t0):.1f} events/s")

# CPU and RSS with the page open and the session running.
def ticks():
    with open(f"/proc/{PID}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])


c0, w0 = ticks(), time.monotonic()
time.sleep(WINDOW)
c1, w1 = ticks(), time.monotonic()
with open(f"/proc/{PID}/status") as f:
    mem = {l.split(":")[0]: l.split()[1] for l in f if l.startswith("Vm")}
print(f"daemon CPU: {100 * (c1 - c0) / HZ / (w1 - w0):.2f} % of a core "
      f"over {w1 - w0:.0f} s; RSS {int(mem['VmRSS']) / 1024:.1f} MiB, "
      f"peak {int(mem['VmHWM']) / 1024:.1f} MiB")

# STOP from the page, REPS times: resume, wait for RUN=1, press STOP.
stops = []
for _ in range(REPS):
    tr = time.monotonic()
    js("fetch('/api/resume', {method: 'POST', headers: {'Content-Type':"
       " 'application/json'}, body: '{}'})")
    until(lambda: sim_run_after(tr, 1) is not None, 5)
    t0 = time.monotonic()
    drv.find_element(By.ID, "stop").click()
    until(lambda: sim_run_after(t0, 0) is not None, 5)
    stops.append(1000 * (sim_run_after(t0, 0) - t0))
dist("STOP from the page to RUN=0", stops, "ms")


def stop_loop(name, press):
    xs = []
    for _ in range(REPS):
        tr = time.monotonic()
        js("fetch('/api/resume', {method: 'POST', headers: "
           "{'Content-Type': 'application/json'}, body: '{}'})")
        until(lambda: sim_run_after(tr, 1) is not None, 5)
        t0 = time.monotonic()
        press()
        until(lambda: sim_run_after(t0, 0) is not None, 5)
        xs.append(1000 * (sim_run_after(t0, 0) - t0))
    dist(name, xs, "ms")


# The same without the browser: the API called directly, and treadctl.
stop_loop("STOP by POST /api/stop to RUN=0", lambda: urllib.request.urlopen(
    urllib.request.Request(URL + "api/stop", data=b"{}", method="POST"),
    timeout=5).read())
stop_loop("treadctl stop to RUN=0", lambda: subprocess.run(
    os.environ["CTL_STOP"].split(), capture_output=True, check=True))
drv.quit()
