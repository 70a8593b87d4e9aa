// The two exposition formats a scrape can ask for, their content types, and the choice between them
// from the scraper's `Accept` header (RFC 9110 section 12.5.1 quality values).

import { PROMETHEUS_CONTENT_TYPE } from './exposition.js';

/** Content type of OpenMetrics 1.0.0 text, the format Prometheus prefers in its `Accept` header. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** `prometheus`: text format 0.0.4 (the default); `openmetrics`: OpenMetrics 1.0.0 text. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

// OpenMetrics text versions we can answer: 0.0.1 is the pre-1.0 name of the same text format, which
// Prometheus still lists (`application/openmetrics-text;version=0.0.1;q=0.75`).
const OPENMETRICS_VERSIONS = ['1.0.0', '0.0.1'];

/** The content type to send with an exposition in `format`. */
export function findContentType(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
}

/**
 * Picks the format for a scrape from its `Accept` header: OpenMetrics when the header gives it a
 * strictly higher quality than text/plain (explicit, or through `text/*` or `*\/*`), else text 0.0.4,
 * which is also the answer to a missing, empty or unparseable header and to a tie.
 */
export function negotiateExpositionFormat(accept: string | readonly string[] | undefined): ExpositionFormat {
  if (accept === undefined) return 'prometheus';
  const header = (typeof accept === 'string' ? accept : accept.join(',')).toLowerCase();
  if (header.indexOf('openmetrics') === -1) return 'prometheus';
  let openMetrics = -1;
  let plain = -1;
  let wildcard = -1;
  for (const range of header.split(',')) {
    const params = range.split(';');
    const type = (params[0] as string).trim();
    let q = 1;
    let version: string | null = null;
    for (let i = 1; i < params.length; i++) {
      const param = params[i] as string;
      const eq = param.indexOf('=');
      if (eq === -1) continue;
      const key = param.slice(0, eq).trim();
      const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'q') q = parseQuality(value);
      else if (key === 'version') version = value;
    }
    if (type === 'application/openmetrics-text') {
      if (version === null || OPENMETRICS_VERSIONS.includes(version)) openMetrics = Math.max(openMetrics, q);
    } else if (type === 'text/plain') {
      plain = Math.max(plain, q);
    } else if (type === 'text/*' || type === '*/*') {
      wildcard = Math.max(wildcard, q);
    }
  }
  // A more specific range overrides a wildcard (RFC 9110: `text/plain;q=0` excludes it even under `*/*`).
  const plainQuality = plain >= 0 ? plain : wildcard;
  return openMetrics > 0 && openMetrics > plainQuality ? 'openmetrics' : 'prometheus';
}

function parseQuality(text: string): number {
  const q = Number(text);
  return text !== '' && q >= 0 && q <= 1 ? q : 0;
}
