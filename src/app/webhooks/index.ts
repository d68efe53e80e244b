/** The webhook use cases, for the HTTP routes, the runtime and the CLI. Re-exports only. */
export { createWebhookEndpoint, type CreatedWebhookEndpoint } from './create-webhook-endpoint.js';
export { listWebhookEndpoints } from './list-webhook-endpoints.js';
export { getWebhookEndpoint } from './get-webhook-endpoint.js';
export { updateWebhookEndpoint } from './update-webhook-endpoint.js';
export { deleteWebhookEndpoint } from './delete-webhook-endpoint.js';
export { listDeliveryAttempts } from './list-delivery-attempts.js';
export { listDeadLetters } from './list-dead-letters.js';
export { redeliver } from './redeliver.js';
export { purgeExpiredEvents } from './purge-expired-events.js';
export type { WebhookEndpointView } from './views.js';
export type { AttemptOutcome, DeadLetter, DeliveryAttempt } from './webhook-repository.js';
