/* Speed, pace and distance in her units, or the site's before she signs
   in: km/h, min/km and km, or mph, min/mi and miles. */
"use strict";
var Units = (function () {
  var KM_PER_MI = 1.609344, imperial = false;
  function set(u) { imperial = u === "imperial"; }
  function speed(kmh) { return (imperial ? kmh / KM_PER_MI : kmh).toFixed(1); }
  function speedUnit() { return imperial ? "mph" : "km/h"; }
  function pace(kmh) {
    if (!(kmh > 0.5)) return "–";
    var s = Math.round(3600 / (imperial ? kmh / KM_PER_MI : kmh));
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }
  function paceUnit() { return imperial ? "min/mi" : "min/km"; }
  function dist(m) { return (m / (imperial ? 1000 * KM_PER_MI : 1000)).toFixed(2); }
  function distUnit() { return imperial ? "mi" : "km"; }
  /* The step of the speed keys: 0.5 km/h or 0.3 mph, in km/h. */
  function step() { return imperial ? 0.3 * KM_PER_MI : 0.5; }
  return { set: set, speed: speed, speedUnit: speedUnit, pace: pace,
    paceUnit: paceUnit, dist: dist, distUnit: distUnit, step: step };
})();
