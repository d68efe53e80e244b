/**
 * What the webhook use cases show and accept: the endpoint view (never the secret) and the
 * input checks shared by create and update. Failures are ServiceError('invalid_value').
 */
import { ServiceError } from '../../domain/errors.js';
import { EVENT_TYPES } from '../../domain/events.js';
import type { Repositories } from '../ports.js';
import type { WebhookEndpoint } from './webhook-repository.js';

export interface WebhookEndpointView {
  id: string;
  /** null: the endpoint receives the events of every organization. */
  organizationId: string | null;
  url: string;
  /** Event types delivered, or ['*'] for all. */
  eventTypes: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export const toWebhookEndpointView = (e: WebhookEndpoint): WebhookEndpointView => ({
  id: e.id,
  organizationId: e.organizationId,
  url: e.url,
  eventTypes: [...e.eventTypes],
  enabled: e.enabled,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

const MAX_URL_LENGTH = 2048;

/** An absolute http(s) URL without credentials (fetch refuses those, and they would leak in logs). */
export function assertWebhookUrl(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ServiceError('invalid_value', 'url must be an absolute http:// or https:// URL');
  const text = value.trim();
  if (text.length > MAX_URL_LENGTH) throw new ServiceError('invalid_value', `url must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ServiceError('invalid_value', `url must be an absolute http:// or https:// URL (got "${text}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServiceError('invalid_value', `url must use http or https (got "${url.protocol.replace(/:$/, '')}")`);
  }
  if (url.username || url.password) throw new ServiceError('invalid_value', 'url must not contain a user name or password');
  return text;
}

/** ['*'] when absent; otherwise known types, de-duplicated, in catalogue order. */
export function assertEventTypes(value: unknown): string[] {
  if (value === undefined) return ['*'];
  if (!Array.isArray(value) || value.some((t) => typeof t !== 'string')) {
    throw new ServiceError('invalid_value', 'eventTypes must be a list of event types, or ["*"] for all');
  }
  const types = value.map((t: string) => t.trim());
  if (types.length === 0) throw new ServiceError('invalid_value', 'eventTypes must name at least one event type, or "*" for all');
  if (types.includes('*')) {
    if (types.some((t) => t !== '*')) throw new ServiceError('invalid_value', 'eventTypes: "*" already means every type; list types or "*", not both');
    return ['*'];
  }
  const unknown = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw new ServiceError('invalid_value', `eventTypes: unknown event type ${unknown.map((t) => `"${t}"`).join(', ')} (known: ${EVENT_TYPES.join(', ')})`);
  }
  return EVENT_TYPES.filter((t) => types.includes(t));
}

export function assertEnabled(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ServiceError('invalid_value', 'enabled must be true or false');
  return value;
}

/** @internal */
export async function findEndpointOrThrow(repos: Pick<Repositories, 'webhooks'>, id: string): Promise<WebhookEndpoint> {
  const endpoint = typeof id === 'string' && id !== '' ? await repos.webhooks.findEndpoint(id) : undefined;
  if (!endpoint) throw new ServiceError('not_found', `webhook endpoint ${id} does not exist`);
  return endpoint;
}
