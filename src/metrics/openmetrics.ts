// OpenMetrics 1.0.0 text primitives: family naming, metadata lines, canonical `le` numbers, the exemplar
// size limit and the closing `# EOF`. Everything here runs when a family or series is first rendered.

import { escapeLabelValue } from './exposition.js';

/** The line that must end every OpenMetrics exposition. */
export const OPENMETRICS_EOF = Buffer.from('# EOF\n');

/** OpenMetrics: an exemplar's label names and values together hold at most 128 UTF-8 code points. */
export const MAX_EXEMPLAR_LABEL_CHARS = 128;

const TOTAL = '_total';

/** The family name OpenMetrics uses in `# TYPE`/`# HELP`: a counter's name without `_total`. */
export function toOpenMetricsFamilyName(name: string, type: string): string {
  return type === 'counter' && name.endsWith(TOTAL) ? name.slice(0, -TOTAL.length) : name;
}

/**
 * The sample name of a counter in OpenMetrics, which must end in `_total`: the name itself when it
 * does (the usual case, so both formats emit the same series), else the name plus `_total`, as the
 * Prometheus Go client does.
 */
export function toOpenMetricsCounterSampleName(name: string): string {
  return name.endsWith(TOTAL) ? name : name + TOTAL;
}

/** Escapes OpenMetrics HELP text: backslash, line feed and, unlike text 0.0.4, the double quote. */
export function escapeOpenMetricsHelp(help: string): string {
  return escapeLabelValue(help);
}

/** Renders the `# TYPE` and `# HELP` lines of one family, in the order OpenMetrics recommends. */
export function renderOpenMetricsHeader(name: string, help: string, type: string): string {
  const family = toOpenMetricsFamilyName(name, type);
  return '# TYPE ' + family + ' ' + type + '\n# HELP ' + family + ' ' + escapeOpenMetricsHelp(help) + '\n';
}

/**
 * Spells an `le` bound the canonical OpenMetrics way: Go's shortest `%g` with `.0` added when there is
 * neither a point nor an exponent (`1` -> `1.0`, `0.25` -> `0.25`, `1e6` -> `1e+06`, `5e-5` -> `5e-05`),
 * so every exposer writes a given bound with the same label value.
 */
export function formatCanonicalNumber(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (n !== n) return 'NaN';
  // toExponential() without digits gives the shortest round-trip mantissa, as Go's -1 precision does.
  const exponential = n.toExponential();
  const e = exponential.indexOf('e');
  const exponent = Number(exponential.slice(e + 1));
  // Go's %g with the shortest precision switches to exponent form below 1e-4 and from 1e6 on.
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    const digits = String(Math.abs(exponent));
    return exponential.slice(0, e) + 'e' + sign + (digits.length < 2 ? '0' + digits : digits);
  }
  const plain = String(n);
  return plain.indexOf('.') === -1 ? plain + '.0' : plain;
}

/**
 * Whether an exemplar label `name="value"` fits the OpenMetrics limit. Counting code points only when
 * the UTF-16 length says it might not fit keeps the common case (a short request id) two additions.
 */
export function fitsExemplarLimit(name: string, value: string): boolean {
  const total = name.length + value.length;
  if (total <= MAX_EXEMPLAR_LABEL_CHARS) return true;
  let points = name.length;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    if (++points > MAX_EXEMPLAR_LABEL_CHARS) return false;
  }
  return true;
}
