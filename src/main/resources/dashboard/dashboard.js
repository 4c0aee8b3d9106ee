// The dashboard page. Every value that came from a caller (team, user, key alias, model, tag, error type) reaches
// the page through textContent or an attribute set as data: never as HTML, so a model named "<img onerror=...>"
// shows as those characters (the helpers are in dom.js). Data comes from /admin/dashboard/api/* with the session cookie.
"use strict";

const API = "/admin/dashboard/api/";
const SVG = "http://www.w3.org/2000/svg";
const state = { period: "7d", metric: "cost", by: "model", summary: null };

async function get(call, params) {
  const q = new URLSearchParams(params || {}).toString();
  const r = await fetch(API + call + (q ? "?" + q : ""), { credentials: "same-origin", headers: { accept: "application/json" } });
  if (r.status === 401) {
    location.assign("/admin/dashboard/signin");
    throw new Error("signed out");
  }
  const body = await r.json();
  if (!r.ok) throw new Error(body && body.error ? body.error.message : "HTTP " + r.status);
  return body;
}

function failed(section, err) {
  const p = $("load-error");
  p.hidden = false;
  p.textContent = section + ": " + err.message;
}

// --- sections ------------------------------------------------------------------------------------------------

function renderSummary(s) {
  state.summary = s;
  const t = s.totals;
  const cost = $("total-cost");
  cost.textContent = usd(t.cost_usd);
  cost.dataset.usd = t.cost_usd;
  $("total-requests").textContent = int(t.requests);
  $("total-requests").dataset.count = t.requests;
  $("total-tokens").textContent = int(t.tokens);
  $("total-errors").textContent = int(t.errors);
  const saved = Number(t.gateway_cache_savings_usd) + Number(t.provider_cache_savings_usd);
  $("total-saved").textContent = usd(saved);
  $("empty").hidden = t.requests > 0;
  $("period-note").textContent = "Since " + time(s.period.since) + " UTC, per " + s.period.bucket
      + ". The same numbers: " + s.period.report_command;
  renderChart();
}

function renderChart() {
  const box = $("chart");
  box.replaceChildren();
  const series = state.summary ? state.summary.series : [];
  const value = p => state.metric === "cost" ? Number(p.cost_usd) : Number(p.tokens);
  const max = Math.max(0, ...series.map(value));
  const W = 1000, H = 220, pad = 28, n = Math.max(series.length, 1), bw = (W - pad) / n;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "spend per " + (state.summary ? state.summary.period.bucket : "day"));
  const label = (x, y, text) => {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", x); t.setAttribute("y", y); t.setAttribute("class", "axis");
    t.textContent = text;
    svg.append(t);
  };
  const line = document.createElementNS(SVG, "line");
  line.setAttribute("x1", pad); line.setAttribute("x2", W); line.setAttribute("y1", H - 20); line.setAttribute("y2", H - 20);
  line.setAttribute("class", "grid");
  svg.append(line);
  label(0, 12, max === 0 ? "no spend" : state.metric === "cost" ? usd(max) : int(max));
  series.forEach((p, i) => {
    const h = max === 0 ? 0 : (value(p) / max) * (H - 40);
    const r = document.createElementNS(SVG, "rect");
    r.setAttribute("x", pad + i * bw + 1); r.setAttribute("width", Math.max(1, bw - 2));
    r.setAttribute("y", H - 20 - h); r.setAttribute("height", h); r.setAttribute("class", "bar");
    const tip = document.createElementNS(SVG, "title");
    tip.textContent = time(p.start) + ": " + usd(p.cost_usd) + ", " + int(p.tokens) + " tokens, " + int(p.requests) + " requests";
    r.append(tip);
    svg.append(r);
    const every = Math.ceil(series.length / 12);
    if (i % every === 0) {
      label(pad + i * bw + 2, H - 6, state.summary.period.bucket === "hour" ? p.start.substring(11, 16) : p.start.substring(5, 10));
    }
  });
  box.append(svg);
}

function renderBreakdown(b) {
  $("breakdown-dim").textContent = b.by;
  const tbody = $("breakdown").tBodies[0];
  tbody.replaceChildren();
  if (b.rows.length === 0) return emptyRow(tbody, 5, "No spend in this period.");
  const total = b.rows.reduce((a, r) => a + Number(r.cost_usd), 0) + (b.others ? Number(b.others.cost_usd) : 0);
  b.rows.forEach(r => {
    const share = total > 0 ? Number(r.cost_usd) / total : 0;
    const shareCell = el("td");
    shareCell.append(meter(share), document.createTextNode(pct(share)));
    tbody.append(row([el("td", r.value === null ? "(none)" : r.value, "text"), el("td", int(r.requests), "num"),
      el("td", int(r.tokens), "num"), money(r.cost_usd), shareCell]));
  });
  if (b.others) {
    tbody.append(row([el("td", b.others.groups + " more"), el("td", int(b.others.requests), "num"),
      el("td", int(b.others.tokens), "num"), money(b.others.cost_usd), el("td", "")]));
  }
}

function renderBudgets(b) {
  const tbody = $("budgets").tBodies[0];
  tbody.replaceChildren();
  $("budget-warnings").replaceChildren(...(b.warnings || []).map(w => el("li", w)));
  if (!b.available || b.budgets.length === 0) return emptyRow(tbody, 8, "No budgets in force (budgets.list in the configuration, or sluice budgets set).");
  b.budgets.forEach(budget => {
    const limits = budget.limits.map(l => l.metric === "usd" ? usd(l.amount) : int(l.amount) + " " + l.metric).join(" + ");
    const thresholds = budget.thresholds.map(t => t.at + "% " + t.action).join(", ") || "none";
    const covers = budget.level + " " + budget.id;
    const standings = budget.standings || [];
    if (standings.length === 0) {
      const note = budget.each ? "per member: " + limits + " each" : budget.standing_error || "no spend yet: " + limits;
      tbody.append(row([el("td", budget.name, "text"), el("td", covers, "text"), el("td", budget.period),
        el("td", note, "text"), el("td", "", "num"), el("td", thresholds), el("td", "", "num"), el("td", budget.at_line)]));
      return;
    }
    standings.forEach(s => {
      const isUsd = s.metric === "usd";
      const fmt = v => isUsd ? usd(v) : int(v);
      const spent = el("td");
      spent.append(meter(s.amount > 0 ? s.spent / s.amount : 0), document.createTextNode(fmt(s.spent) + " / " + fmt(s.amount)));
      const forecast = s.forecast ? fmt(s.forecast.period_end) + " (" + fmt(s.forecast.low) + "–" + fmt(s.forecast.high) + ")" : "–";
      tbody.append(row([el("td", budget.name, "text"), el("td", covers, "text"), el("td", s.period + ", resets " + time(s.resets_at)),
        spent, el("td", s.percent + "%", "num"), el("td", thresholds), el("td", forecast, "num"),
        el("td", s.blocked ? budget.at_line + " (now blocking)" : budget.at_line)]));
    });
  });
}

function card(label, value, sub) {
  const c = el("div", null, "card");
  c.append(el("span", label, "label"), el("span", value, "value"));
  if (sub) c.append(el("span", sub, "sub"));
  return c;
}

function renderCache(c) {
  const box = $("cache");
  const cards = [];
  const g = c.response_cache;
  if (g) {
    cards.push(card("Response cache hit rate", pct(g.hit_rate), int(g.hits) + " exact, " + int(g.semantic_hits) + " semantic, "
      + int(g.misses) + " misses, " + int(g.bypasses) + " bypassed"));
    const saved = card("Saved by the response cache", usd(g.saved_usd), pct(g.token_hit_rate) + " of looked-up prompt tokens");
    saved.querySelector(".value").dataset.usd = g.saved_usd;
    cards.push(saved);
  } else {
    cards.push(card("Response cache", "off", "no cache report on this gateway"));
  }
  const p = c.prompt_cache;
  cards.push(card("Prompt-cache reads", pct(p.read_rate), int(p.read_tokens) + " of " + int(p.prompt_tokens) + " prompt tokens"));
  cards.push(card("Saved by the provider's prompt cache", usd(p.saved_usd)));
  box.replaceChildren(...cards);
}

function renderLatency(l) {
  const tbody = $("latency").tBodies[0];
  tbody.replaceChildren();
  [["Gateway added", l.gateway_ms], ["Upstream (whole attempt)", l.upstream_ms], ["Upstream first byte", l.ttfb_ms]].forEach(([name, p]) =>
    tbody.append(row([el("td", name), el("td", ms(p.p50), "num"), el("td", ms(p.p95), "num"), el("td", ms(p.p99), "num"), el("td", ms(p.max), "num")])));
  $("latency-note").textContent = l.sample === 0 ? "No upstream attempts in this period."
    : "From the newest " + int(l.sample) + " upstream attempts of the period (at most " + int(l.sample_limit) + ").";
  const errors = $("errors").tBodies[0];
  errors.replaceChildren();
  if (l.errors.length === 0) return emptyRow(errors, 4, "No errors in this period.");
  l.errors.forEach(e => errors.append(row([el("td", e.status, "num"), el("td", e.error_type || "", "text"),
    el("td", int(e.requests), "num"), el("td", int(e.attempts), "num")])));
}

function renderRequests(r) {
  const tbody = $("requests").tBodies[0];
  tbody.replaceChildren();
  if (r.requests.length === 0) return emptyRow(tbody, 11, "No requests in this period.");
  r.requests.forEach(q => {
    const link = el("a", q.request_id);
    link.href = "#request=" + encodeURIComponent(q.request_id);
    const idCell = el("td");
    idCell.append(link);
    const tr = row([el("td", time(q.time)), el("td", q.user || "", "text"), el("td", q.key_alias || q.key_id || "", "text"),
      el("td", q.model || "", "text model"), el("td", q.provider || ""), el("td", q.cache || ""),
      el("td", q.status + (q.attempts > 1 ? " (" + q.attempts + " attempts)" : ""), "num"),
      el("td", ms(q.latency_ms), "num"), el("td", ms(q.gateway_ms), "num"), money(q.cost_usd, "num cost"), idCell]);
    tr.dataset.requestId = q.request_id;
    tbody.append(tr);
  });
}

async function showRequest(id) {
  const box = $("request-detail");
  if (!id) { box.hidden = true; return; }
  try {
    const d = await get("requests/" + encodeURIComponent(id));
    $("request-detail-title").textContent = "Request " + d.request_id + " · " + usd(d.cost_usd);
    const tbody = $("attempts").tBodies[0];
    tbody.replaceChildren();
    d.attempts.forEach(a => tbody.append(row([el("td", a.attempt, "num"), el("td", time(a.time)), el("td", a.status, "num"),
      el("td", a.error_type || "", "text"), el("td", a.served_model || a.requested_model || "", "text"), el("td", a.provider || ""),
      el("td", a.upstream_key_alias || ""), el("td", a.cache || ""), el("td", int(a.usage.input_tokens), "num"),
      el("td", int(a.usage.output_tokens), "num"), el("td", int(a.usage.cache_read_input_tokens), "num"),
      el("td", ms(a.latency_ms), "num"), el("td", a.ttfb_ms >= 0 ? ms(a.ttfb_ms) : "–", "num"), money(a.cost_usd)])));
    box.hidden = false;
  } catch (err) { failed("request " + id, err); }
}

// --- loading -------------------------------------------------------------------------------------------------

function breakdownBy() {
  return state.by === "tag" ? "tag:" + $("tag").value.trim() : state.by;
}

async function loadBreakdown() {
  if (state.by === "tag" && !$("tag").value.trim()) return; // wait for a tag name
  try { renderBreakdown(await get("breakdown", { period: state.period, by: breakdownBy() })); } catch (e) { failed("breakdown", e); }
}

async function load() {
  $("load-error").hidden = true;
  document.querySelectorAll("#periods button").forEach(b => b.classList.toggle("active", b.dataset.period === state.period));
  document.querySelectorAll("#metric button").forEach(b => b.classList.toggle("active", b.dataset.metric === state.metric));
  const p = { period: state.period };
  const jobs = [
    get("summary", p).then(renderSummary).catch(e => failed("totals", e)),
    loadBreakdown(),
    get("budgets").then(renderBudgets).catch(e => failed("budgets", e)),
    get("cache", p).then(renderCache).catch(e => failed("cache", e)),
    get("latency", p).then(renderLatency).catch(e => failed("latency", e)),
    get("requests", { period: state.period, limit: 50 }).then(renderRequests).catch(e => failed("recent requests", e)),
  ];
  await Promise.all(jobs);
  document.body.dataset.loaded = state.period; // the browser test waits for this
}

function fromHash() {
  const h = new URLSearchParams(location.hash.substring(1));
  if (["today", "7d", "30d", "month"].includes(h.get("period"))) state.period = h.get("period");
  return h.get("request");
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("#periods button").forEach(b => b.addEventListener("click", () => {
    state.period = b.dataset.period;
    location.hash = "period=" + state.period;
  }));
  document.querySelectorAll("#metric button").forEach(b => b.addEventListener("click", () => {
    state.metric = b.dataset.metric;
    document.querySelectorAll("#metric button").forEach(x => x.classList.toggle("active", x === b));
    renderChart();
  }));
  $("by").addEventListener("change", () => {
    state.by = $("by").value;
    $("tag").hidden = state.by !== "tag";
    if (state.by !== "tag") loadBreakdown();
  });
  $("breakdown-form").addEventListener("submit", ev => { ev.preventDefault(); loadBreakdown(); });
  window.addEventListener("hashchange", () => {
    const request = fromHash();
    if (request) showRequest(request); else { $("request-detail").hidden = true; load(); }
  });
  const request = fromHash();
  load().then(() => { if (request) showRequest(request); });
});
