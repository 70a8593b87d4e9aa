// A strict parser of the Prometheus text format 0.0.4 for tests: it rejects anything a lenient
// scraper would paper over (bad escapes, missing HELP/TYPE, unsorted or non-cumulative buckets).

/** One parsed sample. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** One parsed family. */
export interface Family {
  name: string;
  help: string;
  type: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value ${JSON.stringify(text)} in line ${JSON.stringify(line)}`);
  return Number(text);
}

function parseLabels(text: string, line: string): [Record<string, string>, string] {
  const labels: Record<string, string> = {};
  let rest = text;
  while (!rest.startsWith('}')) {
    const name = LABEL.exec(rest)?.[0];
    if (name === undefined) throw new Error(`bad label name in ${JSON.stringify(line)}`);
    rest = rest.slice(name.length);
    if (!rest.startsWith('="')) throw new Error(`expected =" after ${name} in ${JSON.stringify(line)}`);
    rest = rest.slice(2);
    let value = '';
    for (;;) {
      const c = rest[0];
      if (c === undefined || c === '\n') throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
      rest = rest.slice(1);
      if (c === '"') break;
      if (c === '\\') {
        const e = rest[0];
        rest = rest.slice(1);
        if (e === '\\') value += '\\';
        else if (e === '"') value += '"';
        else if (e === 'n') value += '\n';
        else throw new Error(`bad escape \\${e} in ${JSON.stringify(line)}`);
      } else {
        value += c;
      }
    }
    if (name in labels) throw new Error(`duplicate label ${name} in ${JSON.stringify(line)}`);
    labels[name] = value;
    if (rest.startsWith(',')) rest = rest.slice(1);
    else if (!rest.startsWith('}')) throw new Error(`expected , or } in ${JSON.stringify(line)}`);
  }
  return [labels, rest.slice(1)];
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, e: string) => (e === 'n' ? '\n' : '\\'));
}

/** Parses exposition text strictly; throws with the offending line on any deviation. */
export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, Family>();
  let current: Family | undefined;
  const seenSeries = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('# HELP ')) {
      const [, name = '', ...help] = line.split(' ').slice(1);
      if (families.has(name)) throw new Error(`family ${name} appears twice`);
      current = { name, help: unescapeHelp(help.join(' ')), type: '', samples: [] };
      families.set(name, current);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      if (current === undefined || current.name !== name) throw new Error(`TYPE without HELP: ${line}`);
      if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type ?? '')) throw new Error(`bad type: ${line}`);
      current.type = type as string;
      continue;
    }
    if (line.startsWith('#') || line === '') throw new Error(`unexpected line ${JSON.stringify(line)}`);
    if (current === undefined || current.type === '') throw new Error(`sample before HELP/TYPE: ${line}`);
    const name = NAME.exec(line)?.[0];
    if (name === undefined) throw new Error(`bad sample name: ${line}`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) [labels, rest] = parseLabels(rest.slice(1), line);
    if (!rest.startsWith(' ')) throw new Error(`expected space before value: ${line}`);
    const value = parseValue(rest.slice(1), line);
    const suffixOk = current.type === 'histogram' ? [`${current.name}_bucket`, `${current.name}_sum`, `${current.name}_count`].includes(name) : name === current.name;
    if (!suffixOk) throw new Error(`sample ${name} does not belong to family ${current.name}`);
    const key = name + JSON.stringify(Object.entries(labels).sort());
    if (seenSeries.has(key)) throw new Error(`duplicate series ${line}`);
    seenSeries.add(key);
    current.samples.push({ name, labels, value });
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function checkHistogram(family: Family): void {
  const groups = new Map<string, Sample[]>();
  for (const s of family.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(s);
  }
  for (const group of groups.values()) {
    const buckets = group.filter((s) => s.name.endsWith('_bucket'));
    const count = group.find((s) => s.name.endsWith('_count'));
    if (count === undefined || !group.some((s) => s.name.endsWith('_sum'))) throw new Error(`${family.name}: series without _sum/_count`);
    let previousLe = -Infinity;
    let previousCount = 0;
    for (const b of buckets) {
      const le = parseValue(b.labels.le ?? '', 'le');
      if (!(le > previousLe) || b.value < previousCount) throw new Error(`${family.name}: buckets not increasing/cumulative`);
      previousLe = le;
      previousCount = b.value;
    }
    if (previousLe !== Infinity || previousCount !== count.value) throw new Error(`${family.name}: +Inf bucket missing or != _count`);
  }
}

/** Value of the sample with exactly these labels, or undefined. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const familyName = name.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(name) ?? families.get(familyName);
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return family?.samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted)?.value;
}

/** Sum of every sample of `name` whose labels include `match`. */
export function sumSamples(families: Map<string, Family>, name: string, match: Record<string, string> = {}): number {
  const family = families.get(name) ?? families.get(name.replace(/_(bucket|sum|count)$/, ''));
  let total = 0;
  for (const s of family?.samples ?? []) {
    if (s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
  }
  return total;
}
