// Prometheus text format 0.0.4 primitives: escaping, number spelling and label-pair rendering.
// Everything here runs when a series or family is created, never per recording.

/** Content type of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Escapes a label value: backslash, double quote and line feed, as the text format requires. */
export function escapeLabelValue(value: string): string {
  // Fast path: most values (sanitized names, statuses) need no escaping at all.
  if (!/[\\"\n]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes HELP text: only backslash and line feed are escaped there (quotes stay). */
export function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Spells a sample value the way Prometheus parses it: `+Inf`, `-Inf`, `NaN`, else the shortest round-trip form. */
export function formatNumber(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (n !== n) return 'NaN';
  return '' + n;
}

/** Renders `a="x",b="y"` for the given names and values (values escaped); empty string when there are none. */
export function renderLabelPairs(names: readonly string[], values: readonly string[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ',';
    out += names[i] + '="' + escapeLabelValue(values[i] ?? '') + '"';
  }
  return out;
}

/** Renders the `name{labels}` selector of one sample, omitting the braces when there are no labels. */
export function renderSeriesName(name: string, pairs: string): string {
  return pairs === '' ? name : name + '{' + pairs + '}';
}

/** Renders the `# HELP` and `# TYPE` header lines of one family. */
export function renderFamilyHeader(name: string, help: string, type: string): string {
  return '# HELP ' + name + ' ' + escapeHelp(help) + '\n# TYPE ' + name + ' ' + type + '\n';
}
