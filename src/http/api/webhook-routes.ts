/** Webhook endpoints, their delivery attempts and dead letters, and redelivery. */
import {
  createWebhookEndpointForApi,
  deleteWebhookEndpointForApi,
  getWebhookEndpointForApi,
  listAttemptsForApi,
  listDeadLettersForApi,
  listWebhookEndpointsInScope,
  redeliverForApi,
  updateWebhookEndpointForApi,
} from '../../app/api/webhooks.js';
import { EVENT_TYPES } from '../../domain/events.js';
import { DEFAULT_LIMIT, MAX_LIMIT, onlyFields, optionalBoolean, optionalString, optionalStringArray, parseLimit, requiredString } from './input.js';
import { ref } from './openapi-schemas.js';
import { ok, type ApiRoute, type JsonSchema } from './route-types.js';

const eventTypes: JsonSchema = { type: 'array', items: { type: 'string', enum: ['*', ...EVENT_TYPES] }, description: 'Event types to deliver, or ["*"] (the default) for all.' };
const base = '/webhook-endpoints';

export const webhookRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: base,
    operationId: 'listWebhookEndpoints',
    doc: {
      tag: 'Webhooks',
      summary: 'List webhook endpoints',
      description: 'A scoped key sees its organization\'s endpoints. A global key sees all; with organizationId, that organization\'s and the global ones.',
      query: [{ name: 'organizationId', description: 'Only endpoints receiving this organization\'s events.', schema: { type: 'string' } }],
      status: 200,
      response: ref('WebhookEndpointList'),
      errors: [400, 404],
    },
    handle: async ({ ctx, scope, query }) => ok({ data: await listWebhookEndpointsInScope(ctx, scope, { organizationId: query['organizationId'] }) }),
  },
  {
    method: 'POST',
    path: base,
    operationId: 'createWebhookEndpoint',
    doc: {
      tag: 'Webhooks',
      summary: 'Create a webhook endpoint',
      description: 'Receives the events from its creation on. Without organizationId, a global key creates an endpoint for every organization. The signing secret is shown only in this response.',
      body: {
        type: 'object',
        properties: { organizationId: { type: 'string' }, url: { type: 'string', format: 'uri' }, eventTypes, enabled: { type: 'boolean', default: true } },
        required: ['url'],
        additionalProperties: false,
      },
      status: 201,
      response: ref('CreatedWebhookEndpoint'),
      errors: [400, 404, 415],
    },
    handle: async ({ ctx, scope, body }) => {
      const input = body();
      onlyFields(input, ['organizationId', 'url', 'eventTypes', 'enabled']);
      const created = await createWebhookEndpointForApi(ctx, scope, {
        organizationId: optionalString(input, 'organizationId'),
        url: requiredString(input, 'url'),
        eventTypes: optionalStringArray(input, 'eventTypes'),
        enabled: optionalBoolean(input, 'enabled'),
      });
      return ok(created, 201);
    },
  },
  {
    method: 'GET',
    path: `${base}/{id}`,
    operationId: 'getWebhookEndpoint',
    doc: { tag: 'Webhooks', summary: 'Get a webhook endpoint', status: 200, response: ref('WebhookEndpoint'), errors: [404] },
    handle: async ({ ctx, scope, params }) => ok(await getWebhookEndpointForApi(ctx, scope, params['id']!)),
  },
  {
    method: 'PATCH',
    path: `${base}/{id}`,
    operationId: 'updateWebhookEndpoint',
    doc: {
      tag: 'Webhooks',
      summary: 'Change a webhook endpoint',
      description: 'Re-enabling an endpoint delivers the events from then on; pull the gap from /events.',
      body: { type: 'object', properties: { url: { type: 'string', format: 'uri' }, eventTypes, enabled: { type: 'boolean' } }, additionalProperties: false },
      status: 200,
      response: ref('WebhookEndpoint'),
      errors: [400, 404, 415],
    },
    handle: async ({ ctx, scope, params, body }) => {
      const input = body();
      onlyFields(input, ['url', 'eventTypes', 'enabled']);
      return ok(
        await updateWebhookEndpointForApi(ctx, scope, params['id']!, {
          url: optionalString(input, 'url'),
          eventTypes: optionalStringArray(input, 'eventTypes'),
          enabled: optionalBoolean(input, 'enabled'),
        }),
      );
    },
  },
  {
    method: 'DELETE',
    path: `${base}/{id}`,
    operationId: 'deleteWebhookEndpoint',
    doc: { tag: 'Webhooks', summary: 'Delete a webhook endpoint', description: 'With its attempts and dead letters.', status: 204, response: {}, errors: [404] },
    handle: async ({ ctx, scope, params }) => {
      await deleteWebhookEndpointForApi(ctx, scope, params['id']!);
      return { status: 204, body: undefined };
    },
  },
  {
    method: 'GET',
    path: `${base}/{id}/attempts`,
    operationId: 'listDeliveryAttempts',
    doc: {
      tag: 'Webhooks',
      summary: 'List delivery attempts',
      description: 'Newest first: time, status code, duration, error and outcome of each try.',
      query: [
        { name: 'eventId', description: 'Only the attempts at this event.', schema: { type: 'string' } },
        { name: 'limit', description: `At most this many, 1 to ${MAX_LIMIT}.`, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
      ],
      status: 200,
      response: ref('DeliveryAttemptList'),
      errors: [400, 404],
    },
    handle: async ({ ctx, scope, params, query }) => ok({ data: await listAttemptsForApi(ctx, scope, params['id']!, { eventId: query['eventId'], limit: parseLimit(query['limit']) }) }),
  },
  {
    method: 'GET',
    path: `${base}/{id}/dead-letters`,
    operationId: 'listDeadLetters',
    doc: { tag: 'Webhooks', summary: 'List dead letters', description: 'Events whose last try failed, newest first.', status: 200, response: ref('DeadLetterList'), errors: [400, 404] },
    handle: async ({ ctx, scope, params }) => ok({ data: await listDeadLettersForApi(ctx, scope, params['id']!) }),
  },
  {
    method: 'POST',
    path: `${base}/{id}/redeliver`,
    operationId: 'redeliver',
    doc: {
      tag: 'Webhooks',
      summary: 'Redeliver dead letters',
      description: 'One event (eventId) or every dead letter not yet redelivered (allDead: true), sent again with the original webhook-id and bytes.',
      body: { type: 'object', properties: { eventId: { type: 'string' }, allDead: { type: 'boolean' } }, additionalProperties: false },
      status: 202,
      response: ref('RedeliveryResult'),
      errors: [400, 404, 415],
    },
    handle: async ({ ctx, scope, params, body }) => {
      const input = body();
      onlyFields(input, ['eventId', 'allDead']);
      return ok(await redeliverForApi(ctx, scope, params['id']!, { eventId: optionalString(input, 'eventId'), allDead: optionalBoolean(input, 'allDead') }), 202);
    },
  },
];
