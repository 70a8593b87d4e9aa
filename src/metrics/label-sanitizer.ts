// Turns arbitrary names (backend URLs, model tags) into safe label values, with a bounded cache so
// a stream of distinct client strings can never grow memory without bound.

/** Default number of cached sanitized values. */
export const DEFAULT_SANITIZER_CACHE_SIZE = 10_000;

/** Strings longer than this are sanitized but never cached, so the cache's memory has a hard ceiling. */
export const MAX_CACHED_VALUE_LENGTH = 256;

// `u`: a character outside the BMP (a surrogate pair) is one character and becomes one `_`.
const INVALID_CHARS = /[^a-zA-Z0-9_]/gu;
const CLEAN = /^[a-zA-Z0-9_]*$/;

/**
 * Sanitizes one label value: every character outside `[a-zA-Z0-9_]` becomes `_`, and a leading digit
 * gets a `_` prefix (`ollama-local:11434` -> `ollama_local_11434`, `123model` -> `_123model`).
 */
export function sanitizeLabelValue(raw: string): string {
  const value = CLEAN.test(raw) ? raw : raw.replace(INVALID_CHARS, '_');
  const first = value.charCodeAt(0);
  return first >= 0x30 && first <= 0x39 ? '_' + value : value;
}

/**
 * A label sanitizer with a bounded two-generation cache: lookups try the young map, then the old one;
 * when the young map is full it becomes the old one and a fresh map starts. Memory stays within
 * `2 x capacity` entries and every operation is O(1) (deleting the oldest entry of one Map instead
 * would leave holes that iteration has to skip: 5 us per miss in `recording.bench.ts`).
 */
export class LabelSanitizer {
  /** Entries per generation; at most twice this many are held. */
  readonly capacity: number;
  private young = new Map<string, string>();
  private old = new Map<string, string>();

  /** Builds a sanitizer whose cache holds at most `2 x capacity` entries. */
  constructor(capacity = DEFAULT_SANITIZER_CACHE_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('sanitizer capacity must be a positive integer');
    this.capacity = capacity;
  }

  /** Sanitized form of `raw`, from the cache when seen recently. */
  sanitize(raw: string): string {
    const hit = this.young.get(raw);
    if (hit !== undefined) return hit;
    const old = this.old.get(raw);
    const value = old !== undefined ? old : sanitizeLabelValue(raw);
    if (raw.length <= MAX_CACHED_VALUE_LENGTH) {
      if (this.young.size >= this.capacity) {
        this.old = this.young;
        this.young = new Map();
      }
      this.young.set(raw, value);
    }
    return value;
  }

  /** Number of cached entries (never more than `2 x capacity`). */
  get size(): number {
    return this.young.size + this.old.size;
  }
}
