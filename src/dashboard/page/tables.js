// The dashboard's tables: models, backends, fallbacks, API keys and recent failures. Cells are
// text nodes or elements built here; a string from the gateway is never parsed as markup.

import { DASH, asText, formatClock, formatCount, formatLatency, formatUntil, isNum, parseTime } from './format.js';

// Status words map to a fixed set of classes; any other word is shown as neutral.
const STATUS_CLASS = new Map([['healthy', 'ok'], ['unhealthy', 'bad'], ['ejected', 'warn'], ['degraded', 'warn'], ['unknown', 'idle']]);
const OK_OUTCOMES = new Set(['success', 'ok']);
const NUM = 'num';

/** An element with a class and text content. */
export function createEl(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function createBadge(word, cls) {
  return createEl('span', 'badge badge-' + cls, word);
}

function createStatusBadge(status) {
  if (typeof status !== 'string' || status === '') return DASH;
  return createBadge(status, STATUS_CLASS.get(status) ?? 'idle');
}

function createStatusCode(status) {
  if (!isNum(status)) return asText(status);
  return createBadge(String(status), status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'idle');
}

// `attempts` is an object outcome -> count; shown as chips, most frequent first.
function createAttempts(attempts) {
  if (attempts === null || typeof attempts !== 'object' || Array.isArray(attempts)) return DASH;
  const entries = Object.entries(attempts).filter(([, n]) => isNum(n)).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return DASH;
  const chips = createEl('span', 'chips');
  for (const [outcome, n] of entries) {
    const chip = createEl('span', 'chip ' + (OK_OUTCOMES.has(outcome) ? 'chip-ok' : 'chip-bad'), outcome + ' ');
    chip.append(createEl('b', '', formatCount(n)));
    chips.append(chip);
  }
  return chips;
}

/** Replaces a table's body: columns are `{cell: row => string | Node, cls}`; strings become text nodes. */
export function fillTable(table, rows, columns, emptyText) {
  const fresh = document.createDocumentFragment();
  if (!Array.isArray(rows) || rows.length === 0) {
    const td = createEl('td', 'empty', emptyText);
    td.colSpan = columns.length;
    const tr = createEl('tr');
    tr.append(td);
    fresh.append(tr);
  }
  for (const raw of Array.isArray(rows) ? rows : []) {
    const row = raw !== null && typeof raw === 'object' ? raw : {};
    const tr = createEl('tr');
    for (const column of columns) {
      const td = createEl('td', column.cls);
      td.append(column.cell(row));
      tr.append(td);
    }
    fresh.append(tr);
  }
  table.tBodies[0].replaceChildren(fresh);
}

const MODEL_COLUMNS = [
  { cell: (m) => asText(m.name), cls: 'name' },
  { cell: (m) => formatCount(m.requests), cls: NUM },
  { cell: (m) => formatLatency(m.average_duration_ms), cls: NUM },
  { cell: (m) => formatLatency(m.p50_ms), cls: NUM },
  { cell: (m) => formatLatency(m.p95_ms), cls: NUM },
  { cell: (m) => formatLatency(m.ttft_p50_ms), cls: NUM },
  { cell: (m) => formatLatency(m.ttft_p95_ms), cls: NUM },
];

const BACKEND_COLUMNS = [
  { cell: (b) => asText(b.id), cls: 'name' },
  { cell: (b) => createStatusBadge(b.status) },
  { cell: (b) => formatUntil(b.ejected_until) },
  { cell: (b) => formatCount(b.pending), cls: NUM },
  { cell: (b) => formatCount(b.requests), cls: NUM },
  { cell: (b) => formatLatency(b.average_latency_ms), cls: NUM },
  { cell: (b) => createAttempts(b.attempts) },
];

const FALLBACK_COLUMNS = [
  { cell: (f) => asText(f.from), cls: 'name' },
  { cell: (f) => asText(f.to), cls: 'name' },
  { cell: (f) => formatCount(f.count), cls: NUM },
];

const KEY_COLUMNS = [
  { cell: (k) => asText(k.name), cls: 'name' },
  { cell: (k) => formatCount(k.requests), cls: NUM },
  { cell: (k) => formatCount(k.errors), cls: NUM },
  { cell: (k) => formatCount(k.prompt_tokens), cls: NUM },
  { cell: (k) => formatCount(k.completion_tokens), cls: NUM },
];

const ERROR_COLUMNS = [
  { cell: (e) => formatClock(parseTime(e.time)), cls: NUM },
  { cell: (e) => createStatusCode(e.status) },
  { cell: (e) => asText(e.error_type) },
  { cell: (e) => asText(e.model), cls: 'name' },
  { cell: (e) => asText(e.backend) },
  { cell: (e) => asText(e.request_id), cls: 'mono' },
  { cell: (e) => asText(e.message), cls: 'message' },
];

/** Renders every table from a stats document; optional sections show only when their field exists. */
export function renderTables(stats, backends, byId) {
  fillTable(byId('models'), stats.models, MODEL_COLUMNS, 'No requests yet');
  fillTable(byId('backends'), backends, BACKEND_COLUMNS, 'No backends registered');
  byId('fallbacks-card').hidden = !Array.isArray(stats.fallback_pairs);
  fillTable(byId('fallbacks'), stats.fallback_pairs, FALLBACK_COLUMNS, 'No fallbacks yet');
  byId('keys-card').hidden = !Array.isArray(stats.keys);
  fillTable(byId('keys'), stats.keys, KEY_COLUMNS, 'No key has been used yet');
  const errorsKnown = Array.isArray(stats.recent_errors);
  fillTable(byId('errors'), stats.recent_errors, ERROR_COLUMNS, errorsKnown ? 'No failures recorded' : DASH);
}
