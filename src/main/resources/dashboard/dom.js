// The dashboard's DOM and number helpers, loaded before dashboard.js. Caller text only ever goes in as text:
// el() sets textContent, money() and rows set data attributes as data, nothing here parses HTML.
"use strict";

/** An element with text content and optional class; children appended as given. */
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function $(id) { return document.getElementById(id); }

function usd(s) {
  const n = Number(s);
  if (n === 0) return "$0.00";
  if (n >= 1) return "$" + n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (n >= 0.0001) return "$" + n.toFixed(4);
  return "<$0.0001";
}

function int(n) { return Number(n).toLocaleString("en-US"); }
function pct(r) { return (Number(r) * 100).toFixed(1) + "%"; }
function ms(v) { return v === null || v === undefined ? "–" : int(v) + " ms"; }
function time(iso) { return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : ""; }

/** A money cell: the rounded amount as text, the exact decimal in data-usd (tests and copy-paste read it). */
function money(s, cls) {
  const e = el("td", usd(s), cls || "num");
  e.dataset.usd = s;
  return e;
}

function row(cells) {
  const tr = document.createElement("tr");
  cells.forEach(c => tr.append(c instanceof Node ? c : el("td", c)));
  return tr;
}

function emptyRow(tbody, columns, text) {
  const td = el("td", text);
  td.colSpan = columns;
  const tr = el("tr", null, "empty");
  tr.append(td);
  tbody.append(tr);
}

function meter(fraction) {
  const step = Math.max(0, Math.min(100, Math.round(fraction * 20) * 5));
  const outer = el("span", null, "meter");
  outer.append(el("span", null, "fill w" + step + (fraction >= 1 ? " bad" : fraction >= 0.75 ? " warn" : "")));
  return outer;
}
