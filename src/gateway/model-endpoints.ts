// GET /v1/models and GET /v1/models/{id} as the OpenAI SDK expects them (`models.list()`,
// `models.retrieve(id)`): the models on healthy backends plus every alias chat accepts, each alias
// marked with the model it resolves to.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveAlias } from '../config/aliases.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { Fleet } from '../fleet/fleet.js';
import { sendError, sendJson } from '../server/respond.js';

/** Path prefix of a single model. */
export const MODEL_PATH_PREFIX = '/v1/models/';

/** One entry of the OpenAI model list; `alias_for` only on aliases. */
interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  alias_for?: string;
}

/** Builds the two model endpoints over the fleet and the alias table. */
export function createModelEndpoints(fleet: Fleet, aliases: Readonly<Record<string, string>>) {
  const listEntries = (): ModelEntry[] => {
    const created = Math.floor(Date.now() / 1000);
    const entries: ModelEntry[] = fleet.availableModels().map((id) => ({ id, object: 'model', created, owned_by: 'nexus' }));
    const served = new Set(entries.map((entry) => entry.id));
    for (const alias of Object.keys(aliases)) {
      if (!served.has(alias)) entries.push({ id: alias, object: 'model', created, owned_by: 'nexus', alias_for: resolveAlias(aliases, alias) });
    }
    return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };
  return {
    list(_req: IncomingMessage, res: ServerResponse): void {
      sendJson(res, 200, { object: 'list', data: listEntries() });
    },
    retrieve(req: IncomingMessage, res: ServerResponse): void {
      const url = req.url ?? '';
      const query = url.indexOf('?');
      const raw = url.slice(MODEL_PATH_PREFIX.length, query === -1 ? undefined : query);
      let id: string;
      try {
        id = decodeURIComponent(raw);
      } catch {
        id = raw;
      }
      const entry = listEntries().find((candidate) => candidate.id === id);
      if (entry === undefined) return sendError(res, new GatewayError('model_not_found', `The model ${JSON.stringify(id)} does not exist`, 'model'));
      sendJson(res, 200, entry);
    },
  };
}
