// Charts of the dyad and network pages, drawn with plotly.js (served from the installed plotly package).
(function () {
  "use strict";
  var COOP = "#2e7d32", CONF = "#c62828", NEUTRAL = "#8a94a6", INK = "#1f2933";
  var DAY = 86400000, PERIOD_DAYS = {day: 1, week: 7, month: 30, quarter: 91, year: 365};
  var CONFIG = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]};

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function done(el) { el.dataset.ready = "1"; document.body.dataset.chartReady = "1"; }

  function dyadChart() {
    var el = document.getElementById("dyad-chart"), found = data("dyad-data");
    if (!el || !found) return;
    var rows = found.series, width = 0.8 * DAY * (PERIOD_DAYS[found.by] || 30);
    var most = Math.max.apply(null, rows.map(function (r) { return Math.max(r.cooperation, r.conflict); }).concat([1]));
    var x = rows.map(function (r) { return r.start; });
    var step = Math.max(1, Math.ceil(most / 4)), ticks = [];
    for (var t = -step * Math.ceil(most / step); t <= most; t += step) ticks.push(t);
    var label = rows.map(function (r) { return r.period; });
    var traces = [
      {type: "bar", name: "cooperation", x: x, y: rows.map(function (r) { return r.cooperation; }),
       marker: {color: COOP}, width: width, customdata: label, hovertemplate: "%{customdata}: %{y} cooperation<extra></extra>"},
      {type: "bar", name: "conflict", x: x, y: rows.map(function (r) { return -r.conflict; }),
       marker: {color: CONF}, width: width, customdata: rows.map(function (r) { return [r.period, r.conflict]; }),
       hovertemplate: "%{customdata[0]}: %{customdata[1]} conflict<extra></extra>"},
      {type: "scatter", mode: "lines+markers", name: "mean Goldstein", x: x,
       y: rows.map(function (r) { return r.goldstein_mean; }), yaxis: "y2", line: {color: INK, width: 2},
       marker: {size: 6}, customdata: label, hovertemplate: "%{customdata}: mean Goldstein %{y}<extra></extra>"}
    ];
    var layout = {
      barmode: "relative", bargap: 0.25, margin: {l: 56, r: 56, t: 36, b: 44}, font: {family: "system-ui, sans-serif", size: 12},
      legend: {orientation: "h", x: 0, y: 1.1}, hovermode: "x unified", plot_bgcolor: "#fff", paper_bgcolor: "#fff",
      xaxis: {type: "date", showgrid: false},
      // both axes symmetric around 0, so that the zero lines of events and Goldstein coincide
      yaxis: {title: {text: "events: cooperation ↑ conflict ↓"}, range: [-1.1 * most, 1.1 * most], zeroline: true,
              zerolinecolor: "#98a2b3", gridcolor: "#eef1f5", tickvals: ticks, ticktext: ticks.map(Math.abs)},
      yaxis2: {title: {text: "mean Goldstein"}, overlaying: "y", side: "right", range: [-10.5, 10.5], showgrid: false,
               zeroline: false, tickvals: [-10, -5, 0, 5, 10]}
    };
    Plotly.newPlot(el, traces, layout, CONFIG).then(function () { done(el); });
  }

  function colour(g) {
    if (g === null || g === undefined || Math.abs(g) < 0.5) return NEUTRAL;
    return g > 0 ? COOP : CONF;
  }

  function networkChart() {
    var el = document.getElementById("network-chart"), net = data("network-data");
    if (!el || !net) return;
    var most = Math.max.apply(null, net.edges.map(function (e) { return e.events; }).concat([1]));
    var biggest = Math.max.apply(null, net.nodes.map(function (n) { return n.events; }).concat([1]));
    var size = {};
    net.nodes.forEach(function (n) { size[n.id] = 26 + 24 * Math.sqrt(n.events / biggest); });
    var arrows = net.edges.map(function (e) {
      return {x: e.x1, y: e.y1, ax: e.x0, ay: e.y0, xref: "x", yref: "y", axref: "x", ayref: "y", showarrow: true,
              arrowhead: 2, arrowsize: 0.8, arrowwidth: 1.2 + 3.5 * Math.sqrt(e.events / most), standoff: size[e.target] / 2 + 2, startstandoff: size[e.source] / 2,
              arrowcolor: colour(e.goldstein_mean), opacity: 0.75, text: ""};
    });
    var mids = {type: "scatter", mode: "markers", x: net.edges.map(function (e) { return (e.x0 + e.x1) / 2; }),
      y: net.edges.map(function (e) { return (e.y0 + e.y1) / 2; }), marker: {size: 10, color: "rgba(0,0,0,0)"},
      customdata: net.edges.map(function (e) { return [e.source, e.target, e.events, e.cooperation, e.conflict,
                                                       e.goldstein_mean === null ? "—" : e.goldstein_mean]; }),
      hovertemplate: "%{customdata[0]} → %{customdata[1]}<br>%{customdata[2]} events: %{customdata[3]} cooperation, " +
                     "%{customdata[4]} conflict<br>mean Goldstein %{customdata[5]}<extra></extra>", showlegend: false};
    var nodes = {type: "scatter", mode: "markers+text", x: net.nodes.map(function (n) { return n.x; }),
      y: net.nodes.map(function (n) { return n.y; }), text: net.nodes.map(function (n) { return n.id; }),
      textposition: "middle center", textfont: {size: 11, color: "#fff"},
      marker: {size: net.nodes.map(function (n) { return size[n.id]; }), color: "#1e3a8a",
               line: {color: "#fff", width: 2}},
      customdata: net.nodes.map(function (n) { return [n.name, n.events]; }),
      hovertemplate: "%{text}: %{customdata[0]}<br>%{customdata[1]} events<extra></extra>", showlegend: false};
    var axis = {visible: false, range: [-0.06, 1.06]};
    var layout = {annotations: arrows, xaxis: axis, yaxis: axis, hovermode: "closest",
                  margin: {l: 10, r: 10, t: 10, b: 10}, plot_bgcolor: "#fff", paper_bgcolor: "#fff",
                  font: {family: "system-ui, sans-serif"}};
    Plotly.newPlot(el, [mids, nodes], layout, CONFIG).then(function () {
      el.on("plotly_click", function (ev) {
        var pt = ev.points[0];
        if (pt.curveNumber === 1) location.href = "/events?actor=" + encodeURIComponent(pt.text);
        else location.href = "/dyads/" + encodeURIComponent(pt.customdata[0]) + "/" + encodeURIComponent(pt.customdata[1]);
      });
      done(el);
    });
  }

  dyadChart();
  networkChart();
})();
