/**
 * Webhook endpoints through the REST API: the webhook use cases (app/webhooks/) behind the key's
 * scope. A scoped key sees only its organization's endpoints; global endpoints (which receive
 * every organization's events) are visible to global keys only.
 */
import type { ApiScope } from '../../domain/api-key.js';
import { ServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listDeadLetters,
  listDeliveryAttempts,
  listWebhookEndpoints,
  redeliver,
  updateWebhookEndpoint,
  type CreatedWebhookEndpoint,
  type DeadLetter,
  type DeliveryAttempt,
  type WebhookEndpointView,
} from '../webhooks/index.js';
import { inScope, organizationFor } from './scope.js';

async function endpointInScope(ctx: AppContext, scope: ApiScope, id: string): Promise<WebhookEndpointView> {
  const endpoint = await getWebhookEndpoint(ctx, id).catch((error: unknown) => {
    if (error instanceof ServiceError && error.code === 'not_found') return undefined;
    throw error;
  });
  if (!endpoint || !inScope(scope, endpoint.organizationId)) throw new ServiceError('not_found', `webhook endpoint ${id} does not exist`);
  return endpoint;
}

export async function listWebhookEndpointsInScope(ctx: AppContext, scope: ApiScope, filter: { organizationId?: string }): Promise<WebhookEndpointView[]> {
  const organizationId = await organizationFor(ctx, scope, filter.organizationId);
  const endpoints = await listWebhookEndpoints(ctx, { organizationId });
  // The use case adds the global endpoints to an organization's list; a scoped key must not see them.
  return scope.organizationId === null ? endpoints : endpoints.filter((e) => e.organizationId === scope.organizationId);
}

export async function createWebhookEndpointForApi(
  ctx: AppContext,
  scope: ApiScope,
  input: { organizationId?: string; url: string; eventTypes?: string[]; enabled?: boolean },
): Promise<CreatedWebhookEndpoint> {
  const organizationId = await organizationFor(ctx, scope, input.organizationId);
  return createWebhookEndpoint(ctx, { ...input, organizationId });
}

export const getWebhookEndpointForApi = (ctx: AppContext, scope: ApiScope, id: string): Promise<WebhookEndpointView> => endpointInScope(ctx, scope, id);

export async function updateWebhookEndpointForApi(
  ctx: AppContext,
  scope: ApiScope,
  id: string,
  patch: { url?: string; eventTypes?: string[]; enabled?: boolean },
): Promise<WebhookEndpointView> {
  await endpointInScope(ctx, scope, id);
  return updateWebhookEndpoint(ctx, id, patch);
}

export async function deleteWebhookEndpointForApi(ctx: AppContext, scope: ApiScope, id: string): Promise<void> {
  await endpointInScope(ctx, scope, id);
  await deleteWebhookEndpoint(ctx, id);
}

export async function listAttemptsForApi(
  ctx: AppContext,
  scope: ApiScope,
  id: string,
  input: { eventId?: string; limit?: number },
): Promise<DeliveryAttempt[]> {
  await endpointInScope(ctx, scope, id);
  return listDeliveryAttempts(ctx, { endpointId: id, eventId: input.eventId, limit: input.limit });
}

export async function listDeadLettersForApi(ctx: AppContext, scope: ApiScope, id: string): Promise<DeadLetter[]> {
  await endpointInScope(ctx, scope, id);
  return listDeadLetters(ctx, { endpointId: id });
}

export async function redeliverForApi(ctx: AppContext, scope: ApiScope, id: string, input: { eventId?: string; allDead?: boolean }): Promise<{ queued: number }> {
  await endpointInScope(ctx, scope, id);
  return redeliver(ctx, { endpointId: id, eventId: input.eventId, allDead: input.allDead });
}
