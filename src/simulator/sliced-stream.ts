// Sliced SSE streams: a whole simulated answer written in small slices that cut through multi-byte
// characters, as real TCP segments may, honouring back-pressure, and optionally broken off halfway.

import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * The backend settings a sliced stream reads as it goes (read per slice, so a test that changes the
 * pace or the mode mid-stream is obeyed, as with a real server reconfigured under load).
 */
export interface SliceSettings {
  /** Bytes per write. */
  readonly streamSliceBytes: number;
  /** Pause after each write, ms (0: none). */
  readonly chunkDelayMs: number;
  /** `die-mid-stream` destroys the socket once past half the bytes. */
  readonly mode: string;
}

/** Writes `bytes` to `res` (headers already sent) slice by slice, then ends it; stops if the client left. */
export async function writeSlicedStream(res: ServerResponse, bytes: Buffer, settings: SliceSettings): Promise<void> {
  const slice = settings.streamSliceBytes;
  for (let offset = 0; offset < bytes.length; offset += slice) {
    if (res.destroyed) return;
    if (settings.mode === 'die-mid-stream' && offset > bytes.length / 2) {
      res.socket?.destroy();
      return;
    }
    // Honours back-pressure, as a real server does: a client that stops reading stops the stream.
    if (!res.write(bytes.subarray(offset, offset + slice))) await drained(res);
    if (settings.chunkDelayMs > 0) await delay(settings.chunkDelayMs);
  }
  res.end();
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
