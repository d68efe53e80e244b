/**
 * Wires webhook delivery into a Scimitar instance: the management operations bound to the
 * use-case context, the background delivery worker (started unless disabled, stopped by
 * close()), one-pass delivery for tests and library hosts, and event retention.
 */
import type { AppContext } from '../app/context.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listDeadLetters,
  listDeliveryAttempts,
  listWebhookEndpoints,
  purgeExpiredEvents,
  redeliver,
  updateWebhookEndpoint,
  type CreatedWebhookEndpoint,
  type DeadLetter,
  type DeliveryAttempt,
  type WebhookEndpointView,
} from '../app/webhooks/index.js';
import { createDeliveryWorker, type DeliveryLogger } from '../events/delivery-worker.js';

export interface DeliveryOptions {
  /** Run the background delivery worker in this process (default true). deliverNow() works either way. */
  enabled?: boolean;
  /** Per request, connection to last byte (default 10_000 ms). */
  timeoutMs?: number;
  /** Idle wait between passes when nothing was due (default 1_000 ms). */
  pollIntervalMs?: number;
  /** Streams (directory × endpoint) delivered at once, each in order (default 8). */
  maxConcurrentStreams?: number;
}

/** Webhook endpoints and their deliveries, for host apps and the CLI. */
export interface ScimitarWebhooks {
  /** Creates an endpoint; `secret` (whsec_...) is returned only here. */
  create(input: { organizationId?: string; url: string; eventTypes?: string[]; enabled?: boolean }): Promise<CreatedWebhookEndpoint>;
  /** With organizationId: its endpoints and the global ones; without: every endpoint. */
  list(input?: { organizationId?: string }): Promise<WebhookEndpointView[]>;
  get(id: string): Promise<WebhookEndpointView>;
  update(id: string, patch: { url?: string; eventTypes?: string[]; enabled?: boolean }): Promise<WebhookEndpointView>;
  delete(id: string): Promise<void>;
  attempts(input: { endpointId: string; eventId?: string; limit?: number }): Promise<DeliveryAttempt[]>;
  deadLetters(input: { endpointId: string }): Promise<DeadLetter[]>;
  /** Queues dead-lettered events (one, or all not yet redelivered) for another try. */
  redeliver(input: { endpointId: string; eventId?: string; allDead?: boolean }): Promise<{ queued: number }>;
}

export interface DeliveryRuntime {
  webhooks: ScimitarWebhooks;
  deliverNow(): Promise<number>;
  /** Retention: events older than `before` that every stream has settled, and older delivery history. */
  purgeExpired(before: Date): Promise<{ events: number; history: number }>;
  stop(): Promise<void>;
}

export function createDeliveryRuntime(ctx: AppContext, options: DeliveryOptions & { logger: DeliveryLogger }): DeliveryRuntime {
  const worker = createDeliveryWorker({
    store: ctx.store,
    clock: ctx.clock,
    logger: options.logger,
    timeoutMs: options.timeoutMs,
    pollIntervalMs: options.pollIntervalMs,
    maxConcurrentStreams: options.maxConcurrentStreams,
  });
  if (options.enabled !== false) worker.start();
  return {
    webhooks: {
      create: (input) => createWebhookEndpoint(ctx, input),
      list: (input = {}) => listWebhookEndpoints(ctx, input),
      get: (id) => getWebhookEndpoint(ctx, id),
      update: (id, patch) => updateWebhookEndpoint(ctx, id, patch),
      delete: (id) => deleteWebhookEndpoint(ctx, id),
      attempts: (input) => listDeliveryAttempts(ctx, input),
      deadLetters: (input) => listDeadLetters(ctx, input),
      redeliver: (input) => redeliver(ctx, input),
    },
    deliverNow: () => worker.runOnce(),
    purgeExpired: (before) => purgeExpiredEvents(ctx, { before }),
    stop: () => worker.stop(),
  };
}
