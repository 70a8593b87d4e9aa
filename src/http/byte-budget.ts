// The memory budget shared by every request of a gateway: bytes of request bodies being read and of
// upstream answers buffered, all requests together (`server.max_inflight_body_bytes`). Each request
// holds a lease; the lease gives its bytes back in one step when the request is over.

/** The process-wide budget of body bytes held at once. */
export class ByteBudget {
  /** Most bytes that may be held at once. */
  readonly limit: number;
  /** Bytes held right now, all leases together. */
  used = 0;

  /** Builds a budget of `limit` bytes. */
  constructor(limit: number) {
    this.limit = limit;
  }

  /** Opens a lease for one request. */
  lease(): ByteLease {
    return new ByteLease(this);
  }
}

/** One request's share of the budget: reserved chunk by chunk, released all at once. */
export class ByteLease {
  /** Bytes this lease holds. */
  held = 0;
  private readonly budget: ByteBudget;

  /** Opens an empty lease on `budget`. */
  constructor(budget: ByteBudget) {
    this.budget = budget;
  }

  /** Reserves `bytes` more; false (nothing reserved) when the budget cannot hold them. */
  reserve(bytes: number): boolean {
    const budget = this.budget;
    if (budget.used + bytes > budget.limit) return false;
    budget.used += bytes;
    this.held += bytes;
    return true;
  }

  /** Gives `bytes` of this lease back (by default all of them; idempotent). */
  release(bytes: number = this.held): void {
    const given = Math.min(bytes, this.held);
    this.budget.used -= given;
    this.held -= given;
  }
}
