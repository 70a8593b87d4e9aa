// The dispatch table: path -> method -> handler, with the 404 and 405 answers in one place.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';

/** A request handler. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Routes by exact path and method, then by path prefix (for paths that carry an id). */
export class RouteTable {
  private readonly routes = new Map<string, Map<string, Handler>>();
  private readonly prefixes: { prefix: string; methods: Map<string, Handler> }[] = [];

  /** Adds a handler for a method and path. */
  on(method: string, path: string, handler: Handler): this {
    let methods = this.routes.get(path);
    if (methods === undefined) this.routes.set(path, (methods = new Map()));
    methods.set(method, handler);
    return this;
  }

  /** Adds a handler for every path that starts with `prefix` (and is longer); exact routes win. */
  onPrefix(method: string, prefix: string, handler: Handler): this {
    let entry = this.prefixes.find((p) => p.prefix === prefix);
    if (entry === undefined) this.prefixes.push((entry = { prefix, methods: new Map() }));
    entry.methods.set(method, handler);
    return this;
  }

  /** Finds the handler, or throws not_found / method_not_allowed (carrying the `Allow` header). */
  match(method: string, url: string): Handler {
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const methods = this.routes.get(path) ?? this.prefixes.find((p) => path.length > p.prefix.length && path.startsWith(p.prefix))?.methods;
    if (methods === undefined) throw new GatewayError('not_found', `Unknown route: ${method} ${path}`);
    const handler = methods.get(method) ?? (method === 'HEAD' ? methods.get('GET') : undefined);
    if (handler === undefined) {
      throw new GatewayError('method_not_allowed', `Method ${method} is not allowed on ${path}`, null, { allow: listAllowed(methods) });
    }
    return handler;
  }
}

// The `Allow` value: HEAD is served wherever GET is (RFC 9110 section 9.3.2), so it is listed too.
function listAllowed(methods: ReadonlyMap<string, Handler>): string {
  const allowed = [...methods.keys()];
  if (methods.has('GET') && !methods.has('HEAD')) allowed.push('HEAD');
  return allowed.join(', ');
}
