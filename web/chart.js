/* The console's charts: a line through [x, y] points in an SVG of
   600 x 200, its range on the left, in the page's own drawing (no
   library). */
"use strict";
var Chart = (function () {
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* A line through pts ([x, y]).  opts.level: a dashed line at that y
     with its label (her ceiling, the minutes that count); opts.dots: a
     circle at each point, filled where dots[i] is true. */
  function draw(svg, pts, yLabel, opts) {
    opts = opts || {};
    svg.textContent = "";
    if (pts.length < (opts.dots ? 1 : 2)) {
      svg.appendChild(svgEl("text", { x: 20, y: 100 }, "Not enough data yet"));
      return;
    }
    var ys = pts.map(function (p) { return p[1]; });
    if (opts.level) ys.push(opts.level.y);
    var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys);
    var x0 = pts[0][0], x1 = pts[pts.length - 1][0];
    if (hi === lo) hi = lo + 1;
    var X = function (x) {
      return x1 === x0 ? 320 : 50 + 540 * (x - x0) / (x1 - x0);
    };
    var Y = function (y) { return 180 - 160 * (y - lo) / (hi - lo); };
    var d = pts.map(function (p, i) {
      return (i ? "L" : "M") + X(p[0]).toFixed(1) + " " + Y(p[1]).toFixed(1);
    }).join(" ");
    if (opts.level) {
      var ly = Y(opts.level.y).toFixed(1);
      svg.appendChild(svgEl("line", { x1: 50, x2: 590, y1: ly, y2: ly,
        "class": "level" }));
      svg.appendChild(svgEl("text", { x: 586, y: ly - 6, "text-anchor": "end",
        "class": "level-label" }, opts.level.label));
    }
    svg.appendChild(svgEl("path", { d: d, fill: "none", stroke: "#ff6b6b",
      "stroke-width": 3 }));
    (opts.dots || []).forEach(function (full, i) {
      svg.appendChild(svgEl("circle", { cx: X(pts[i][0]).toFixed(1),
        cy: Y(pts[i][1]).toFixed(1), r: 7, "class": full ? "counted" : "" }));
    });
    svg.appendChild(svgEl("text", { x: 4, y: 24, "class": "hi" },
      String(Math.round(hi))));
    svg.appendChild(svgEl("text", { x: 4, y: 184, "class": "lo" },
      String(Math.round(lo))));
    svg.appendChild(svgEl("text", { x: 50, y: 198 }, yLabel));
  }
  return { draw: draw };
})();
