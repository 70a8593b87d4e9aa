// An incremental reader of one HTTP/1.1 response at a time on a keep-alive connection: finds the
// status and where the body ends (Content-Length or chunked), without building strings for the body,
// so the load generators stay far cheaper than the servers they measure.

const CR = 13;
const LF = 10;
const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CHUNKED = /\r\ntransfer-encoding:[ \t]*chunked/i;
const MAX_HEAD_BYTES = 64 * 1024;

type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-data-end' | 'trailer';

/** Reads responses one after another; `feed` returns true when the current one is complete. */
export class HttpResponseReader {
  /** Status code of the response being read (0 until its head arrived). */
  status = 0;
  /** Body bytes of the response being read (chunk framing excluded). */
  bodyBytes = 0;
  /** Called with each piece of body (chunk framing excluded) as it arrives; the stream bench times SSE events with it. */
  onBody: ((data: Buffer, start: number, end: number) => void) | null = null;
  private phase: Phase = 'head';
  private head: Buffer | null = null;
  private remaining = 0;
  private chunkSize = 0;
  private lineLength = 0;

  /** Prepares for the next response on the connection. */
  reset(): void {
    this.status = 0;
    this.bodyBytes = 0;
    this.phase = 'head';
    this.head = null;
  }

  /** Consumes bytes; true when the response is complete. Throws on a malformed response. */
  feed(data: Buffer): boolean {
    if (this.phase === 'head') {
      const buffer = this.head === null ? data : Buffer.concat([this.head, data]);
      const end = buffer.indexOf(HEADER_END);
      if (end < 0) {
        if (buffer.length > MAX_HEAD_BYTES) throw new Error('response head too large');
        this.head = buffer;
        return false;
      }
      this.head = null;
      // The rest of `buffer` is body.
      const bodyPhase = this.parseHead(buffer.toString('latin1', 0, end + 2));
      return bodyPhase === 'length' ? this.feedLength(buffer, end + 4) : this.feedChunked(buffer, end + 4);
    }
    return this.phase === 'length' ? this.feedLength(data, 0) : this.feedChunked(data, 0);
  }

  // Reads the status and framing; returns the phase the body starts in.
  private parseHead(head: string): Phase {
    if (!head.startsWith('HTTP/1.1 ') && !head.startsWith('HTTP/1.0 ')) throw new Error('not an HTTP/1.x response');
    this.status = Number(head.slice(9, 12));
    const length = CONTENT_LENGTH.exec(head);
    if (length !== null) {
      this.phase = 'length';
      this.remaining = Number(length[1]);
    } else if (CHUNKED.test(head)) {
      this.phase = 'chunk-size';
      this.chunkSize = 0;
      this.lineLength = 0;
    } else {
      throw new Error('response has neither content-length nor chunked encoding');
    }
    return this.phase;
  }

  private feedLength(data: Buffer, offset: number): boolean {
    const n = data.length - offset;
    const take = Math.min(n, this.remaining);
    if (take > 0) this.onBody?.(data, offset, offset + take);
    this.bodyBytes += take;
    this.remaining -= n;
    return this.remaining <= 0;
  }

  // RFC 9112 section 7.1: chunk-size in hex, CRLF, data, CRLF; a zero size ends the body, followed
  // by optional trailer lines and an empty line.
  private feedChunked(data: Buffer, offset: number): boolean {
    let i = offset;
    while (i < data.length) {
      switch (this.phase) {
        case 'chunk-size': {
          const byte = data[i++]!;
          if (byte === LF) {
            if (this.chunkSize === 0) {
              this.phase = 'trailer';
              this.lineLength = 0;
            } else {
              this.phase = 'chunk-data';
              this.remaining = this.chunkSize;
            }
          } else if (byte !== CR && this.lineLength >= 0) {
            const digit = hexValue(byte);
            // Chunk extensions (after ';') are ignored: stop accumulating digits.
            if (digit < 0) this.lineLength = -1;
            else this.chunkSize = this.chunkSize * 16 + digit;
          }
          break;
        }
        case 'chunk-data': {
          const take = Math.min(this.remaining, data.length - i);
          if (take > 0) this.onBody?.(data, i, i + take);
          this.bodyBytes += take;
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) {
            this.phase = 'chunk-data-end';
            this.remaining = 2;
          }
          break;
        }
        case 'chunk-data-end':
          i++;
          if (--this.remaining === 0) {
            this.phase = 'chunk-size';
            this.chunkSize = 0;
            this.lineLength = 0;
          }
          break;
        case 'trailer': {
          const byte = data[i++]!;
          if (byte === LF) {
            if (this.lineLength === 0) return true;
            this.lineLength = 0;
          } else if (byte !== CR) {
            this.lineLength++;
          }
          break;
        }
        default:
          throw new Error(`unexpected phase ${this.phase}`);
      }
    }
    return false;
  }
}

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 97 && byte <= 102) return byte - 87;
  if (byte >= 65 && byte <= 70) return byte - 55;
  return -1;
}
