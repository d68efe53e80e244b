/**
 * Starting and stopping the servers the benchmark drives: the floor server and Scimitar (SQLite or
 * PostgreSQL), each in its own child process so client and server never share an event loop.
 * Owns free ports, health polling, the CLI calls that create the org and directory, and database setup.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** BENCH_SCIMITAR_BIN overrides the entry point (e.g. to try the harness against a stand-in). */
const SCIMITAR_BIN = process.env.BENCH_SCIMITAR_BIN || join(REPO_ROOT, 'bin', 'scimitar.js');
const FLOOR_SCRIPT = join(REPO_ROOT, 'bench', 'floor-server.ts');
const HEALTH_TIMEOUT_MS = 60_000;
const LOG_LINES_KEPT = 40;

export interface ScimEndpoint {
  baseUrl: string;
  token: string;
}

/** A server ready to be driven: the measured directory, a separate warm-up directory, and how to stop and inspect it. */
export interface RunningTarget {
  measured: ScimEndpoint;
  warmup: ScimEndpoint;
  /** The child's last output lines, for diagnosing errors. */
  recentOutput(): string[];
  stop(): Promise<void>;
}

/** Thrown when a target cannot run here (missing binary, unreachable database): printed, not fatal. */
export class SkipTarget extends Error {}

// ---- child processes ----

interface Child {
  proc: ChildProcess;
  lines: string[];
}

function spawnChild(args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const child: Child = { proc, lines: [] };
  const keep = (chunk: Buffer): void => {
    child.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.length > 0));
    if (child.lines.length > LOG_LINES_KEPT) child.lines.splice(0, child.lines.length - LOG_LINES_KEPT);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  liveChildren.add(proc);
  proc.on('exit', () => liveChildren.delete(proc));
  return child;
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

const liveChildren = new Set<ChildProcess>();

/** Kills the children this harness started (used on Ctrl-C). */
export function killChildren(): void {
  for (const proc of liveChildren) proc.kill('SIGKILL');
}

function exitedEarly(child: Child): Promise<never> {
  return new Promise((_, reject) => {
    child.proc.once('exit', (code, signal) => {
      reject(new Error(`server exited during start-up (code ${code}, signal ${signal})\n${child.lines.join('\n')}`));
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}

// ---- the floor ----

/** Starts bench/floor-server.ts in a child process; it prints `{"url":...}` once listening. */
export async function startFloor(): Promise<RunningTarget> {
  const token = `floor-${process.pid}`;
  const child = spawnChild(['--import', 'tsx', FLOOR_SCRIPT, '--token', token], {});
  const url = await Promise.race([firstJsonLine(child), exitedEarly(child)]);
  return {
    measured: { baseUrl: `${url}/scim/v2/floor`, token },
    warmup: { baseUrl: `${url}/scim/v2/warmup`, token },
    recentOutput: () => child.lines,
    stop: () => stopChild(child.proc),
  };
}

function firstJsonLine(child: Child): Promise<string> {
  return new Promise((resolve) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith('{') && l.includes('"url"'));
      if (!line) return;
      child.proc.stdout?.off('data', onData);
      resolve((JSON.parse(line) as { url: string }).url);
    };
    child.proc.stdout?.on('data', onData);
  });
}

// ---- Scimitar ----

const exec = promisify(execFile);

/** Runs `node bin/scimitar.js <args> --json` against `databaseUrl` and parses its JSON output. */
async function cliJson<T>(args: string[], env: Record<string, string>): Promise<T> {
  const { stdout } = await exec(process.execPath, [SCIMITAR_BIN, ...args, '--json'], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
  const text = stdout.trim();
  const candidates = [text, ...text.split('\n').reverse()];
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate) as T;
    } catch {
      // not this one
    }
  }
  throw new Error(`scimitar ${args.join(' ')} printed no JSON:\n${stdout}`);
}

async function waitHealthy(port: number, child: Child): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  const poll = async (): Promise<void> => {
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`GET /healthz did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000}s\n${child.lines.join('\n')}`);
  };
  await Promise.race([poll(), exitedEarly(child)]);
}

/** Starts `node bin/scimitar.js serve` on `databaseUrl`, then creates an org and an Okta directory with the CLI. */
export async function startScimitar(databaseUrl: string): Promise<RunningTarget> {
  if (!existsSync(SCIMITAR_BIN)) throw new SkipTarget(`${SCIMITAR_BIN} does not exist yet`);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = { PORT: String(port), DATABASE_URL: databaseUrl, SCIMITAR_PUBLIC_URL: origin, LOG_LEVEL: 'warn' };
  const child = spawnChild([SCIMITAR_BIN, 'serve'], env);
  try {
    await waitHealthy(port, child);
    const org = await cliJson<{ id: string }>(['org', 'create', 'Bench'], env);
    const warmup = await createDirectory(org.id, env, origin);
    const measured = await createDirectory(org.id, env, origin);
    return { measured, warmup, recentOutput: () => child.lines, stop: () => stopChild(child.proc) };
  } catch (err) {
    await stopChild(child.proc);
    throw err;
  }
}

async function createDirectory(orgId: string, env: Record<string, string>, origin: string): Promise<ScimEndpoint> {
  const dir = await cliJson<{ id: string; scimBaseUrl: string; token: string }>(
    ['directory', 'create', '--org', orgId, '--provider', 'okta'],
    env,
  );
  // Keep the CLI's path but always talk to the port we started, on 127.0.0.1.
  return { baseUrl: new URL(new URL(dir.scimBaseUrl).pathname, origin).toString(), token: dir.token };
}

// ---- databases ----

/** A fresh SQLite file in a temp folder; removed by `drop`. */
export async function tempSqlite(): Promise<{ url: string; drop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'scimitar-bench-'));
  return { url: `sqlite:${join(dir, 'bench.db')}`, drop: () => rm(dir, { recursive: true, force: true }) };
}

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Creates a fresh database next to `adminUrl`'s; `drop` removes it (forcing out leftover sessions). */
export async function tempPostgres(adminUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new SkipTarget(`PostgreSQL unreachable at ${redact(adminUrl)} (${(err as Error).message})`);
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropPostgres(adminUrl, name) };
}

async function dropPostgres(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
