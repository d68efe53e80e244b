/**
 * The storage port for webhook endpoints and their delivery history (implemented in
 * store/webhooks.ts). What the management use cases need; the worker's side is delivery-queue.ts.
 */

export interface WebhookEndpoint {
  id: string;
  /** The organization whose directories it receives, or null for every organization. */
  organizationId: string | null;
  url: string;
  /** The signing secret (whsec_...). Stored in clear because signing needs it; never shown after creation. */
  secret: string;
  /** Event types delivered, or ['*'] for every type. */
  eventTypes: string[];
  enabled: boolean;
  /** When it was created or last re-enabled: it receives the events from then on. */
  enabledAt: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * delivered: 2xx. failed: will be retried. dead: the last try failed, the event is dead-lettered.
 * redelivered / redelivery_failed: the outcome of a redelivery requested by API or CLI.
 */
export type AttemptOutcome = 'delivered' | 'failed' | 'dead' | 'redelivered' | 'redelivery_failed';

export interface DeliveryAttempt {
  endpointId: string;
  directoryId: string;
  eventId: string;
  eventSequence: number;
  eventType: string;
  /** 1 for the first try of this event at this endpoint. */
  attempt: number;
  at: string;
  /** The HTTP status, or null when no response came (timeout, refused connection). */
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  outcome: AttemptOutcome;
}

export interface DeadLetter {
  endpointId: string;
  directoryId: string;
  eventId: string;
  eventSequence: number;
  eventType: string;
  /** Attempts made before the event was given up on. */
  attempts: number;
  lastError: string | null;
  diedAt: string;
  /** Set while a redelivery is queued. */
  redeliverRequestedAt: string | null;
  /** Set once a redelivery succeeded. */
  redeliveredAt: string | null;
}

export interface WebhookRepository {
  insertEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  findEndpoint(id: string): Promise<WebhookEndpoint | undefined>;
  /** With an organization: its endpoints and the global ones. Without: every endpoint. Oldest first. */
  listEndpoints(scope: { organizationId?: string }): Promise<WebhookEndpoint[]>;
  updateEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  /** Deletes the endpoint with its streams, attempts and dead letters; false when it did not exist. */
  deleteEndpoint(id: string): Promise<boolean>;
  /**
   * (Re)starts the endpoint's stream for every directory in its scope at the directory's last
   * event sequence, so it receives the events that happen from now on. Call in the transaction
   * that creates or re-enables the endpoint.
   */
  startStreams(endpoint: Pick<WebhookEndpoint, 'id' | 'organizationId'>, at: string): Promise<void>;
  /** Newest first. */
  listAttempts(endpointId: string, query: { eventId?: string; limit: number }): Promise<DeliveryAttempt[]>;
  /** Newest first. */
  listDeadLetters(endpointId: string, query: { limit: number }): Promise<DeadLetter[]>;
  /**
   * Queues dead letters for redelivery: the one of `eventId` (even if redelivered before), or
   * else every one not yet redelivered. Only events still retained are queued; returns how many.
   */
  requestRedelivery(endpointId: string, query: { eventId?: string }, at: string): Promise<number>;
}
