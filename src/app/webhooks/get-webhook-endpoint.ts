/** One webhook endpoint (without its secret); not_found when it does not exist. */
import type { AppContext } from '../context.js';
import { findEndpointOrThrow, toWebhookEndpointView, type WebhookEndpointView } from './views.js';

export async function getWebhookEndpoint(ctx: AppContext, id: string): Promise<WebhookEndpointView> {
  return toWebhookEndpointView(await findEndpointOrThrow(ctx.store, id));
}
