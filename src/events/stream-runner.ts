/**
 * Delivers one claimed stream (one directory's events to one endpoint) in sequence order: the
 * head event is sent, and only when it is settled (delivered, skipped by the endpoint's filter,
 * or dead-lettered after its last try) does the next one go. A failure schedules the head's
 * next try by the backoff schedule and releases the stream. Progress is saved in small batches
 * behind the lease guard, renewing the lease; a crash re-sends at most the unsaved tail
 * (at-least-once, same webhook-id).
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../domain/clock.js';
import type { Repositories, Store } from '../app/ports.js';
import type { ClaimedStream, OutboxEvent } from '../app/webhooks/delivery-queue.js';
import type { AttemptOutcome, DeadLetter, DeliveryAttempt } from '../app/webhooks/webhook-repository.js';
import { retryDelayMs } from './backoff.js';
import type { SendResult, WebhookSender } from './http-sender.js';
import { serializeEvent } from './serialize-event.js';
import { webhookHeaders } from './signature.js';

export interface StreamRunnerDeps {
  store: Pick<Store, 'transaction'> & Pick<Repositories, 'deliveries'>;
  clock: Clock;
  sender: WebhookSender;
  workerId: string;
  timeoutMs: number;
  leaseMs: number;
  random: () => number;
  /** Aborted when the worker stops: in-flight requests are cancelled and not recorded. */
  signal: AbortSignal;
  onLostLease?: (stream: ClaimedStream) => void;
}

export interface RunTally {
  /** HTTP requests made (successful or not). */
  attempts: number;
  delivered: number;
  /** Events the stream moved past (delivered, filtered out or dead-lettered). */
  settled: number;
  /** The claim ended on its work budget with events left: worth another pass right away. */
  more: boolean;
}

const PAGE_SIZE = 100;
/** Save progress (and renew the lease) after this many attempts or this much time, whichever first. */
const SAVE_EVERY_ATTEMPTS = 50;
const SAVE_EVERY_MS = 250;
/** Give the stream back after this much work, so a busy stream cannot hold a worker slot forever. */
const MAX_ATTEMPTS_PER_CLAIM = 1000;
const MAX_MS_PER_CLAIM = 10_000;

export const wantsEvent = (eventTypes: string[], type: string): boolean => eventTypes.includes('*') || eventTypes.includes(type);

/** @internal */
export function attemptRecord(stream: ClaimedStream, event: OutboxEvent, attempt: number, at: Date, result: SendResult, outcome: AttemptOutcome): DeliveryAttempt {
  return {
    endpointId: stream.endpointId,
    directoryId: stream.directoryId,
    eventId: event.id,
    eventSequence: event.sequence,
    eventType: event.type,
    attempt,
    at: at.toISOString(),
    statusCode: result.statusCode,
    durationMs: result.durationMs,
    error: result.error,
    outcome,
  };
}

/** Sends one event's exact bytes, signed at the current (injected) time. */
export function sendEvent(deps: StreamRunnerDeps, target: { url: string; secret: string }, event: OutboxEvent, at: Date): Promise<SendResult> {
  const body = serializeEvent(event);
  const headers = webhookHeaders(target.secret, event.id, Math.floor(at.getTime() / 1000), body);
  return deps.sender.send({ url: target.url, body, headers: { ...headers } }, { timeoutMs: deps.timeoutMs, signal: deps.signal });
}

export async function runStream(deps: StreamRunnerDeps, stream: ClaimedStream): Promise<RunTally> {
  const { clock, signal } = deps;
  const tally: RunTally = { attempts: 0, delivered: 0, settled: 0, more: false };
  let settled = stream.settledSeq;
  let attempts = stream.attempts;
  let saved = stream.settledSeq;
  let attempted: DeliveryAttempt[] = [];
  let deadLetters: DeadLetter[] = [];
  const began = performance.now();
  let lastSave = began;

  /** Writes progress; `release` gives the stream back (with its next due time). False when the lease was lost. */
  const save = async (release?: { nextAttemptAt: Date }): Promise<boolean> => {
    const now = clock.now();
    const progress = {
      fromSeq: saved,
      settledSeq: settled,
      attempts,
      nextAttemptAt: (release?.nextAttemptAt ?? now).toISOString(),
      leasedUntil: release ? null : new Date(now.getTime() + deps.leaseMs).toISOString(),
      attempted,
      deadLetters,
    };
    attempted = [];
    deadLetters = [];
    lastSave = performance.now();
    const kept = await deps.store.transaction((tx) => tx.deliveries.saveProgress(stream, deps.workerId, progress));
    if (!kept) deps.onLostLease?.(stream);
    else saved = settled;
    return kept;
  };

  pages: while (!signal.aborted) {
    if (performance.now() - began >= MAX_MS_PER_CLAIM) {
      tally.more = true;
      break;
    }
    const events = await deps.store.deliveries.eventsAfter(stream.directoryId, settled, PAGE_SIZE);
    if (events.length === 0) break;
    for (const event of events) {
      if (signal.aborted) break pages;
      if (!wantsEvent(stream.endpoint.eventTypes, event.type)) {
        settled = event.sequence;
        attempts = 0;
        tally.settled++;
        continue;
      }
      const at = clock.now();
      const result = await sendEvent(deps, stream.endpoint, event, at);
      if (result.aborted) break pages;
      tally.attempts++;
      const attempt = attempts + 1;
      if (result.ok) {
        attempted.push(attemptRecord(stream, event, attempt, at, result, 'delivered'));
        settled = event.sequence;
        attempts = 0;
        tally.delivered++;
        tally.settled++;
      } else {
        const delay = retryDelayMs(attempt, deps.random);
        if (delay === undefined) {
          attempted.push(attemptRecord(stream, event, attempt, at, result, 'dead'));
          deadLetters.push({
            endpointId: stream.endpointId,
            directoryId: stream.directoryId,
            eventId: event.id,
            eventSequence: event.sequence,
            eventType: event.type,
            attempts: attempt,
            lastError: result.error,
            diedAt: at.toISOString(),
            redeliverRequestedAt: null,
            redeliveredAt: null,
          });
          settled = event.sequence;
          attempts = 0;
          tally.settled++;
        } else {
          // The head stays the head: release the stream until its next try is due.
          attempted.push(attemptRecord(stream, event, attempt, at, result, 'failed'));
          attempts = attempt;
          await save({ nextAttemptAt: new Date(clock.now().getTime() + delay) });
          return tally;
        }
      }
      if (attempted.length >= SAVE_EVERY_ATTEMPTS || performance.now() - lastSave >= SAVE_EVERY_MS) {
        if (!(await save())) return tally;
      }
      if (tally.attempts >= MAX_ATTEMPTS_PER_CLAIM || performance.now() - began >= MAX_MS_PER_CLAIM) {
        tally.more = true;
        break pages;
      }
    }
    // A short page was the end of the stream for now; newer events wait for the next claim.
    if (events.length < PAGE_SIZE) break;
  }
  await save({ nextAttemptAt: clock.now() });
  return tally;
}
