/*
 * The runner's console.  Live state arrives by Server-Sent Events
 * (/api/events); every action is one POST to /api/...  The belt is never
 * started except by a press of Start: a reload or a reconnect only shows
 * what is going on.
 */
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var st = {}, me = null, pickedRunner = null, hr = [], lastRun = null;
  var sleepH = 7, pain = 0, syms = {};

  function show(name) {
    document.querySelectorAll(".screen").forEach(function (s) {
      s.hidden = s.id !== "s-" + name;
    });
    document.body.dataset.screen = name;
  }
  function say(id, text, err) {
    var el = $(id);
    el.textContent = text || "";
    el.className = "msg" + (err ? " err" : "");
  }
  function api(path, body) {
    var opt = { method: body === undefined ? "GET" : "POST",
      credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      opt.headers["Content-Type"] = "application/json";
      opt.body = JSON.stringify(body);
    }
    return fetch("/api/" + path, opt).then(function (r) {
      return r.json().then(function (j) { j.status = r.status; return j; });
    });
  }
  function clock(s) {
    s = Math.max(0, Math.round(s || 0));
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  /* Sign in: her name, then her PIN. */
  function loadRunners() {
    api("runners").then(function (j) {
      Units.set(j.units);
      me = j.me || null;
      var box = $("runners");
      box.textContent = "";
      (j.runners || []).forEach(function (r) {
        var b = document.createElement("button");
        b.textContent = r.name;
        b.dataset.runner = r.id;
        b.onclick = function () { pickRunner(r); };
        box.appendChild(b);
      });
      signedIn();
    });
  }
  function pickRunner(r) {
    pickedRunner = r.id;
    $("pin-for").textContent = r.name + ": your PIN";
    $("pin").value = "";
    $("runners").hidden = true;
    $("pinpad").hidden = false;
  }
  function pinKeys() {
    ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", ""].forEach(
      function (k) {
        var b = document.createElement("button");
        b.textContent = k;
        b.disabled = k === "";
        b.onclick = function () {
          var p = $("pin");
          p.value = k === "⌫" ? p.value.slice(0, -1) : (p.value + k).slice(0, 12);
        };
        $("keys").appendChild(b);
      });
    $("pin-back").onclick = function () {
      $("pinpad").hidden = true;
      $("runners").hidden = false;
    };
    $("pin-ok").onclick = function () {
      api("login", { runner: pickedRunner, pin: $("pin").value }).then(
        function (j) {
          $("pin").value = "";
          if (!j.ok) { $("pin-for").textContent = j.error; return; }
          me = j.runner;
          Units.set(j.units);
          listen();
          $("pinpad").hidden = true;
          $("runners").hidden = false;
          signedIn();
        });
    };
  }
  function signedIn() {
    $("signout").hidden = !me;
    $("who").textContent = me ? "Signed in: " + me : "Treadmill";
    if (!me) { show("login"); return; }
    if (st.mine && st.session && st.session !== "idle") { show("run"); return; }
    loadPlan(true);
  }

  /* Check-in. */
  function checkinForm() {
    for (var i = 0; i <= 10; i++) {
      var b = document.createElement("button");
      b.textContent = i;
      b.dataset.pain = i;
      b.setAttribute("aria-pressed", i === 0 ? "true" : "false");
      b.onclick = function () {
        pain = +this.dataset.pain;
        document.querySelectorAll("#pain button").forEach(function (x) {
          x.setAttribute("aria-pressed", +x.dataset.pain === pain ? "true" : "false");
        });
      };
      $("pain").appendChild(b);
    }
    document.querySelectorAll(".step").forEach(function (b) {
      b.onclick = function () {
        sleepH = Math.min(14, Math.max(0, sleepH + +b.dataset.d));
        $("sleep").textContent = sleepH;
      };
    });
    document.querySelectorAll(".toggle").forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
      b.onclick = function () {
        syms[b.dataset.sym] = !syms[b.dataset.sym];
        b.setAttribute("aria-pressed", syms[b.dataset.sym] ? "true" : "false");
      };
    });
    $("checkin-ok").onclick = function () {
      var body = { sleep: sleepH, pain: pain };
      Object.keys(syms).forEach(function (k) { body[k] = !!syms[k]; });
      say("checkin-msg", "Saving…");
      api("checkin", body).then(function (j) {
        if (!j.ok) { say("checkin-msg", j.error, true); return; }
        say("checkin-msg", "");
        loadPlan(false);
      });
    };
  }

  /* Today's plan and why. */
  function loadPlan(maybeCheckin) {
    api("plan").then(function (j) {
      if (j.status === 401) { me = null; signedIn(); return; }
      /* A plan that comes after the live state says she is running
         (the page reopened mid-run) must not take her off her run. */
      if (st.mine && st.session && st.session !== "idle") {
        show("run");
        return;
      }
      if (!j.ok) {
        if (maybeCheckin) { show("checkin"); return; }
        say("plan-msg", j.error, true);
        show("plan");
        return;
      }
      if (maybeCheckin &&
          (j.reasons || []).some(function (r) { return r.code === "no_checkin"; })) {
        show("checkin");
        return;
      }
      $("plan-today").textContent = "Today: " + (j.today || "").replace(/_/g, " ");
      var ul = $("plan-reasons");
      ul.textContent = "";
      (j.reasons || []).forEach(function (r) {
        var li = document.createElement("li");
        li.textContent = r.text;
        li.dataset.code = r.code;
        ul.appendChild(li);
      });
      var c = j.caps || {};
      $("plan-caps").textContent = "Up to " + Units.speed(c.speed_kmh || 0) +
        " " + Units.speedUnit() + ", heart rate under " + c.hr_ceiling +
        ", " + Math.round(c.minutes || 0) + " minutes";
      $("plan-progress").textContent = j.progress || "";
      var ol = $("plan-segs");
      ol.textContent = "";
      ((j.workout && j.workout.segments) || []).forEach(function (s) {
        var li = document.createElement("li");
        li.textContent = s.label + " " + clock(s.duration_s) + " at " +
          Units.speed(s.speed_kmh) + " " + Units.speedUnit();
        ol.appendChild(li);
      });
      say("plan-msg", j.workout_refused || "");
      $("e-counted").textContent = j.progress || "";
      $("h-progress").textContent = j.progress || "";
      if (document.body.dataset.screen !== "end") show("plan");
    });
  }

  /* The run. */
  function act(path, body, msgId) {
    return api(path, body || {}).then(function (j) {
      say(msgId || "r-msg", j.ok ? j.message : j.error, !j.ok);
      return j;
    });
  }
  function runButtons() {
    $("start").onclick = function () {
      hr = [];
      act("start", {}, "plan-msg").then(function (j) {
        if (j.ok) { say("r-msg", ""); show("run"); }
      });
    };
    $("faster").onclick = function () {
      act("speed", { kmh: Math.round(((st.target_kmh || st.cmd_kmh || 0) +
        Units.step()) * 100) / 100 }).then(function (j) {
          if (j.ok && j.capped)
            say("r-msg", "Capped at " + Units.speed(j.cap_kmh) + " " +
              Units.speedUnit() + ": that is today's limit");
        });
    };
    $("slower").onclick = function () {
      act("speed", { kmh: Math.max(0, Math.round(((st.target_kmh || st.cmd_kmh || 0) -
        Units.step()) * 100) / 100) });
    };
    $("incl-up").onclick = function () {
      act("incline", { pct: (st.cmd_incline_pct || 0) + 1 });
    };
    $("incl-down").onclick = function () {
      act("incline", { pct: (st.cmd_incline_pct || 0) - 1 });
    };
    $("symptom").onclick = function () { $("sym-pick").hidden = !$("sym-pick").hidden; };
    document.querySelectorAll("#sym-pick button").forEach(function (b) {
      b.onclick = function () {
        $("sym-pick").hidden = true;
        act("symptom", { kind: b.dataset.kind });
      };
    });
    $("resume").onclick = function () { act("resume"); };
    $("end").onclick = function () { act("end"); };
    /* STOP: no token needed, no confirmation, straight to the belt. */
    $("stop").onclick = function () {
      api("stop", {}).then(function (j) {
        say("r-msg", j.ok ? "Stopped" : j.error, !j.ok);
      });
    };
    $("signout").onclick = function () {
      /* The list again, and with it the site's units. */
      api("logout", {}).then(function () { listen(); loadRunners(); });
    };
    $("to-history").onclick = loadHistory;
    $("e-history").onclick = loadHistory;
    $("e-plan").onclick = function () { loadPlan(false); };
    $("h-back").onclick = function () { loadPlan(false); };
  }

  function drawRun() {
    $("r-speed").textContent = Units.speed(st.belt_kmh || 0);
    $("r-speed-u").textContent = Units.speedUnit() + " (cap " +
      Units.speed(st.cap_kmh || 0) + ")";
    $("r-pace").textContent = Units.pace(st.belt_kmh);
    $("r-pace-u").textContent = Units.paceUnit();
    $("r-hr").textContent = st.hr_bpm > 0 ? st.hr_bpm : "–";
    $("r-hrcap").textContent = st.hr_ceiling ? "ceiling " + st.hr_ceiling : "";
    $("r-hr").parentNode.classList.toggle("over",
      st.hr_ceiling > 0 && st.hr_bpm > st.hr_ceiling);
    $("r-time").textContent = clock(st.elapsed_s);
    $("r-left").textContent = st.planned_s ? "of " + clock(st.planned_s) : "";
    $("r-dist").textContent = Units.dist(st.distance_m || 0);
    $("r-dist-u").textContent = Units.distUnit();
    $("r-incl").textContent = (st.incline_pct || 0).toFixed(1);
    var seg = st.segment ? "Now: " + st.segment : "";
    if (st.walkdown) seg += " · walking down after a symptom";
    if ((st.stop_causes || []).length)
      seg += " · stopped: " + st.stop_causes.join(", ");
    $("r-seg").textContent = seg;
    $("resume").hidden = !(st.stop_causes || []).length;
  }

  /* Did the run count toward her unlock, and if not, why (the codes of
     GET /api/history). */
  var NOT_COUNTED = {
    walk: "there was no running in it",
    hard: "interval sessions do not; easy runs do",
    symptom: "you reported a symptom in it",
    not_completed: "it ended before its plan did",
    restart: "the count restarts after the latest symptom or staff lock",
    day_limit: "the day's runs that count were done already",
    later: "it is dated after today"
  };
  function countWords(s, need) {
    var run = s.running_min.toFixed(1) + " min of running";
    if (s.unlock === "counted")
      return "This run counted toward your unlock: " + run + ".";
    return "This run did not count toward your unlock: " +
      (s.unlock === "short" ? run + ", " + need + " min needed" :
        NOT_COUNTED[s.unlock] || s.unlock) + ".";
  }

  /* The end of her run: the live figures at once, then the run as the
     history recorded it, and where her unlock stands. */
  function endScreen(last) {
    $("e-time").textContent = clock(last.elapsed_s);
    $("e-run").textContent = "–";
    $("e-dist").textContent = Units.dist(last.distance_m || 0);
    $("e-dist-u").textContent = Units.distUnit();
    $("e-hr").textContent = last.hr_max || "–";
    $("e-counts").textContent = "";
    delete $("e-counts").dataset.unlock;
    Chart.draw($("e-chart"), hr, "heart rate, bpm", last.hr_ceiling ?
      { level: { y: last.hr_ceiling, label: "ceiling " + last.hr_ceiling } } :
      {});
    show("end");
    api("history").then(function (j) {
      var s = j.ok && (j.sessions || []).filter(function (x) {
        return !x.backfilled;
      }).slice(-1)[0];
      if (!s) return;
      $("e-time").textContent = clock(s.minutes * 60);
      $("e-run").textContent = s.running_min.toFixed(1);
      $("e-dist").textContent = Units.dist(s.distance_m);
      $("e-hr").textContent = s.max_hr || "–";
      $("e-counts").textContent = countWords(s, j.run_minutes);
      $("e-counts").dataset.unlock = s.unlock;
    });
    loadPlan(false);
  }

  /* Her runs, oldest first: running minutes against what counts. */
  function loadHistory() {
    api("history").then(function (j) {
      if (!j.ok) { say("plan-msg", j.error, true); return; }
      var ss = j.sessions || [], ul = $("h-list");
      ul.textContent = "";
      ss.slice(-10).reverse().forEach(function (s) {
        var li = document.createElement("li");
        /* A paper log has no distance. */
        li.textContent = String(s.start).slice(0, 10) + ": " + s.workout + ", " +
          Math.round(s.minutes) + " min (" + s.running_min.toFixed(1) +
          " running)" + (s.distance_m > 0 ? ", " + Units.dist(s.distance_m) +
          " " + Units.distUnit() : "") +
          (s.unlock === "counted" ? ", counted" : "") +
          (s.symptom ? " (symptom)" : "");
        li.dataset.unlock = s.unlock;
        ul.appendChild(li);
      });
      Chart.draw($("h-chart"), ss.map(function (s, i) { return [i, s.running_min]; }),
        "running minutes per run", {
          level: { y: j.run_minutes, label: j.run_minutes + " min counts" },
          dots: ss.map(function (s) { return s.unlock === "counted"; }) });
      show("history");
    });
  }

  /* Live state: the page follows; it never acts on its own.  A stream
     is for whoever was signed in when it opened: a new one at every
     sign-in and sign-out. */
  var es = null;
  function listen() {
    if (es) es.close();
    es = new EventSource("/api/events");
    es.onmessage = function (ev) {
      var prev = st;
      st = JSON.parse(ev.data);
      $("belt").textContent = st.state + (st.run ? " · belt moving" : "") +
        (st.busy ? " · in use" : "");
      if (!st.mine) return;
      var active = st.session && st.session !== "idle";
      /* The chart is of her running, as the record's maximum is: not
         while the belt is stopped. */
      if (st.hr_bpm > 0 && active && st.state === st.session)
        hr.push([st.elapsed_s, st.hr_bpm]);
      if (active) { lastRun = st; drawRun(); }
      if (active && document.body.dataset.screen !== "run" &&
          (!prev.session || prev.session === "idle"))
        show("run");
      if (!active && lastRun && document.body.dataset.screen === "run") {
        endScreen(lastRun);
        lastRun = null;
      }
    };
  }

  pinKeys();
  checkinForm();
  runButtons();
  show("login");
  loadRunners();
  listen();
})();
