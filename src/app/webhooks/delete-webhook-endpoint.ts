/** Deletes an endpoint with its streams, attempts and dead letters; nothing more is sent to it. */
import { ServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';

export async function deleteWebhookEndpoint(ctx: AppContext, id: string): Promise<void> {
  const deleted = await ctx.store.transaction((tx) => tx.webhooks.deleteEndpoint(id));
  if (!deleted) throw new ServiceError('not_found', `webhook endpoint ${id} does not exist`);
}
