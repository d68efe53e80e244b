/** An endpoint's delivery attempts, newest first, optionally for one event. */
import { ServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { findEndpointOrThrow } from './views.js';
import type { DeliveryAttempt } from './webhook-repository.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

export async function listDeliveryAttempts(
  ctx: AppContext,
  input: { endpointId: string; eventId?: string; limit?: number },
): Promise<DeliveryAttempt[]> {
  const limit = input.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ServiceError('invalid_value', `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  await findEndpointOrThrow(ctx.store, input.endpointId);
  return ctx.store.webhooks.listAttempts(input.endpointId, { eventId: input.eventId || undefined, limit });
}
