// Counts Server-Sent Events in a response body fed piece by piece, however the bytes were split: an
// event ends at an empty line (WHATWG HTML, "Server-sent events", 9.2.6). Works on bytes, no strings.

const LF = 10;
const CR = 13;

/** Counts complete SSE events across `feed` calls. */
export class SseEventCounter {
  /** Events completed so far. */
  events = 0;
  // Bytes since the last line break; 0 right after one, so a line break now ends the event.
  private lineLength = 0;
  // True once the current event has any line (a lone blank line before any field is not an event).
  private pendingEvent = false;

  /** Starts over for a new response. */
  reset(): void {
    this.events = 0;
    this.lineLength = 0;
    this.pendingEvent = false;
  }

  /** Consumes `data[start, end)`; returns how many events it completed. */
  feed(data: Buffer, start = 0, end = data.length): number {
    let completed = 0;
    let i = start;
    // indexOf (native) finds line ends; a byte loop in JS cost the client more than the relays it measures.
    while (i < end) {
      const found = data.indexOf(LF, i);
      const lineEnd = found < 0 || found >= end ? end : found;
      // CRLF and LF end lines alike: a CR just before the line end is not content (a lone CR as the
      // line end is legal SSE, but no LLM server sends it).
      let content = lineEnd - i;
      if (content > 0 && data[lineEnd - 1] === CR) content--;
      this.lineLength += content;
      if (lineEnd === end) break;
      if (this.lineLength > 0) {
        this.pendingEvent = true;
      } else if (this.pendingEvent) {
        this.pendingEvent = false;
        completed++;
      }
      this.lineLength = 0;
      i = lineEnd + 1;
    }
    this.events += completed;
    return completed;
  }
}
