// Request and error rates over the last five minutes: samples of the gateway's counters, their
// deltas between polls, and an inline SVG line chart built node by node (no markup strings).

/** The span the charts show. */
export const WINDOW_MS = 5 * 60 * 1000;

const SVG_NS = 'http://www.w3.org/2000/svg';
const HEIGHT = 180;
const PAD = { top: 10, right: 10, bottom: 22, left: 46 };
const MIN_WIDTH = 240;

/** Successive counter samples `{t, total, errors}`, oldest first, kept for the window. */
export class RateHistory {
  constructor() {
    this.samples = [];
  }

  /** Adds a sample; a counter that went backwards means the gateway restarted, so history restarts. */
  record(t, total, errors) {
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && (total < last.total || errors < last.errors)) this.samples.length = 0;
    this.samples.push({ t, total, errors });
    while (this.samples.length > 2 && this.samples[1].t < t - WINDOW_MS) this.samples.shift();
  }

  /** Per-second rates `{t, v}` of one counter (`total` or `errors`) between successive samples. */
  rates(field) {
    const points = [];
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1];
      const b = this.samples[i];
      const seconds = (b.t - a.t) / 1000;
      if (seconds > 0) points.push({ t: b.t, v: (b[field] - a[field]) / seconds });
    }
    return points;
  }
}

function createSvg(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// Axis labels: at most three significant digits, no trailing zeros (0, 2.5, 10).
const formatTick = (v) => String(Number(v.toPrecision(3)));

// A round axis maximum (1, 2, 2.5 or 5 times a power of ten) at or above the largest value.
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v * 0.999);
}

/** Draws rate points ending at `now` into the container, as wide as the container is. */
export function drawChart(container, points, now, label) {
  const width = Math.max(container.clientWidth, MIN_WIDTH);
  const [x0, x1, y0, y1] = [PAD.left, width - PAD.right, HEIGHT - PAD.bottom, PAD.top];
  const svg = createSvg('svg', { viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: 'img', 'aria-label': label });
  const max = niceMax(Math.max(0, ...points.map((p) => p.v)));
  const xOf = (t) => Math.max(x0, x1 - ((now - t) / WINDOW_MS) * (x1 - x0)).toFixed(1);
  const yOf = (v) => (y0 - (v / max) * (y0 - y1)).toFixed(1);
  for (const fraction of [0, 0.5, 1]) {
    const y = yOf(max * fraction);
    svg.append(createSvg('line', { x1: x0, x2: x1, y1: y, y2: y, class: 'grid' }));
    svg.append(createSvg('text', { x: x0 - 8, y, dy: '0.35em', class: 'axis', 'text-anchor': 'end' }, formatTick(max * fraction)));
  }
  svg.append(createSvg('text', { x: x0, y: HEIGHT - 4, class: 'axis' }, '−5 min'));
  svg.append(createSvg('text', { x: x1, y: HEIGHT - 4, class: 'axis', 'text-anchor': 'end' }, 'now'));
  if (points.length < 2) {
    svg.append(createSvg('text', { x: (x0 + x1) / 2, y: (y0 + y1) / 2, class: 'axis', 'text-anchor': 'middle' }, 'collecting data…'));
  } else {
    const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${xOf(p.t)},${yOf(p.v)}`).join('');
    const first = xOf(points[0].t);
    const last = xOf(points[points.length - 1].t);
    svg.append(createSvg('path', { d: `${line}L${last},${y0}L${first},${y0}Z`, class: 'area' }));
    svg.append(createSvg('path', { d: line, class: 'line' }));
  }
  container.replaceChildren(svg);
}
