// Entry point of the Nexus dashboard: polls GET /v1/stats every 2 s, asks for an API key once when
// access control answers 401/403 (kept in session storage only) and renders the totals and charts.

import { RateHistory, drawChart } from './chart.js';
import { DASH, formatClock, formatCount, formatDuration, formatPercent, formatRate, isNum } from './format.js';
import { renderTables } from './tables.js';

const POLL_MS = 2000;
const KEY_STORAGE = 'nexus.dashboard.apiKey';
// Relative: the page keeps working behind a reverse proxy that serves it under a path prefix.
const STATS_URL = 'v1/stats';

const history = new RateHistory();
let pollTimer = 0;

const byId = (id) => document.getElementById(id);

function setText(id, text) {
  byId(id).textContent = text;
}

function renderTotals(stats, backends, requestRates) {
  const total = stats.requests?.total;
  const errors = stats.requests?.errors;
  const latest = requestRates[requestRates.length - 1];
  const withStatus = backends.filter((b) => typeof b?.status === 'string');
  setText('kpi-total', formatCount(total));
  setText('kpi-rate', latest === undefined ? DASH : formatRate(latest.v) + '/s');
  setText('kpi-errors', formatCount(errors));
  setText('kpi-ratio', formatPercent(errors, total));
  setText('kpi-pending', formatCount(backends.reduce((sum, b) => sum + (isNum(b?.pending) ? b.pending : 0), 0)));
  setText('kpi-fallbacks', formatCount(stats.fallbacks));
  const healthy = withStatus.filter((b) => b.status === 'healthy').length;
  setText('kpi-healthy', withStatus.length === 0 ? DASH : `${healthy} / ${backends.length}`);
  byId('kpi-errors').classList.toggle('kpi-bad', isNum(errors) && errors > 0);
  byId('kpi-healthy').classList.toggle('kpi-bad', withStatus.length > 0 && healthy < backends.length);
  setText('uptime', formatDuration(stats.uptime_seconds));
  setText('updated', formatClock(new Date()));
}

// Charts are drawn at the container's pixel width (crisp text), so a resize redraws them.
function drawCharts() {
  const now = history.samples.length > 0 ? history.samples[history.samples.length - 1].t : Date.now();
  drawChart(byId('chart-requests'), history.rates('total'), now, 'Requests per second, last 5 minutes');
  drawChart(byId('chart-errors'), history.rates('errors'), now, 'Errors per second, last 5 minutes');
}

function render(stats) {
  const backends = Array.isArray(stats.backends) ? stats.backends : [];
  const total = stats.requests?.total;
  const errors = stats.requests?.errors;
  history.record(Date.now(), isNum(total) ? total : 0, isNum(errors) ? errors : 0);
  renderTotals(stats, backends, history.rates('total'));
  drawCharts();
  renderTables(stats, backends, byId);
}

function showConnection(live, detail) {
  const pill = byId('conn');
  const text = live ? 'live' : `error · ${detail}`;
  pill.className = live ? 'pill pill-live' : 'pill pill-error';
  // The pill is a live region: rewriting the same text every poll would re-announce it.
  if (pill.textContent !== text) pill.textContent = text;
}

function askForKey(status, hadKey) {
  const reason = status === 403 ? 'This key lacks the admin scope' : hadKey ? 'The key was rejected' : 'This gateway has access control on';
  setText('auth-reason', `${reason} (HTTP ${status}). Enter a key with the admin scope; it is kept in this tab only.`);
  byId('auth').hidden = false;
  byId('auth-key').focus();
}

async function poll() {
  clearTimeout(pollTimer);
  const key = sessionStorage.getItem(KEY_STORAGE);
  const headers = { accept: 'application/json' };
  if (key !== null) headers.authorization = 'Bearer ' + key;
  try {
    const res = await fetch(STATS_URL, { headers, cache: 'no-store' });
    if (res.status === 401 || res.status === 403) {
      showConnection(false, 'HTTP ' + res.status);
      askForKey(res.status, key !== null);
      return; // polling resumes when a key is submitted
    }
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const stats = await res.json().catch(() => Promise.reject(new Error('invalid JSON')));
    render(stats !== null && typeof stats === 'object' ? stats : {});
    showConnection(true);
  } catch (error) {
    // fetch rejects with a TypeError when the gateway cannot be reached at all.
    showConnection(false, error instanceof TypeError ? 'unreachable' : error.message);
  }
  pollTimer = setTimeout(poll, POLL_MS);
}

byId('auth').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = byId('auth-key').value.trim();
  if (key === '') return;
  sessionStorage.setItem(KEY_STORAGE, key);
  byId('auth-key').value = '';
  byId('auth').hidden = true;
  window.addEventListener('resize', drawCharts);
void poll();
});

window.addEventListener('resize', drawCharts);
void poll();
