// Rejected alternative to nested maps: one Map keyed by the label values joined into a string.
// Collision-safe (each value length-prefixed) but it builds a key string on every lookup, which
// `recording.bench.ts` shows costs several times the nested-map walk.

/** A counter cell of the rejected design. */
export interface JoinedCell {
  value: number;
}

/** A label table keyed by length-prefixed joined values. */
export class JoinedKeyTable {
  private readonly cells = new Map<string, JoinedCell>();

  /** Returns the cell of these three label values, created on first use. */
  get(a: string, b: string, c: string): JoinedCell {
    const key = a.length + ':' + a + b.length + ':' + b + c.length + ':' + c;
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = { value: 0 };
      this.cells.set(key, cell);
    }
    return cell;
  }
}
