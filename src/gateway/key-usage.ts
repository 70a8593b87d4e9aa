// Per-key usage (SPEC 8): the bound series of each API key by its configured name, fed by finished
// chat requests and read back for /v1/stats, so both always agree.

import type { Counter, CounterSeries } from '../metrics/index.js';

/** The bound series of one API key. */
export class KeySeries {
  /** The key's configured name (never the secret). */
  readonly name: string;
  /** Requests counter children by status. */
  readonly byStatus = new Map<number, CounterSeries>();
  readonly promptTokens: CounterSeries;
  readonly completionTokens: CounterSeries;
  private readonly requests: Counter;
  private readonly label: string;

  /** Binds the key's token series; status children are bound as statuses appear. */
  constructor(name: string, label: string, requests: Counter, tokens: Counter) {
    this.name = name;
    this.label = label;
    this.requests = requests;
    this.promptTokens = tokens.labels(label, 'prompt');
    this.completionTokens = tokens.labels(label, 'completion');
  }

  /** Counts one finished chat request of this key. */
  record(status: number, promptTokens: number, completionTokens: number): void {
    let series = this.byStatus.get(status);
    if (series === undefined) {
      series = this.requests.labels(this.label, String(status));
      this.byStatus.set(status, series);
    }
    series.inc();
    if (promptTokens > 0) this.promptTokens.inc(promptTokens);
    if (completionTokens > 0) this.completionTokens.inc(completionTokens);
  }

  /** The key's totals for /v1/stats. */
  totals(): { name: string; requests: number; errors: number; prompt_tokens: number; completion_tokens: number } {
    let requests = 0;
    let errors = 0;
    for (const [status, series] of this.byStatus) {
      requests += series.value;
      if (status < 200 || status >= 300) errors += series.value;
    }
    return { name: this.name, requests, errors, prompt_tokens: this.promptTokens.value, completion_tokens: this.completionTokens.value };
  }
}
