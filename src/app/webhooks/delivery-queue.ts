/**
 * The storage port of the delivery worker (events/delivery-worker.ts; implemented in
 * store/webhook-deliveries.ts): streams to claim under a lease, outbox events to read, and
 * progress to save. The lease and the "still at the sequence I saw" guard on every write are
 * what keep two workers from sending one stream's events at the same time.
 */
import type { DeadLetter, DeliveryAttempt } from './webhook-repository.js';

export interface StreamKey {
  directoryId: string;
  endpointId: string;
}

/** What a worker needs to send to an endpoint. */
export interface EndpointTarget {
  id: string;
  url: string;
  secret: string;
  /** Event types delivered, or ['*']. */
  eventTypes: string[];
}

export interface ClaimedStream extends StreamKey {
  /** The last event settled; the head event is settledSeq + 1 (or the next one still stored). */
  settledSeq: number;
  /** Attempts already made at the head event. */
  attempts: number;
  endpoint: EndpointTarget;
}

/** An outbox row as stored: `data` is the JSON text written with the change, never re-encoded. */
export interface OutboxEvent {
  directoryId: string;
  sequence: number;
  id: string;
  type: string;
  organizationId: string;
  occurredAt: string;
  data: string;
}

export interface StreamProgress {
  /** The settled sequence the worker started from: the write applies only if it is unchanged. */
  fromSeq: number;
  settledSeq: number;
  attempts: number;
  nextAttemptAt: string;
  /** The renewed lease, or null to release the stream. */
  leasedUntil: string | null;
  attempted: DeliveryAttempt[];
  deadLetters: DeadLetter[];
}

export interface ClaimedRedelivery {
  deadLetter: DeadLetter;
  endpoint: EndpointTarget;
  /** Undefined when retention already removed the event. */
  event: OutboxEvent | undefined;
}

export interface DeliveryQueue {
  /**
   * Creates the missing stream of every (directory, enabled endpoint) pair in one INSERT ... SELECT:
   * directories created after the endpoint was enabled start at 0 (all their events), others at
   * their current last sequence. Returns how many were created.
   */
  ensureStreams(at: string): Promise<number>;
  /**
   * Leases up to `limit` streams of enabled endpoints that have undelivered events, are due and
   * are not leased by a live worker. On PostgreSQL rows another worker is claiming are skipped
   * (FOR UPDATE SKIP LOCKED). Call inside a transaction.
   */
  claimStreams(workerId: string, now: string, leasedUntil: string, limit: number): Promise<ClaimedStream[]>;
  /** The stream's next events, in sequence order. */
  eventsAfter(directoryId: string, afterSeq: number, limit: number): Promise<OutboxEvent[]>;
  /**
   * Writes the stream's new position and its attempts and dead letters, only if the stream is
   * still leased by `workerId` at `fromSeq`; false when the lease was lost (nothing written).
   * Call inside a transaction.
   */
  saveProgress(stream: StreamKey, workerId: string, progress: StreamProgress): Promise<boolean>;
  /** Leases up to `limit` queued redeliveries of enabled endpoints. Call inside a transaction. */
  claimRedeliveries(workerId: string, now: string, leasedUntil: string, limit: number): Promise<ClaimedRedelivery[]>;
  /** Records the redelivery attempt and un-queues the dead letter (marking it redelivered on success). Call inside a transaction. */
  finishRedelivery(deadLetter: DeadLetter, workerId: string, attempt: Omit<DeliveryAttempt, 'attempt'>): Promise<void>;
  /**
   * Deletes the directory's events older than `before` that every stream of an enabled endpoint
   * has settled; returns how many.
   */
  purgeEvents(directoryId: string, before: string): Promise<number>;
  /** Deletes attempts and dead letters older than `before`; returns how many rows. */
  purgeHistory(before: string): Promise<number>;
}
