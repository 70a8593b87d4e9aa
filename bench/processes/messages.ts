// What the benchmark parent and its child processes (backend, relays, gateways, scraper) say to
// each other over IPC, and the spec a child is started with.

/** What a child process runs; passed as its one JSON argument. */
export type ChildSpec =
  | { role: 'backend'; models: string[]; streamChunks?: number; chunkDelayMs?: number }
  | { role: 'gateway'; backendUrl: string; backends: string[]; roundRobin: boolean; metrics: boolean; workers: number; maxConcurrent: number }
  | { role: 'pipe-relay'; backendUrl: string }
  | { role: 'json-proxy'; backendUrl: string }
  | { role: 'scraper'; port: number };

/** Messages the parent sends. */
export type ParentMessage =
  | { type: 'stop' }
  | { type: 'usage' }
  | { type: 'render-time'; renders: number }
  | { type: 'scrape-start'; intervalMs: number }
  | { type: 'scrape-stop' };

/** A server process's resource use so far, as `process.cpuUsage` and `process.resourceUsage` see it. */
export interface ProcessUsage {
  /** User plus system CPU time since the process started, microseconds. */
  cpuUs: number;
  /** Peak resident set size since the process started, bytes. */
  maxRssBytes: number;
  /** TCP connections the server accepted so far (-1 when the role does not count them). */
  connections: number;
}

/** Messages a child sends. */
export type ChildMessage =
  | { type: 'listening'; port: number; notes: string[] }
  | ({ type: 'usage' } & ProcessUsage)
  | { type: 'render-time'; msPerRender: number; bytes: number }
  | { type: 'scrapes'; plainMs: number[]; gzipMs: number[] };
