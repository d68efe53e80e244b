/**
 * `npm run bench`: drives the Okta workload against the floor server, Scimitar on SQLite and Scimitar on
 * PostgreSQL, prints a table per target and a Scimitar ÷ floor ratio table, and writes .bench/results-*.json.
 * Owns option parsing and the order of runs; servers live in targets.ts, the workload in okta-workload.ts.
 *
 * Options (argv, or the BENCH_* environment variable in brackets):
 *   --users N          directory size for the main run (default 5000) [BENCH_USERS]
 *   --large [N]        also run at N users (default 100000 when given without N; off otherwise) [BENCH_LARGE].
 *                      The large directory is filled through the same HTTP create phase (slow, with progress);
 *                      the per-user phases (look-up, PUT, deactivate) then touch --users users spread across it,
 *                      while import pages through all N.
 *   --only T[,T]       floor | sqlite | postgres (default all three) [BENCH_ONLY]
 *   --concurrency N    requests in flight (default 8) [BENCH_CONCURRENCY]
 *   --repeat N         runs per target, each on a fresh server and database; per phase the median-ops/s run is
 *                      reported (default 1; the floor always runs at least 3 times) [BENCH_REPEAT]
 *   --no-delivery      skip the webhook delivery figures (bench/delivery.ts: create ops/s with delivery off vs on,
 *                      and delivered events/s to a local receiver; median of at least 3 runs; on by default)
 *                      [BENCH_DELIVERY=0]
 *   --no-portal        skip the portal page times (bench/portal.ts: every portal screen over a directory of
 *                      --users users, median and p95 of 30 requests) [BENCH_PORTAL=0]
 *   --portal-only      run only the portal page times
 *   --no-sso           skip the SAML sign-in figures (bench/sso.ts: 500 first and 500 repeat SP-initiated
 *                      sign-ins end to end) [BENCH_SSO=0]
 *   --sso-only         run only the SAML sign-in figures
 * Each target is a fresh server on a fresh database; a 1000-user warm-up runs in a separate directory first.
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) is used to CREATE DATABASE
 * scimitar_bench_<pid>_<users>, dropped afterwards; the target is skipped if the server is unreachable.
 */
import { join } from 'node:path';
import { runOktaWorkload, type PhaseResult } from './okta-workload.js';
import { deliveryTable, runDeliveryBench, type DeliveryFigures } from './delivery.js';
import { portalTable, runPortalBench, type PortalFigures } from './portal.js';
import { runSsoBench, ssoTable, type SsoFigures } from './sso.js';
import { ratioTable, targetTable, writeResults, type TargetName, type TargetRun } from './report.js';
import {
  DEFAULT_POSTGRES_URL,
  REPO_ROOT,
  SkipTarget,
  killChildren,
  startFloor,
  startScimitar,
  tempPostgres,
  tempSqlite,
  type RunningTarget,
} from './targets.js';

interface Options {
  users: number;
  large?: number;
  only: TargetName[];
  concurrency: number;
  repeat: number;
  delivery: boolean;
  portal: boolean;
  portalOnly: boolean;
  sso: boolean;
  ssoOnly: boolean;
}

const ALL_TARGETS: TargetName[] = ['floor', 'sqlite', 'postgres'];
const DEFAULT_LARGE = 100_000;
const WARMUP_USERS = 1000;
const FLOOR_MIN_REPEAT = 3; // the floor is cheap and its figures are the denominator: always take a median of 3

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${value}`);
  return n;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const opts: Options = {
    users: positiveInt(env.BENCH_USERS, 'BENCH_USERS') ?? 5000,
    large: positiveInt(env.BENCH_LARGE, 'BENCH_LARGE'),
    only: parseOnly(env.BENCH_ONLY ?? ALL_TARGETS.join(',')),
    concurrency: positiveInt(env.BENCH_CONCURRENCY, 'BENCH_CONCURRENCY') ?? 8,
    repeat: positiveInt(env.BENCH_REPEAT, 'BENCH_REPEAT') ?? 1,
    delivery: env.BENCH_DELIVERY !== '0',
    portal: env.BENCH_PORTAL !== '0',
    portalOnly: false,
    sso: env.BENCH_SSO !== '0',
    ssoOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    switch (argv[i]) {
      case '--users':
        opts.users = positiveInt(next, '--users') ?? opts.users;
        i++;
        break;
      case '--large':
        if (next !== undefined && /^\d+$/.test(next)) {
          opts.large = positiveInt(next, '--large');
          i++;
        } else opts.large = DEFAULT_LARGE;
        break;
      case '--only':
        opts.only = parseOnly(next ?? '');
        i++;
        break;
      case '--concurrency':
        opts.concurrency = positiveInt(next, '--concurrency') ?? opts.concurrency;
        i++;
        break;
      case '--no-delivery':
        opts.delivery = false;
        break;
      case '--no-portal':
        opts.portal = false;
        break;
      case '--portal-only':
        opts.portalOnly = true;
        break;
      case '--no-sso':
        opts.sso = false;
        break;
      case '--sso-only':
        opts.ssoOnly = true;
        break;
      case '--repeat':
        opts.repeat = positiveInt(next, '--repeat') ?? opts.repeat;
        i++;
        break;
      case '--help':
      case '-h':
        console.log('usage: npm run bench -- [--users 5000] [--large [100000]] [--only floor|sqlite|postgres] [--concurrency 8] [--repeat 1] [--no-delivery] [--no-portal | --portal-only] [--no-sso | --sso-only]');
        process.exit(0);
      default:
        throw new Error(`unknown option ${argv[i]} (try --help)`);
    }
  }
  return opts;
}

function parseOnly(value: string): TargetName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!ALL_TARGETS.includes(n as TargetName)) throw new Error(`--only takes ${ALL_TARGETS.join('|')}, got ${n}`);
  return ALL_TARGETS.filter((t) => names.includes(t));
}

// ---- cleanup on Ctrl-C: databases to drop and children to kill ----

const pendingDrops = new Set<() => Promise<void>>();

process.on('SIGINT', () => {
  killChildren();
  void Promise.allSettled([...pendingDrops].map((drop) => drop())).then(() => process.exit(130));
});

/** Starts the target on a fresh database, hands it to `drive`, then stops it and drops the database. */
async function withTarget<T>(target: TargetName, users: number, drive: (t: RunningTarget) => Promise<T>): Promise<T> {
  if (target === 'floor') return useTarget(await startFloor(), drive);
  const db =
    target === 'sqlite'
      ? await tempSqlite()
      : await tempPostgres(process.env.BENCH_DATABASE_URL || DEFAULT_POSTGRES_URL, `scimitar_bench_${process.pid}_${users}`);
  pendingDrops.add(db.drop);
  try {
    return await useTarget(await startScimitar(db.url), drive);
  } finally {
    pendingDrops.delete(db.drop);
    await db.drop();
  }
}

async function useTarget<T>(running: RunningTarget, drive: (t: RunningTarget) => Promise<T>): Promise<T> {
  try {
    return await drive(running);
  } finally {
    await running.stop();
  }
}

/**
 * Runs a small workload against the target's separate warm-up directory first, so the measured run sees a
 * JIT-warm server and client (as a long-running deployment would) rather than a cold start.
 */
async function warmUp(running: RunningTarget, concurrency: number): Promise<void> {
  const results = await runOktaWorkload({
    ...running.warmup,
    users: WARMUP_USERS,
    userPrefix: 'warmup',
    groups: 5,
    groupListings: 100,
    minReadSeconds: 0,
    concurrency,
  });
  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  console.error(`  warmed up with ${WARMUP_USERS} users in a separate directory${errors > 0 ? ` (${errors} errors)` : ''}`);
}

/** One fresh server + database, warmed up, then measured. */
async function runOnce(target: TargetName, users: number, opts: Options): Promise<PhaseResult[]> {
  const large = users !== opts.users;
  return withTarget(target, users, async (running) => {
    await warmUp(running, opts.concurrency);
    const results = await runOktaWorkload({
      ...running.measured,
      users,
      concurrency: opts.concurrency,
      sampleUsers: large ? opts.users : users,
      progress: large,
    });
    if (results.some((r) => r.errors > 0) && target !== 'floor') {
      console.error(`  last server output:\n    ${running.recentOutput().join('\n    ')}`);
    }
    return results;
  });
}

/** Per phase, the repetition with the median ops/s (its p50/p99 come along). */
function medianPhases(repetitions: PhaseResult[][]): PhaseResult[] {
  return repetitions[0].map((_, i) => {
    const sorted = repetitions.map((rep) => rep[i]).sort((x, y) => x.opsPerSec - y.opsPerSec);
    return sorted[Math.floor((sorted.length - 1) / 2)];
  });
}

async function runTarget(target: TargetName, users: number, opts: Options): Promise<TargetRun> {
  const repeat = target === 'floor' ? Math.max(FLOOR_MIN_REPEAT, opts.repeat) : opts.repeat;
  console.error(`\n▶ ${target}: ${users} users, concurrency ${opts.concurrency}, ${repeat} run(s)`);
  try {
    const repetitions: PhaseResult[][] = [];
    for (let r = 0; r < repeat; r++) repetitions.push(await runOnce(target, users, opts));
    return { target, users, phases: medianPhases(repetitions), repetitions };
  } catch (err) {
    const reason = err instanceof SkipTarget ? err.message : `failed: ${(err as Error).stack ?? String(err)}`;
    console.error(`  skipping ${target}: ${reason}`);
    return { target, users, skipped: err instanceof SkipTarget ? reason : (err as Error).message };
  }
}

async function portalFigures(opts: Options): Promise<PortalFigures[]> {
  const figures: PortalFigures[] = [];
  for (const target of opts.only) {
    if (target === 'floor') continue;
    try {
      figures.push(await runPortalBench(target, opts.users));
    } catch (err) {
      console.error(`  portal bench on ${target} skipped: ${(err as Error).message}`);
    }
  }
  if (figures.length > 0) console.log(`\n${portalTable(figures)}`);
  return figures;
}

async function ssoFigures(opts: Options): Promise<SsoFigures[]> {
  const figures: SsoFigures[] = [];
  for (const target of opts.only) {
    if (target === 'floor') continue;
    try {
      figures.push(await runSsoBench(target, 500));
    } catch (err) {
      console.error(`  SSO bench on ${target} skipped: ${(err as Error).message}`);
    }
  }
  if (figures.length > 0) console.log(`\n${ssoTable(figures)}`);
  return figures;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2), process.env);
  if (opts.portalOnly || opts.ssoOnly) {
    if (opts.portalOnly) await portalFigures(opts);
    if (opts.ssoOnly) await ssoFigures(opts);
    return;
  }
  const sizes = opts.large && opts.large !== opts.users ? [opts.users, opts.large] : [opts.users];
  const runs: TargetRun[] = [];
  for (const users of sizes) {
    const sizeRuns: TargetRun[] = [];
    for (const target of opts.only) {
      const run = await runTarget(target, users, opts);
      sizeRuns.push(run);
      console.log(`\n${targetTable(run)}`);
    }
    const ratios = ratioTable(sizeRuns);
    if (ratios) console.log(`\n${ratios}`);
    runs.push(...sizeRuns);
  }
  const delivery: DeliveryFigures[] = [];
  if (opts.delivery) {
    for (const target of opts.only) {
      // off and on are compared within a few percent: always take a median of at least 3 interleaved pairs
      if (target !== 'floor') delivery.push(await runDeliveryBench(target, opts.users, opts.concurrency, Math.max(3, opts.repeat)));
    }
    if (delivery.length > 0) console.log(`\n${deliveryTable(delivery)}`);
  }
  const portal = opts.portal ? await portalFigures(opts) : [];
  const sso = opts.sso ? await ssoFigures(opts) : [];
  const file = await writeResults(join(REPO_ROOT, '.bench'), opts, runs, {
    ...(delivery.length > 0 ? { delivery } : {}),
    ...(portal.length > 0 ? { portal } : {}),
    ...(sso.length > 0 ? { sso } : {}),
  });
  console.log(`\nresults written to ${file}`);
  const errors = runs.flatMap((r) => r.phases ?? []).reduce((sum, p) => sum + p.errors, 0) + delivery.reduce((sum, d) => sum + d.errors, 0);
  if (errors > 0) console.error(`${errors} request(s) failed or returned wrong results; see the lines above.`);
  process.exitCode = errors > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  killChildren();
  process.exit(2);
});
