// Steady mixed traffic for the demo: a few clients in a loop, each picking a request from a weighted
// mix (aliases, direct models, a fallback chain, streams, an unknown model), then pausing briefly.

/** One kind of request in the mix. */
export interface TrafficKind {
  model: string;
  stream: boolean;
  weight: number;
}

/** The demo's mix: mostly served models, some fallbacks, a few unknown-model errors. */
export const DEMO_TRAFFIC: readonly TrafficKind[] = [
  { model: 'gpt-4o-mini', stream: false, weight: 20 },
  { model: 'gpt-4o-mini', stream: true, weight: 10 },
  { model: 'llama3.1:8b', stream: true, weight: 20 },
  { model: 'qwen2.5:14b', stream: true, weight: 10 },
  { model: 'gpt-4o', stream: false, weight: 10 },
  { model: 'mistral-7b-instruct', stream: false, weight: 8 },
  { model: 'llama3.3:70b', stream: false, weight: 8 },
  { model: 'llama3.3:70b', stream: true, weight: 6 },
  { model: 'gpt-5', stream: false, weight: 3 },
];

const TOTAL_WEIGHT = DEMO_TRAFFIC.reduce((sum, kind) => sum + kind.weight, 0);

/** Clients sending the mix until stopped; counts what they saw. */
export class DemoTraffic {
  /** Responses received so far. */
  sent = 0;
  /** Requests that failed below HTTP (connection refused and the like). */
  transportErrors = 0;
  private running = true;
  private readonly loops: Promise<void>[];
  private readonly url: string;
  private readonly pauseMs: number;
  private readonly random: () => number;

  /** Starts `clients` loops against the gateway at `url`. */
  constructor(url: string, options: { clients?: number; pauseMs?: number; random?: () => number } = {}) {
    this.url = url;
    this.pauseMs = options.pauseMs ?? 150;
    this.random = options.random ?? Math.random;
    this.loops = Array.from({ length: options.clients ?? 4 }, () => this.loop());
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private pick(): TrafficKind {
    let roll = this.random() * TOTAL_WEIGHT;
    for (const kind of DEMO_TRAFFIC) {
      roll -= kind.weight;
      if (roll < 0) return kind;
    }
    return DEMO_TRAFFIC[0]!;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const kind = this.pick();
      try {
        const response = await fetch(`${this.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: kind.model, stream: kind.stream, messages: [{ role: 'user', content: 'Tell me about observability.' }] }),
        });
        await response.arrayBuffer();
        this.sent++;
      } catch {
        this.transportErrors++;
      }
      // Jittered pause so the clients do not march in lockstep.
      if (this.running) await new Promise((resolve) => setTimeout(resolve, this.pauseMs * (0.5 + this.random())));
    }
  }
}
