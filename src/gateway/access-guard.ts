// Access control at the door (SPEC 8): every request's key is checked from its headers before any
// body is read or route matched. Refused chat requests are still chat requests: they are recorded
// (model `_unknown`, backend `none`) like any other, under the key's name when the key was valid.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHAT_PATH, findAccessRequirement } from '../auth/access-policy.js';
import type { ApiKey } from '../auth/api-key.js';
import type { KeyStore } from '../auth/key-store.js';
import { GatewayError } from '../errors/gateway-error.js';
import { resolveRequestId } from '../server/request-id.js';
import { sendError } from '../server/respond.js';
import { ChatExchange, type ChatObserver } from './chat-exchange.js';

/** Takes one request from a group-wide limiter of the named key: 0 when taken, else ms to wait. */
export type GroupTake = (keyName: string) => Promise<number>;

// A refused request whose body is larger than this is answered with `Connection: close`, so an
// unauthenticated client cannot make the gateway read a large body only to discard it.
const DISCARDABLE_BODY_BYTES = 64 * 1024;

/** Admits or refuses requests by their API key, and remembers which key each admitted request used. */
export class AccessGuard {
  private readonly store: KeyStore;
  private readonly observer: ChatObserver | null;
  private readonly admitted = new WeakMap<IncomingMessage, ApiKey>();
  private readonly groupTake: GroupTake | null;

  /**
   * Guards with the keys of `store`; refused chat requests go to `observer`. In a cluster worker
   * `groupTake` takes from the group's limiter instead of this process's (one IPC round trip).
   */
  constructor(store: KeyStore, observer: ChatObserver | null, groupTake: GroupTake | null = null) {
    this.store = store;
    this.observer = observer;
    this.groupTake = groupTake;
  }

  /** Lets the request through (true), or answers it with 401, 403 or 429 (false); a promise only for a group's rate limit. */
  admit(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> {
    if (!this.store.enabled) return true;
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const requirement = findAccessRequirement(path);
    if (requirement === 'open') return true;
    const isChat = path === CHAT_PATH && req.method === 'POST';
    const key = this.store.authenticate(req.headers.authorization);
    if (key === null) {
      return this.refuse(req, res, isChat, null, new GatewayError('invalid_api_key', 'Missing or incorrect API key. Send it as "Authorization: Bearer <key>".', null, { 'www-authenticate': 'Bearer' }));
    }
    if (requirement !== 'key' && !key.hasScope(requirement)) {
      return this.refuse(req, res, isChat, key, new GatewayError('insufficient_scope', `The key "${key.name}" does not have the "${requirement}" scope`));
    }
    if (isChat && key.limiter !== null) {
      if (this.groupTake !== null) return this.groupTake(key.name).then((waitMs) => this.settleRate(req, res, key, waitMs));
      return this.settleRate(req, res, key, key.limiter.tryTake(performance.now()));
    }
    this.admitted.set(req, key);
    return true;
  }

  /** The key an admitted request presented; null when access control is off. */
  keyOf(req: IncomingMessage): ApiKey | null {
    return this.admitted.get(req) ?? null;
  }

  private settleRate(req: IncomingMessage, res: ServerResponse, key: ApiKey, waitMs: number): boolean {
    if (waitMs > 0) {
      const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
      const limit = (key.limiter as NonNullable<ApiKey['limiter']>).limit;
      const error = new GatewayError('rate_limit_exceeded', `The key "${key.name}" is over its limit of ${limit} requests per minute`, null, { 'retry-after': retryAfter });
      return this.refuse(req, res, true, key, error);
    }
    this.admitted.set(req, key);
    return true;
  }

  private refuse(req: IncomingMessage, res: ServerResponse, isChat: boolean, key: ApiKey | null, error: GatewayError): false {
    const requestId = resolveRequestId(req.headers);
    const headers: Record<string, string> = { 'x-request-id': requestId };
    const declared = Number(req.headers['content-length']);
    if (declared > DISCARDABLE_BODY_BYTES || req.headers['transfer-encoding'] !== undefined) headers.connection = 'close';
    if (isChat) {
      const ex = new ChatExchange(requestId, performance.now(), this.observer);
      ex.keyName = key === null ? null : key.name;
      ex.settle(error.status, error.errorType);
      ex.errorMessage = error.message;
      res.once('close', () => ex.markClosed(res.writableFinished, performance.now()));
      sendError(res, error, headers);
      ex.markHandled();
    } else {
      sendError(res, error, headers);
    }
    return false;
  }
}
