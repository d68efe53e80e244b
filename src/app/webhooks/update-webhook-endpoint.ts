/**
 * Changes an endpoint's URL, event types or enabled flag. Disabling is not pausing: while
 * disabled an endpoint gets nothing, and when enabled again it receives the events from then
 * on (its streams restart at each directory's last event; the events API covers the gap).
 * That keeps retention simple: a disabled endpoint never holds events back.
 */
import type { AppContext } from '../context.js';
import { assertEnabled, assertEventTypes, assertWebhookUrl, findEndpointOrThrow, toWebhookEndpointView, type WebhookEndpointView } from './views.js';

export async function updateWebhookEndpoint(
  ctx: AppContext,
  id: string,
  patch: { url?: string; eventTypes?: string[]; enabled?: boolean },
): Promise<WebhookEndpointView> {
  const url = patch.url === undefined ? undefined : assertWebhookUrl(patch.url);
  const eventTypes = patch.eventTypes === undefined ? undefined : assertEventTypes(patch.eventTypes);
  const enabled = patch.enabled === undefined ? undefined : assertEnabled(patch.enabled);
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    const current = await findEndpointOrThrow(tx, id);
    const reenabled = enabled === true && !current.enabled;
    const next = {
      ...current,
      url: url ?? current.url,
      eventTypes: eventTypes ?? current.eventTypes,
      enabled: enabled ?? current.enabled,
      enabledAt: reenabled ? at : current.enabledAt,
      updatedAt: at,
    };
    await tx.webhooks.updateEndpoint(next);
    if (reenabled) await tx.webhooks.startStreams(next, at);
    return toWebhookEndpointView(next);
  });
}
