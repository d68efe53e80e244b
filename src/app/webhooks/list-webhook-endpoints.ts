/** Lists webhook endpoints: an organization's own plus the global ones, or every endpoint. */
import type { AppContext } from '../context.js';
import { toWebhookEndpointView, type WebhookEndpointView } from './views.js';

export async function listWebhookEndpoints(ctx: AppContext, input: { organizationId?: string } = {}): Promise<WebhookEndpointView[]> {
  const endpoints = await ctx.store.webhooks.listEndpoints({ organizationId: input.organizationId || undefined });
  return endpoints.map(toWebhookEndpointView);
}
