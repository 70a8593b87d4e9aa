// A strict parser of OpenMetrics 1.0.0 text for tests, following the specification's ABNF: it rejects
// what a lenient scraper would accept (missing `# EOF`, a counter sample without `_total`, a non-canonical
// `le`, an exemplar outside a bucket or over 128 code points, bad escapes, non-cumulative buckets).

/** One parsed exemplar. */
export interface OpenMetricsExemplar {
  labels: Record<string, string>;
  value: number;
  timestamp: number | undefined;
}

/** One parsed sample. */
export interface OpenMetricsSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar: OpenMetricsExemplar | undefined;
}

/** One parsed family. */
export interface OpenMetricsFamily {
  name: string;
  type: string;
  help: string | undefined;
  samples: OpenMetricsSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const REAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
// Canonical numbers as Go's %g writes them, with `.0` added to integers: `1.0`, `0.25`, `1e+06`, `5e-05`.
const CANONICAL_LE = /^(-?(\d+\.\d+|\d(\.\d+)?e[-+]\d{2,3})|\+Inf)$/;
const SUFFIXES: Record<string, string[]> = { counter: ['_total', '_created'], gauge: [''], histogram: ['_bucket', '_sum', '_count', '_created'], unknown: [''] };

function fail(message: string, line: string): never {
  throw new Error(`${message} in ${JSON.stringify(line)}`);
}

function parseNumber(text: string, line: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (/^[-+]?inf(inity)?$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  if (!REAL.test(text)) fail(`bad number ${JSON.stringify(text)}`, line);
  return Number(text);
}

function parseEscaped(text: string, line: string, terminator: string): [string, string] {
  let value = '';
  let i = 0;
  for (;;) {
    const c = text[i++];
    if (c === undefined) {
      if (terminator === '') return [value, ''];
      fail('unterminated string', line);
    }
    if (c === terminator) return [value, text.slice(i)];
    if (c === '"') fail('unescaped double quote', line);
    if (c === '\\') {
      const e = text[i++];
      if (e === 'n') value += '\n';
      else if (e === '"' || e === '\\') value += e;
      else fail(`undefined escape \\${String(e)}`, line);
    } else {
      value += c;
    }
  }
}

function parseLabels(text: string, line: string): [Record<string, string>, string] {
  const labels: Record<string, string> = {};
  let rest = text.slice(1);
  while (!rest.startsWith('}')) {
    const name = LABEL.exec(rest)?.[0] ?? fail('bad label name', line);
    rest = rest.slice(name.length);
    if (!rest.startsWith('="')) fail(`expected =" after ${name}`, line);
    let value: string;
    [value, rest] = parseEscaped(rest.slice(2), line, '"');
    if (name in labels) fail(`duplicate label ${name}`, line);
    labels[name] = value;
    if (rest.startsWith(',')) rest = rest.slice(1);
    else if (!rest.startsWith('}')) fail('expected , or }', line);
  }
  return [labels, rest.slice(1)];
}

function parseExemplar(text: string, line: string): OpenMetricsExemplar {
  if (!text.startsWith('{')) fail('exemplar without a label set', line);
  const [labels, rest] = parseLabels(text, line);
  const points = Object.entries(labels).reduce((n, [k, v]) => n + [...k].length + [...v].length, 0);
  if (points > 128) fail(`exemplar label set of ${points} code points`, line);
  const parts = rest.split(' ');
  if (parts[0] !== '' || parts.length < 2 || parts.length > 3) fail('bad exemplar value/timestamp', line);
  return { labels, value: parseNumber(parts[1] as string, line), timestamp: parts[2] === undefined ? undefined : parseNumber(parts[2], line) };
}

/** Parses an OpenMetrics exposition strictly; throws naming the offending line on any deviation. */
export function parseOpenMetrics(text: string): Map<string, OpenMetricsFamily> {
  if (!text.endsWith('# EOF\n')) throw new Error('exposition must end with "# EOF\\n"');
  const lines = text.slice(0, -'# EOF\n'.length).split('\n');
  if (lines.pop() !== '') throw new Error('the line before # EOF must end with a newline');
  const families = new Map<string, OpenMetricsFamily>();
  let current: OpenMetricsFamily | undefined;
  for (const line of lines) {
    if (line.includes('\r')) fail('carriage return', line);
    const meta = /^# (TYPE|HELP|UNIT) ([^ ]+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, name = '', rest = ''] = meta;
      if (current === undefined || current.name !== name) {
        if (families.has(name)) fail(`family ${name} is interleaved or repeated`, line);
        current = { name, type: 'unknown', help: undefined, samples: [] };
        families.set(name, current);
      } else if (current.samples.length > 0) fail('metadata after samples', line);
      if (kind === 'TYPE') {
        if (!(rest in SUFFIXES)) fail(`unsupported type ${rest}`, line);
        current.type = rest;
      } else if (kind === 'HELP') {
        if (current.help !== undefined) fail('second HELP', line);
        current.help = parseEscaped(rest, line, '')[0];
      }
      continue;
    }
    if (line.startsWith('#')) fail('comment line', line);
    const name = NAME.exec(line)?.[0] ?? fail('bad sample name', line);
    if (current === undefined || !(SUFFIXES[current.type] as string[]).some((s) => name === current!.name + s)) {
      fail(`sample ${name} does not belong to family ${current?.name ?? '(none)'}`, line);
    }
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) [labels, rest] = parseLabels(rest, line);
    const hash = rest.indexOf(' # ');
    const exemplar = hash === -1 ? undefined : parseExemplar(rest.slice(hash + 3), line);
    if (exemplar !== undefined && !(name.endsWith('_bucket') || (current.type === 'counter' && name.endsWith('_total')))) fail('exemplar outside a bucket or counter total', line);
    const value = (hash === -1 ? rest : rest.slice(0, hash)).split(' ');
    if (value[0] !== '' || value.length !== 2) fail('expected one space and a value', line);
    const sample = { name, labels, value: parseNumber(value[1] as string, line), exemplar };
    if (current.type === 'counter' && (!(sample.value >= 0))) fail('counter total must be a non-negative number', line);
    current.samples.push(sample);
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function checkHistogram(family: OpenMetricsFamily): void {
  const points = new Map<string, OpenMetricsSample[]>();
  for (const s of family.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const group = points.get(key) ?? [];
    points.set(key, group);
    group.push(s);
  }
  for (const group of points.values()) {
    const buckets = group.filter((s) => s.name.endsWith('_bucket'));
    const sum = group.find((s) => s.name.endsWith('_sum'));
    const count = group.find((s) => s.name.endsWith('_count'));
    if ((sum === undefined) !== (count === undefined)) throw new Error(`${family.name}: _count must appear exactly when _sum does`);
    let previousLe = -Infinity;
    let previous = 0;
    for (const b of buckets) {
      const text = b.labels.le ?? '';
      const le = parseNumber(text, b.name);
      if (!CANONICAL_LE.test(text)) throw new Error(`${family.name}: le="${text}" is not canonical`);
      if (!(le > previousLe) || b.value < previous || !Number.isInteger(b.value)) throw new Error(`${family.name}: buckets not increasing, cumulative integers`);
      previousLe = le;
      previous = b.value;
    }
    if (previousLe !== Infinity) throw new Error(`${family.name}: +Inf bucket missing`);
    if (count !== undefined && count.value !== previous) throw new Error(`${family.name}: _count differs from the +Inf bucket`);
  }
}
