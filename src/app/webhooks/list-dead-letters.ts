/** An endpoint's dead letters (events whose last try failed), newest first. */
import type { AppContext } from '../context.js';
import { findEndpointOrThrow } from './views.js';
import type { DeadLetter } from './webhook-repository.js';

const LIMIT = 1000;

export async function listDeadLetters(ctx: AppContext, input: { endpointId: string }): Promise<DeadLetter[]> {
  await findEndpointOrThrow(ctx.store, input.endpointId);
  return ctx.store.webhooks.listDeadLetters(input.endpointId, { limit: LIMIT });
}
