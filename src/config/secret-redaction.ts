// Secrets the configuration points at (backend API keys read from the environment, credentials in
// URLs) and their removal from text shown to people: /v1/backends and log lines (SPEC 2.2). Load
// already refuses credential URLs and error messages avoid echoing keys; this is the last line, for
// text that comes from elsewhere (a library's error message quoting a header, say).

import type { BackendConfig } from './types.js';

/** What replaces a secret. */
export const REDACTED = '[redacted]';

// Pieces of a multi-line key shorter than this are not searched for on their own: they would
// match ordinary words, and a message cannot leak much through them.
const MIN_FRAGMENT = 6;

/** The URL with any `user:password@` replaced (it parses or not). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${REDACTED}@`);
}

/**
 * Every spelling of the backends' keys that an error message may contain: the key itself, the key
 * as JSON escapes it, and each line of a key with line breaks. Longest first, so a whole key is
 * replaced before its pieces.
 */
export function collectSecrets(backends: readonly BackendConfig[], env: NodeJS.ProcessEnv): string[] {
  const found = new Set<string>();
  for (const backend of backends) {
    const key = backend.api_key_env === undefined ? undefined : env[backend.api_key_env];
    if (key === undefined || key === '') continue;
    found.add(key);
    found.add(JSON.stringify(key).slice(1, -1));
    for (const piece of key.split(/[\r\n]+/)) if (piece.length >= MIN_FRAGMENT) found.add(piece);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** The text with every secret (and URL credentials) replaced; null stays null. */
export function redactSecrets(text: string | null, secrets: readonly string[]): string | null {
  if (text === null) return null;
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']*@/gi, `$1${REDACTED}@`);
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}
