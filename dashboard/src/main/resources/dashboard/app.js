// kd-stream's live page: polls /api/ticks once a second and draws what the services' /metrics say.
// Every number on the page is a value of a tick; data-value holds it unformatted (null: undefined).
"use strict";

const POLL_MS = 1000;
const KEEP_POINTS = 7200;
const PALETTE = ["#2563eb", "#ea580c", "#16a34a", "#9333ea", "#0891b2", "#ca8a04", "#db2777", "#4b5563",
                 "#65a30d", "#7c3aed", "#0d9488", "#b91c1c"];
const NAMED_COLOURS = { teacher: "#7c3aed", distilled: "#ea580c", baseline: "#6b7280", holdout: "#2563eb",
                        prequential_window: "#0891b2" };

const MODELS = ["teacher", "distilled", "baseline"];
const FORMAT = {
  PERCENT: v => (100 * v).toFixed(2) + " %",
  PER_SECOND: v => (Math.abs(v) < 10 && !Number.isInteger(v) ? v.toFixed(1) : Math.round(v).toLocaleString("en")) + "/s",
  RECORDS: v => Math.round(v).toLocaleString("en"),
  SECONDS: v => v < 1 ? (1000 * v).toFixed(1) + " ms" : v.toFixed(2) + " s",
  NUMBER: v => Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v).toLocaleString("en") : v.toPrecision(3),
};
const AXIS = {
  PERCENT: v => (100 * v).toFixed(1) + "%",
  PER_SECOND: v => v >= 1000 ? (v / 1000).toFixed(v >= 10000 ? 0 : 1) + "k" : String(Math.round(v)),
  RECORDS: v => v >= 1000 ? (v / 1000).toFixed(v >= 10000 ? 0 : 1) + "k" : String(Math.round(v)),
  SECONDS: v => v < 1 ? (1000 * v).toFixed(0) + " ms" : v.toFixed(1) + " s",
  NUMBER: v => String(+v.toPrecision(3)),
};

let layout;
let run = null;              // the recording the page shows; a restarted dashboard has another
let lastSeq = 0;
const times = [];            // seconds since the epoch, one per tick
const columns = new Map();   // series key -> values, aligned with times (null: undefined)
let latest = new Map();      // series key -> value at the newest tick (a line absent there is absent)
const charts = new Map();    // panel id -> { el, plot, keys }

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function colourOf(legend, i) {
  const model = legend.split(" ").pop();
  return NAMED_COLOURS[legend] || (MODELS.includes(model) ? NAMED_COLOURS[model] : PALETTE[i % PALETTE.length]);
}

function buildPage() {
  const tiles = document.getElementById("tiles");
  for (const t of layout.tiles) {
    const tile = el("div", "tile");
    tile.id = "tile-" + t.id;
    tile.append(el("h2", null, t.title), el("div", "value missing", "waiting"), el("div", "detail", ""));
    tiles.append(tile);
  }
  const area = document.getElementById("charts");
  for (const p of layout.panels) {
    const box = el("div", "chart");
    box.id = "chart-" + p.id;
    box.dataset.points = "0";
    box.append(el("h2", null, p.title), el("div", "window", p.window), el("div", "plot"));
    box.querySelector(".plot").append(el("div", "empty", "no data yet"));
    area.append(box);
    charts.set(p.id, { el: box, plot: null, keys: [] });
  }
}

function tileText(t) {
  const keys = [...latest.keys()].filter(k => k.startsWith(t.prefix));
  if (t.named) {
    const names = keys.filter(k => latest.get(k) !== null).map(k => k.slice(t.prefix.length));
    return { value: names.length ? names.join(", ") : null, text: names.join(", "), raw: names.join(",") };
  }
  const value = keys.length ? latest.get(keys[0]) : undefined;
  if (value === undefined) return { value: null, text: "no data", raw: "" };
  if (value === null) return { value: null, text: "undefined", raw: "null" };
  return { value, text: FORMAT[t.unit](value), raw: String(value) };
}

function tileDetail(t) {
  const parts = [];
  const low = t.lower && latest.get(t.lower), high = t.upper && latest.get(t.upper);
  if (t.lower) {
    const main = [...latest.keys()].find(k => k.startsWith(t.prefix));
    if (main && latest.get(main) !== null) {
      parts.push(low != null && high != null
        ? "95 % interval " + FORMAT[t.unit](low) + " to " + FORMAT[t.unit](high)
        : "95 % interval unbounded");
    } else if (main) {
      parts.push("ensemble does not beat the baseline, or too few records");
    }
  }
  const records = t.detail && latest.get(t.detail);
  if (records != null) parts.push(Math.round(records).toLocaleString("en") + " records");
  return parts.join(", ");
}

function updateTiles() {
  for (const t of layout.tiles) {
    const tile = document.getElementById("tile-" + t.id);
    const v = tileText(t);
    const value = tile.querySelector(".value");
    value.textContent = v.text;
    value.className = "value" + (v.value === null ? " missing" : t.named ? " small" : "");
    value.title = t.named ? v.text : "";
    tile.dataset.value = v.raw;
    tile.querySelector(".detail").textContent = tileDetail(t);
  }
}

function panelKeys(p) {
  return [...columns.keys()].filter(k => k.startsWith(p.prefix)).sort();
}

function drawChart(p) {
  const chart = charts.get(p.id);
  const keys = panelKeys(p);
  const points = keys.reduce((n, k) => n + columns.get(k).filter(v => v !== null).length, 0);
  chart.el.dataset.points = String(points);
  if (!keys.length || !points) return;
  const data = [times, ...keys.map(k => columns.get(k))];
  if (chart.plot && chart.keys.join("|") === keys.join("|")) {
    chart.plot.setData(data);
    return;
  }
  const holder = chart.el.querySelector(".plot");
  holder.replaceChildren();
  const band = p.band;
  const series = [{}].concat(keys.map((k, i) => {
    const legend = k.slice(p.prefix.length);
    const edge = band && (k === band.lower || k === band.upper);
    return {
      label: legend,
      stroke: edge ? "rgba(37, 99, 235, 0.45)" : colourOf(legend, i),
      width: edge ? 1 : 2,
      dash: edge ? [4, 4] : undefined,
      spanGaps: false,
      points: { show: false },
      value: (u, v) => v == null ? "-" : FORMAT[p.unit](v),
    };
  }));
  const opts = {
    width: holder.clientWidth || 520,
    height: 220,
    series,
    axes: [{}, { values: (u, vals) => vals.map(v => AXIS[p.unit](v)), size: 64 }],
    scales: { x: { time: true }, y: p.range ? { range: (u, min, max) => clamp(min, max, p.range) } : {} },
    legend: { live: true },
  };
  if (band && keys.includes(band.lower) && keys.includes(band.upper)) {
    opts.bands = [{ series: [keys.indexOf(band.upper) + 1, keys.indexOf(band.lower) + 1],
                    fill: "rgba(37, 99, 235, 0.12)" }];
  }
  if (chart.plot) chart.plot.destroy();
  chart.plot = new uPlot(opts, data, holder);
  chart.keys = keys;
}

// the data's own range cut to the panel's, never empty or inverted (all data outside, or one flat line)
function clamp(min, max, range) {
  let lo = Math.max(min ?? range[0], range[0]), hi = Math.min(max ?? range[1], range[1]);
  if (!(lo < hi)) [lo, hi] = range;
  const pad = (hi - lo) * 0.05;
  return [Math.max(range[0], lo - pad), Math.min(range[1], hi + pad)];
}

function reset() {
  times.length = 0;
  columns.clear();
  latest = new Map();
  lastSeq = 0;
  for (const c of charts.values()) {
    if (c.plot) c.plot.destroy();
    c.plot = null;
    c.keys = [];
    c.el.querySelector(".plot").replaceChildren(el("div", "empty", "no data yet"));
  }
}

function append(ticks) {
  for (const tick of ticks) {
    times.push(tick.t / 1000);
    for (const [k, v] of Object.entries(tick.v)) {
      if (!columns.has(k)) columns.set(k, new Array(times.length - 1).fill(null));
    }
    for (const [k, col] of columns) col.push(k in tick.v ? tick.v[k] : null);
    lastSeq = tick.seq;
  }
  if (ticks.length > 0) latest = new Map(Object.entries(ticks[ticks.length - 1].v));
  if (times.length > KEEP_POINTS) {
    const drop = times.length - KEEP_POINTS;
    times.splice(0, drop);
    for (const col of columns.values()) col.splice(0, drop);
  }
}

function showSources(sources) {
  const box = document.getElementById("sources");
  box.replaceChildren(...sources.map(s => {
    const e = el("span", "source" + (s.up ? " up" : ""), s.name);
    e.title = s.url + (s.up ? "" : ": " + s.error);
    return e;
  }));
}

async function poll() {
  try {
    const response = await fetch("api/ticks?after=" + lastSeq, { cache: "no-store" });
    const body = await response.json();
    if (run !== body.run) {
      // a new recording (the stack restarted on this port): start over from its first tick
      if (run !== null) {
        reset();
        run = body.run;
        setTimeout(poll, 0);
        return;
      }
      run = body.run;
    }
    if (body.ticks.length) {
      append(body.ticks);
      updateTiles();
      for (const p of layout.panels) drawChart(p);
      document.getElementById("clock").textContent = new Date(times[times.length - 1] * 1000).toLocaleTimeString();
    }
    showSources(body.sources);
    document.body.dataset.seq = String(lastSeq);
  } catch (e) {
    document.getElementById("clock").textContent = "dashboard unreachable";
  }
  setTimeout(poll, POLL_MS);
}

window.addEventListener("resize", () => {
  for (const c of charts.values()) {
    if (c.plot) c.plot.setSize({ width: c.el.querySelector(".plot").clientWidth, height: 220 });
  }
});

fetch("api/layout").then(r => r.json()).then(l => { layout = l; buildPage(); poll(); });
