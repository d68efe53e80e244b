/**
 * Creates a webhook endpoint and starts its streams at every directory's current last event:
 * an endpoint receives the events that happen from its creation on. The secret is returned
 * here once; views never carry it.
 */
import { ServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { assertEnabled, assertEventTypes, assertWebhookUrl, toWebhookEndpointView, type WebhookEndpointView } from './views.js';
import type { WebhookEndpoint } from './webhook-repository.js';
import { generateWebhookSecret } from './webhook-secret.js';

export interface CreatedWebhookEndpoint {
  endpoint: WebhookEndpointView;
  /** The signing secret (whsec_...): shown only now. */
  secret: string;
}

export async function createWebhookEndpoint(
  ctx: AppContext,
  input: { organizationId?: string; url: string; eventTypes?: string[]; enabled?: boolean },
): Promise<CreatedWebhookEndpoint> {
  const url = assertWebhookUrl(input.url);
  const eventTypes = assertEventTypes(input.eventTypes);
  const enabled = input.enabled === undefined ? true : assertEnabled(input.enabled);
  // '' is how storage spells "every organization"; accept it as input too.
  const organizationId = input.organizationId ? input.organizationId : null;
  const at = ctx.clock.now().toISOString();
  const endpoint: WebhookEndpoint = {
    id: ctx.ids.next('whk'),
    organizationId,
    url,
    secret: generateWebhookSecret(),
    eventTypes,
    enabled,
    enabledAt: at,
    createdAt: at,
    updatedAt: at,
  };
  await ctx.store.transaction(async (tx) => {
    if (organizationId !== null && !(await tx.organizations.findById(organizationId))) {
      throw new ServiceError('not_found', `organization ${organizationId} does not exist`);
    }
    await tx.webhooks.insertEndpoint(endpoint);
    if (enabled) await tx.webhooks.startStreams(endpoint, at);
  });
  return { endpoint: toWebhookEndpointView(endpoint), secret: endpoint.secret };
}
