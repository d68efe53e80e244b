/**
 * Queues dead-lettered events for one more try: one event, or every dead letter not yet
 * redelivered. The worker sends them with their original webhook-id and bytes, outside the
 * stream's order (the stream has moved on), once each; a failed redelivery stays dead.
 */
import { ServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { findEndpointOrThrow } from './views.js';

export async function redeliver(ctx: AppContext, input: { endpointId: string; eventId?: string; allDead?: boolean }): Promise<{ queued: number }> {
  const eventId = input.eventId || undefined;
  if ((eventId === undefined) === !input.allDead) {
    throw new ServiceError('invalid_value', 'redeliver needs either an event id or allDead, not both');
  }
  await findEndpointOrThrow(ctx.store, input.endpointId);
  const at = ctx.clock.now().toISOString();
  const queued = await ctx.store.transaction((tx) => tx.webhooks.requestRedelivery(input.endpointId, { eventId }, at));
  if (eventId !== undefined && queued === 0) {
    throw new ServiceError('not_found', `event ${eventId} is not a dead letter of webhook endpoint ${input.endpointId} (or retention removed it)`);
  }
  return { queued };
}
