/**
 * The webhook delivery worker of a server process: each pass creates missing streams, claims
 * due streams and queued redeliveries under a lease, and delivers them concurrently (one
 * stream = one directory's events to one endpoint, always in order). It never runs inside a
 * SCIM request; it reads the outbox the requests wrote. Several processes on one PostgreSQL
 * share the work: a stream is leased by one worker at a time (SKIP LOCKED + leased_until), and
 * a crashed worker's streams are picked up when its lease runs out.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../domain/clock.js';
import type { Repositories, Store } from '../app/ports.js';
import type { ClaimedRedelivery } from '../app/webhooks/delivery-queue.js';
import { createHttpSender, type WebhookSender } from './http-sender.js';
import { runStream, sendEvent, type StreamRunnerDeps } from './stream-runner.js';

export interface DeliveryLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DeliveryWorkerOptions {
  store: Pick<Store, 'transaction'> & Pick<Repositories, 'deliveries'>;
  /** Backoff, leases and signature timestamps follow this clock (tests pass a fake one). */
  clock: Clock;
  sender?: WebhookSender;
  logger?: DeliveryLogger;
  /** Identifies this worker's leases (default: random per process). */
  workerId?: string;
  /** Per request, connection to last byte (default 10 s). */
  timeoutMs?: number;
  /** Idle wait between passes when nothing was due (default 1 s). */
  pollIntervalMs?: number;
  /** Streams delivered at once, each in order (default 8). */
  maxConcurrentStreams?: number;
  /** Jitter source for the backoff (default Math.random). */
  random?: () => number;
}

export interface DeliveryWorker {
  readonly workerId: string;
  /** Starts the background loop (idempotent). */
  start(): void;
  /** One pass; resolves to the number of delivery attempts (HTTP requests) it made. */
  runOnce(): Promise<number>;
  /** Stops the loop, cancels in-flight requests (not recorded; their streams are released) and waits. */
  stop(): Promise<void>;
}

const BUSY_INTERVAL_MS = 100;

const quietLogger: DeliveryLogger = { info() {}, warn() {}, error() {} };

/**
 * A lease must outlive the longest gap between two lease renewals: one request (at most the
 * timeout) plus a save. Twice the timeout plus 5 s leaves room for a slow database.
 */
export const leaseMsFor = (timeoutMs: number): number => 2 * timeoutMs + 5_000;

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { store, clock } = options;
  const logger = options.logger ?? quietLogger;
  const workerId = options.workerId ?? `wkr_${randomBytes(8).toString('hex')}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const maxConcurrentStreams = Math.max(1, options.maxConcurrentStreams ?? 8);
  const leaseMs = leaseMsFor(timeoutMs);
  /** Wait between passes while keeping up with new events (latency traded for fewer claims). */
  const busyIntervalMs = Math.min(pollIntervalMs, BUSY_INTERVAL_MS);
  const stopping = new AbortController();
  const sender = options.sender ?? createHttpSender();
  const deps: StreamRunnerDeps = {
    store,
    clock,
    sender,
    workerId,
    timeoutMs,
    leaseMs,
    random: options.random ?? Math.random,
    signal: stopping.signal,
    onLostLease: (s) => logger.warn({ directoryId: s.directoryId, endpointId: s.endpointId }, 'webhook stream lease lost; another worker took it over'),
  };

  async function redeliverOne(claimed: ClaimedRedelivery): Promise<number> {
    const { deadLetter, endpoint, event } = claimed;
    const at = clock.now();
    const base = { endpointId: endpoint.id, directoryId: deadLetter.directoryId, eventId: deadLetter.eventId, eventSequence: deadLetter.eventSequence, eventType: deadLetter.eventType, at: at.toISOString() };
    if (!event) {
      await store.transaction((tx) =>
        tx.deliveries.finishRedelivery(deadLetter, workerId, { ...base, statusCode: null, durationMs: 0, error: 'the event is no longer retained', outcome: 'redelivery_failed' }),
      );
      return 0;
    }
    const result = await sendEvent(deps, endpoint, event, at);
    // Stopping: leave it queued; the lease runs out and a worker tries again.
    if (result.aborted) return 0;
    await store.transaction((tx) =>
      tx.deliveries.finishRedelivery(deadLetter, workerId, {
        ...base,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        error: result.error,
        outcome: result.ok ? 'redelivered' : 'redelivery_failed',
      }),
    );
    return 1;
  }

  interface PassResult {
    attempts: number;
    /** Something moved (filtered events move without a request). */
    progressed: boolean;
    /** A stream stopped on its work budget with events left. */
    more: boolean;
  }

  let lastHousekeeping = -Infinity;

  /**
   * One pass. `housekeeping` also creates missing streams and claims queued redeliveries; the
   * loop does that once per poll interval rather than on every busy pass, which keeps the
   * worker's own queries from competing with SCIM writes while it keeps up with them.
   */
  async function pass(housekeeping: boolean): Promise<PassResult> {
    if (stopping.signal.aborted) return { attempts: 0, progressed: false, more: false };
    const now = clock.now();
    const nowIso = now.toISOString();
    const leasedUntil = new Date(now.getTime() + leaseMs).toISOString();
    let redeliveries: ClaimedRedelivery[] = [];
    if (housekeeping) {
      lastHousekeeping = performance.now();
      await store.transaction((tx) => tx.deliveries.ensureStreams(nowIso));
      redeliveries = await store.transaction((tx) => tx.deliveries.claimRedeliveries(workerId, nowIso, leasedUntil, maxConcurrentStreams));
    }
    const streams = await store.transaction((tx) => tx.deliveries.claimStreams(workerId, nowIso, leasedUntil, maxConcurrentStreams));
    const results = await Promise.allSettled([
      ...redeliveries.map(async (r) => ({ attempts: await redeliverOne(r), settled: 1, more: false })),
      ...streams.map((s) => runStream(deps, s)),
    ]);
    const total: PassResult = { attempts: 0, progressed: false, more: false };
    for (const result of results) {
      if (result.status === 'fulfilled') {
        total.attempts += result.value.attempts;
        total.progressed ||= result.value.attempts > 0 || result.value.settled > 0;
        total.more ||= result.value.more;
      } else {
        // A database error mid-stream: its lease runs out and the stream is retried then.
        logger.error({ err: result.reason }, 'webhook delivery failed');
      }
    }
    return total;
  }

  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const inFlight = new Set<Promise<unknown>>();
  /** Runs a pass, remembering it so stop() can wait for it. */
  const tracked = (housekeeping: boolean) => {
    const run = pass(housekeeping);
    const settled = run.catch(() => {});
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
    return run;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      // Like the maintenance timers: an idle worker alone does not keep the process alive.
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).then(() => {
      wake = undefined;
    });

  async function runLoop(): Promise<void> {
    while (!stopping.signal.aborted) {
      let result: PassResult = { attempts: 0, progressed: false, more: false };
      try {
        result = await tracked(performance.now() - lastHousekeeping >= pollIntervalMs);
      } catch (error) {
        logger.error({ err: error }, 'webhook delivery pass failed');
      }
      if (stopping.signal.aborted) break;
      // A backlog: go on at once. Keeping up with new writes: let a few accumulate so each
      // claim carries several events. Idle: poll.
      if (result.more) continue;
      await sleep(result.progressed ? busyIntervalMs : pollIntervalMs);
    }
  }

  return {
    workerId,
    start() {
      loop ??= runLoop();
    },
    async runOnce() {
      return (await tracked(true)).attempts;
    },
    async stop() {
      stopping.abort();
      wake?.();
      await loop;
      await Promise.all([...inFlight]);
      sender.close();
    },
  };
}
