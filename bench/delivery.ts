/**
 * Webhook delivery figures for `npm run bench`, per Scimitar target (SQLite, PostgreSQL):
 *  - the create phase's ops/s with delivery off (no endpoint) and on (an endpoint whose local receiver
 *    answers 200 while the users are created), and the difference in percent (issue 3 allows 15%);
 *  - delivered events/s: a backlog of --users events drained to a local receiver with no writes going on.
 * Every figure comes from a fresh server on a fresh database, warmed up with 1,000 creates (and their
 * deliveries). The receiver (bench/webhook-sink.ts) runs in its own process and only counts webhook-ids.
 * Owns the receiver client and the endpoint set-up; servers come from targets.ts, the create phase from
 * okta-workload.ts.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createScimitar } from '../src/index.js';
import { runOktaWorkload } from './okta-workload.js';
import { DEFAULT_POSTGRES_URL, REPO_ROOT, SkipTarget, startScimitar, tempPostgres, tempSqlite, type RunningTarget } from './targets.js';

export interface DeliveryFigures {
  target: 'sqlite' | 'postgres';
  users: number;
  createOffOpsPerSec?: number;
  createOnOpsPerSec?: number;
  /** (off - on) / off, in percent. */
  costPercent?: number;
  /** Events the receiver had when the create phase ended (delivery on). */
  deliveredDuringCreate?: number;
  /** Seconds from the end of the create phase to the last event delivered (delivery on). */
  catchUpSeconds?: number;
  drainEventsPerSec?: number;
  /** Every repetition, in order, to judge the noise. */
  repetitions?: { createOffOpsPerSec: number; createOnOpsPerSec: number; drainEventsPerSec: number }[];
  errors: number;
  skipped?: string;
}

const WARMUP_USERS = 1000;
const DELIVERY_TIMEOUT_MS = 120_000;
export const MAX_COST_PERCENT = 15;

/** A client of bench/webhook-sink.ts running in its own process. */
interface Sink {
  url: string;
  /** Distinct webhook-ids answered 200 since the last reset, and when the last one was (epoch ms). */
  stats(): Promise<{ count: number; lastAt: number }>;
  reset(): Promise<void>;
  /** Holds requests unanswered (the worker's head request waits) until release(). */
  hold(): Promise<void>;
  /** Answers the held requests; resolves to when it did (epoch ms). */
  release(): Promise<number>;
  waitFor(n: number): Promise<{ count: number; lastAt: number }>;
  close(): Promise<void>;
}

const epochNow = () => performance.timeOrigin + performance.now();

async function startSink(): Promise<Sink> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'webhook-sink.ts')], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`webhook sink exited (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  const control = async <T>(path: string): Promise<T> => (await (await fetch(`${base}/_sink/${path}`, { method: 'POST' })).json()) as T;
  return {
    url: `${base}/webhooks`,
    stats: () => control('stats'),
    reset: () => control('reset'),
    hold: () => control('hold'),
    release: async () => (await control<{ releasedAt: number }>('release')).releasedAt,
    async waitFor(n) {
      const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
      for (;;) {
        const stats = await control<{ count: number; lastAt: number }>('stats');
        if (stats.count >= n) return stats;
        if (Date.now() > deadline) throw new Error(`the receiver got ${stats.count} of ${n} events within ${DELIVERY_TIMEOUT_MS / 1000}s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Registers a global endpoint through library mode on the server's database (no worker of its own). */
async function addEndpoint(databaseUrl: string, url: string): Promise<void> {
  const scimitar = await createScimitar({ database: databaseUrl, publicUrl: 'http://127.0.0.1', maintenance: false, delivery: { enabled: false } });
  try {
    await scimitar.webhooks.create({ url });
  } finally {
    await scimitar.close();
  }
}

async function withServer<T>(target: 'sqlite' | 'postgres', tag: string, work: (running: RunningTarget, databaseUrl: string) => Promise<T>): Promise<T> {
  const db = target === 'sqlite' ? await tempSqlite() : await tempPostgres(process.env.BENCH_DATABASE_URL || DEFAULT_POSTGRES_URL, `scimitar_bench_${process.pid}_${tag}`);
  try {
    const running = await startScimitar(db.url);
    try {
      return await work(running, db.url);
    } finally {
      await running.stop();
    }
  } finally {
    await db.drop();
  }
}

type Mode = 'off' | 'on' | 'drain';

/** One fresh server: warm up, then measure the create phase (and the deliveries, per mode). */
async function measure(target: 'sqlite' | 'postgres', users: number, concurrency: number, mode: Mode, sink: Sink) {
  return withServer(target, `delivery_${mode}`, async (running, databaseUrl) => {
    if (mode !== 'off') await addEndpoint(databaseUrl, sink.url);
    await sink.reset();
    const warm = await runOktaWorkload({ ...running.warmup, users: WARMUP_USERS, userPrefix: 'warmup', concurrency, createOnly: true });
    if (mode !== 'off') await sink.waitFor(WARMUP_USERS);
    await sink.reset();
    if (mode === 'drain') await sink.hold();
    const [create] = await runOktaWorkload({ ...running.measured, users, concurrency, createOnly: true });
    const createdAt = epochNow();
    const errors = create!.errors + warm.reduce((sum, p) => sum + p.errors, 0);
    if (mode === 'off') return { opsPerSec: create!.opsPerSec, errors };
    if (mode === 'on') {
      const during = (await sink.stats()).count;
      const done = await sink.waitFor(users);
      return { opsPerSec: create!.opsPerSec, errors, during, catchUpSeconds: Math.max(0, done.lastAt - createdAt) / 1000 };
    }
    // Backlog: the worker's head request was held during the create phase; release it and time the drain.
    const releasedAt = await sink.release();
    const done = await sink.waitFor(users);
    return { opsPerSec: create!.opsPerSec, errors, drainEventsPerSec: users / ((done.lastAt - releasedAt) / 1000) };
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

export async function runDeliveryBench(target: 'sqlite' | 'postgres', users: number, concurrency: number, repeat: number): Promise<DeliveryFigures> {
  console.error(`\n▶ webhook delivery on ${target}: ${users} users, concurrency ${concurrency}, ${repeat} run(s) per mode`);
  const sink = await startSink();
  try {
    const off: number[] = [];
    const on: { opsPerSec: number; during?: number; catchUpSeconds?: number }[] = [];
    const drain: number[] = [];
    let errors = 0;
    // Interleaved, so drift in the machine's load affects both sides alike.
    for (let r = 0; r < repeat; r++) {
      const a = await measure(target, users, concurrency, 'off', sink);
      const b = await measure(target, users, concurrency, 'on', sink);
      const c = await measure(target, users, concurrency, 'drain', sink);
      off.push(a.opsPerSec);
      on.push(b);
      drain.push(c.drainEventsPerSec!);
      errors += a.errors + b.errors + c.errors;
    }
    const onMedian = [...on].sort((x, y) => x.opsPerSec - y.opsPerSec)[Math.floor((on.length - 1) / 2)]!;
    const offMedian = median(off);
    return {
      target,
      users,
      createOffOpsPerSec: offMedian,
      createOnOpsPerSec: onMedian.opsPerSec,
      costPercent: ((offMedian - onMedian.opsPerSec) / offMedian) * 100,
      deliveredDuringCreate: onMedian.during,
      catchUpSeconds: onMedian.catchUpSeconds,
      drainEventsPerSec: median(drain),
      repetitions: off.map((o, i) => ({ createOffOpsPerSec: o, createOnOpsPerSec: on[i]!.opsPerSec, drainEventsPerSec: drain[i]! })),
      errors,
    };
  } catch (err) {
    const reason = err instanceof SkipTarget ? err.message : `failed: ${(err as Error).stack ?? String(err)}`;
    console.error(`  skipping delivery on ${target}: ${reason}`);
    return { target, users, errors: 0, skipped: reason };
  } finally {
    await sink.close();
  }
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? '-' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function deliveryTable(runs: DeliveryFigures[]): string {
  const header = ['target', 'create off ops/s', 'create on ops/s', 'cost', 'delivered during create', 'catch-up s', 'drain events/s'];
  const rows = runs.map((r) =>
    r.skipped
      ? [r.target, `skipped (${r.skipped.split('\n')[0]})`, '', '', '', '', '']
      : [
          r.target,
          fmt(r.createOffOpsPerSec),
          fmt(r.createOnOpsPerSec),
          `${fmt(r.costPercent, 1)}%${(r.costPercent ?? 0) > MAX_COST_PERCENT ? ' (over 15%)' : ''}`,
          `${fmt(r.deliveredDuringCreate)} of ${fmt(r.users)}`,
          fmt(r.catchUpSeconds, 2),
          fmt(r.drainEventsPerSec),
        ],
  );
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [`Webhook delivery — ${fmt(runs[0]?.users)} users (create phase with delivery off vs on; backlog drain to a local receiver)`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
