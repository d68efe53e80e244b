/**
 * The Okta workload: replays the request shapes Okta's SCIM 2.0 client sends (create, filter look-up,
 * PUT, deactivate, import, group push, member removal, group listing) over keep-alive HTTP at a fixed
 * concurrency, and times every request. Owns the phase definitions and the per-phase result figures.
 */
import { Agent, request as httpRequest } from 'node:http';
import { URN } from '../src/scim/urns.js';

export interface WorkloadOptions {
  baseUrl: string; // the SCIM base, e.g. http://127.0.0.1:3000/scim/v2/<directory>
  token: string;
  users: number;
  groups?: number; // default 20
  groupSize?: number; // default 250
  concurrency?: number; // default 8
  /** Per-user phases (look-up, PUT, deactivate) touch this many users spread over the directory. Default: all. */
  sampleUsers?: number;
  /** Times the group listing is repeated (at least). Default 200. */
  groupListings?: number;
  /**
   * Read-only phases (import, group list) repeat whole passes until they have run this long, so a fast
   * server's figure is not a 20 ms blip. Default 1; 0 = one pass.
   */
  minReadSeconds?: number;
  /** userNames are `<userPrefix>{i}@example.com`. Default 'user'. */
  userPrefix?: string;
  /** Print create progress (useful when filling a large directory). */
  progress?: boolean;
  /** Run the create phase only (the delivery figures compare it with webhook delivery on and off). */
  createOnly?: boolean;
  log?: (line: string) => void;
}

export interface PhaseResult {
  phase: string;
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

interface Response {
  status: number;
  text: string;
}

interface CreatedUser {
  index: number;
  id: string;
  userName: string;
}

const MAX_PRINTED_ERRORS = 5;
const PAGE = 100;
const MEMBER_BATCH = 100;
const REQUEST_TIMEOUT_MS = 30_000;

/** Keep-alive HTTP/1.1 client that speaks to one SCIM base with the headers Okta sends. */
class ScimClient {
  private readonly agent: Agent;
  private readonly base: URL;
  private readonly headers: Record<string, string>;

  constructor(baseUrl: string, token: string, concurrency: number) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    if (this.base.hostname !== '127.0.0.1') throw new Error(`benchmark traffic goes to 127.0.0.1 only, not ${this.base.hostname}`);
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    this.headers = {
      authorization: `Bearer ${token}`,
      accept: 'application/scim+json; charset=utf-8',
      'user-agent': 'Okta SCIM Client 1.0.0',
    };
  }

  /** `path` is relative to the SCIM base, e.g. `Users?filter=...`. */
  send(method: string, path: string, body?: unknown): Promise<Response> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { ...this.headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/scim+json; charset=utf-8';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no response in ${REQUEST_TIMEOUT_MS / 1000}s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Collects latencies and errors of one phase; prints the first few failures. */
class PhaseRecorder {
  private readonly latencies: number[] = [];
  private errors = 0;
  private readonly started = performance.now();

  constructor(
    readonly phase: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Sends one request, times it, and counts non-2xx (or a thrown error) as an error. Returns undefined on error. */
  async call(client: ScimClient, method: string, path: string, body?: unknown): Promise<Response | undefined> {
    const t0 = performance.now();
    try {
      const res = await client.send(method, path, body);
      this.latencies.push(performance.now() - t0);
      if (res.status >= 200 && res.status < 300) return res;
      this.fail(`${method} ${path} -> ${res.status} ${res.text.slice(0, 300)}`);
    } catch (err) {
      this.latencies.push(performance.now() - t0);
      this.fail(`${method} ${path} -> ${String(err)}`);
    }
    return undefined;
  }

  /** A correctness check that came for free with a response. */
  check(ok: boolean, message: string): void {
    if (!ok) this.fail(`check failed: ${message}`);
  }

  get elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  get errorCount(): number {
    return this.errors;
  }

  fail(message: string): void {
    this.errors++;
    if (this.errors <= MAX_PRINTED_ERRORS) this.log(`  [${this.phase}] ${message}`);
    if (this.errors === MAX_PRINTED_ERRORS + 1) this.log(`  [${this.phase}] (further errors not printed)`);
  }

  result(): PhaseResult {
    const seconds = (performance.now() - this.started) / 1000;
    const sorted = Float64Array.from(this.latencies).sort();
    const ops = sorted.length;
    return {
      phase: this.phase,
      ops,
      seconds: round(seconds, 3),
      opsPerSec: round(ops / seconds, 1),
      p50Ms: round(percentile(sorted, 0.5), 2),
      p99Ms: round(percentile(sorted, 0.99), 2),
      errors: this.errors,
    };
  }
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Runs task(0..count-1) with at most `concurrency` in flight. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function parse<T>(res: Response | undefined): T | undefined {
  if (!res || res.text.length === 0) return undefined;
  try {
    return JSON.parse(res.text) as T;
  } catch {
    return undefined;
  }
}

// ---- request bodies, as Okta sends them ----

function userName(ctx: Ctx, i: number): string {
  return `${ctx.opts.userPrefix}${i}@example.com`;
}

function oktaUser(i: number, name: string, title?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: [URN.user],
    userName: name,
    name: { givenName: title ? `Given${i}-v2` : `Given${i}`, familyName: `Family${i}` },
    emails: [{ primary: true, value: name, type: 'work' }],
    displayName: `Given${i} Family${i}`,
    locale: 'en-US',
    externalId: `00u${String(i).padStart(17, '0')}`,
    groups: [],
    password: `Pw-${i}-Bench!x9`,
    active: true,
  };
  if (title) body.title = title;
  return body;
}

function filterPath(name: string): string {
  // Okta percent-encodes the whole filter value: spaces as %20, quotes as %22, @ as %40.
  return `Users?filter=${encodeURIComponent(`userName eq "${name}"`)}&startIndex=1&count=100`;
}

const DEACTIVATE = { schemas: [URN.patchOp], Operations: [{ op: 'replace', value: { active: false } }] };

function addMembers(members: CreatedUser[]): unknown {
  return {
    schemas: [URN.patchOp],
    Operations: [{ op: 'add', path: 'members', value: members.map((m) => ({ value: m.id, display: m.userName })) }],
  };
}

function removeMember(id: string): unknown {
  return { schemas: [URN.patchOp], Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }] };
}

// ---- phases ----

interface ListResponse {
  totalResults?: number;
  Resources?: Array<Record<string, unknown>>;
}

interface Ctx {
  client: ScimClient;
  opts: Required<WorkloadOptions>;
  users: CreatedUser[]; // successfully created, index order
  groups: Array<{ id: string; members: CreatedUser[] }>;
}

async function createUsers(ctx: Ctx): Promise<PhaseResult> {
  const rec = new PhaseRecorder('create users', ctx.opts.log);
  const created: Array<CreatedUser | undefined> = new Array(ctx.opts.users);
  const step = Math.max(1000, Math.ceil(ctx.opts.users / 20));
  let done = 0;
  await pool(ctx.opts.users, ctx.opts.concurrency, async (i) => {
    const name = userName(ctx, i);
    const res = parse<{ id?: string }>(await rec.call(ctx.client, 'POST', 'Users', oktaUser(i, name)));
    if (res) {
      rec.check(typeof res.id === 'string' && res.id.length > 0, `POST /Users #${i} returned no id`);
      if (typeof res.id === 'string') created[i] = { index: i, id: res.id, userName: name };
    }
    if (ctx.opts.progress && ++done % step === 0) ctx.opts.log(`  created ${done}/${ctx.opts.users} users`);
  });
  ctx.users = created.filter((u): u is CreatedUser => u !== undefined);
  return rec.result();
}

/** The users the per-user phases touch: all, or an evenly spread sample. */
function sample(ctx: Ctx): CreatedUser[] {
  const n = Math.min(ctx.opts.sampleUsers, ctx.users.length);
  if (n >= ctx.users.length) return ctx.users;
  const stride = ctx.users.length / n;
  return Array.from({ length: n }, (_, k) => ctx.users[Math.floor(k * stride)]);
}

async function lookUpUsers(ctx: Ctx): Promise<PhaseResult> {
  const rec = new PhaseRecorder('filter look-up', ctx.opts.log);
  const targets = sample(ctx);
  await pool(targets.length, ctx.opts.concurrency, async (k) => {
    const u = targets[k];
    const list = parse<ListResponse>(await rec.call(ctx.client, 'GET', filterPath(u.userName)));
    if (!list) return;
    const found = list.Resources?.[0]?.id;
    rec.check(list.totalResults === 1 && found === u.id, `look-up of ${u.userName}: totalResults ${list.totalResults}, id ${String(found)}`);
  });
  return rec.result();
}

async function putUsers(ctx: Ctx): Promise<PhaseResult> {
  const rec = new PhaseRecorder('PUT user', ctx.opts.log);
  const targets = sample(ctx);
  await pool(targets.length, ctx.opts.concurrency, async (k) => {
    const u = targets[k];
    const body = { ...oktaUser(u.index, u.userName, 'Engineer'), id: u.id };
    const res = parse<{ title?: string }>(await rec.call(ctx.client, 'PUT', `Users/${u.id}`, body));
    if (res) rec.check(res.title === 'Engineer', `PUT ${u.userName} did not return the new title`);
  });
  return rec.result();
}

async function deactivateUsers(ctx: Ctx): Promise<PhaseResult> {
  const rec = new PhaseRecorder('PATCH deactivate', ctx.opts.log);
  const targets = sample(ctx);
  await pool(targets.length, ctx.opts.concurrency, async (k) => {
    const res = await rec.call(ctx.client, 'PATCH', `Users/${targets[k].id}`, DEACTIVATE);
    const body = parse<{ active?: boolean }>(res);
    if (body) rec.check(body.active === false, `PATCH ${targets[k].userName} still active`);
  });
  return rec.result();
}

/** Import: page 1 first (for totalResults), then every other page start prefetched at the same concurrency. */
async function importPass(ctx: Ctx, rec: PhaseRecorder): Promise<void> {
  const first = parse<ListResponse>(await rec.call(ctx.client, 'GET', `Users?startIndex=1&count=${PAGE}`));
  const total = first?.totalResults ?? 0;
  const ids = new Set<string>();
  const collect = (list: ListResponse | undefined): void => list?.Resources?.forEach((r) => ids.add(String(r.id)));
  collect(first);
  const starts = Array.from({ length: Math.max(0, Math.ceil(total / PAGE) - 1) }, (_, k) => 1 + (k + 1) * PAGE);
  await pool(starts.length, ctx.opts.concurrency, async (k) => {
    collect(parse<ListResponse>(await rec.call(ctx.client, 'GET', `Users?startIndex=${starts[k]}&count=${PAGE}`)));
  });
  rec.check(total === ctx.users.length, `import totalResults ${total}, expected ${ctx.users.length}`);
  rec.check(ids.size === total, `import pages held ${ids.size} distinct users, totalResults ${total}`);
}

async function importUsers(ctx: Ctx): Promise<PhaseResult> {
  const rec = new PhaseRecorder('import pages', ctx.opts.log);
  await importPass(ctx, rec);
  while (rec.elapsedSeconds < ctx.opts.minReadSeconds && rec.errorCount === 0) await importPass(ctx, rec);
  return rec.result();
}

/** Group push: each group is created then filled in batches of 100, sequentially per group; groups run concurrently. */
async function pushGroups(ctx: Ctx): Promise<PhaseResult> {
  const rec = new PhaseRecorder('group push', ctx.opts.log);
  const { groups, groupSize } = ctx.opts;
  const size = Math.min(groupSize, ctx.users.length);
  await pool(groups, ctx.opts.concurrency, async (g) => {
    const created = parse<{ id?: string }>(
      await rec.call(ctx.client, 'POST', 'Groups', { schemas: [URN.group], displayName: `Bench Group ${g}` }),
    );
    if (!created?.id) return;
    const members = Array.from({ length: size }, (_, k) => ctx.users[(g * size + k) % ctx.users.length]);
    for (let b = 0; b < members.length; b += MEMBER_BATCH) {
      await rec.call(ctx.client, 'PATCH', `Groups/${created.id}`, addMembers(members.slice(b, b + MEMBER_BATCH)));
    }
    ctx.groups.push({ id: created.id, members });
  });
  return rec.result();
}

/** Removes 10% of each group's members, one PATCH per member; then (untimed) checks each group's member count. */
async function removeMembers(ctx: Ctx): Promise<PhaseResult> {
  const rec = new PhaseRecorder('member remove', ctx.opts.log);
  const removals = ctx.groups.flatMap((g) => {
    const n = Math.floor(g.members.length / 10);
    return g.members.slice(0, n).map((m) => ({ group: g.id, member: m.id }));
  });
  await pool(removals.length, ctx.opts.concurrency, async (k) => {
    await rec.call(ctx.client, 'PATCH', `Groups/${removals[k].group}`, removeMember(removals[k].member));
  });
  const timed = rec.result();
  await verifyGroupSizes(ctx, rec);
  return { ...timed, errors: rec.errorCount };
}

async function verifyGroupSizes(ctx: Ctx, rec: PhaseRecorder): Promise<void> {
  for (const g of ctx.groups) {
    const expected = g.members.length - Math.floor(g.members.length / 10);
    try {
      const res = await ctx.client.send('GET', `Groups/${g.id}`);
      const got = parse<{ members?: unknown[] }>(res)?.members?.length ?? 0;
      rec.check(res.status === 200 && got === expected, `group ${g.id} has ${got} members (status ${res.status}), expected ${expected}`);
    } catch (err) {
      rec.fail(`GET Groups/${g.id} -> ${String(err)}`);
    }
  }
}

async function listGroups(ctx: Ctx): Promise<PhaseResult> {
  const rec = new PhaseRecorder('group list', ctx.opts.log);
  const path = `Groups?excludedAttributes=members&startIndex=1&count=${PAGE}`;
  const first = parse<ListResponse>(await rec.call(ctx.client, 'GET', path));
  if (first) {
    rec.check(first.totalResults === ctx.groups.length, `group list totalResults ${first.totalResults}, expected ${ctx.groups.length}`);
    rec.check(!(first.Resources ?? []).some((r) => 'members' in r), 'group list returned members despite excludedAttributes');
  }
  const listMany = (n: number): Promise<void> => pool(n, ctx.opts.concurrency, async () => void (await rec.call(ctx.client, 'GET', path)));
  await listMany(ctx.opts.groupListings - 1);
  while (rec.elapsedSeconds < ctx.opts.minReadSeconds && rec.errorCount === 0) await listMany(ctx.opts.groupListings);
  return rec.result();
}

const PHASES = [createUsers, lookUpUsers, putUsers, deactivateUsers, importUsers, pushGroups, removeMembers, listGroups];

/** Runs the phases in order against one SCIM base and returns one result per phase. */
export async function runOktaWorkload(options: WorkloadOptions): Promise<PhaseResult[]> {
  const opts: Ctx['opts'] = {
    baseUrl: options.baseUrl,
    token: options.token,
    users: options.users,
    groups: options.groups ?? 20,
    groupSize: options.groupSize ?? 250,
    concurrency: options.concurrency ?? 8,
    sampleUsers: options.sampleUsers ?? options.users,
    groupListings: options.groupListings ?? 200,
    minReadSeconds: options.minReadSeconds ?? 1,
    userPrefix: options.userPrefix ?? 'user',
    progress: options.progress ?? false,
    createOnly: options.createOnly ?? false,
    log: options.log ?? ((line: string) => console.error(line)),
  };
  const ctx: Ctx = { client: new ScimClient(opts.baseUrl, opts.token, opts.concurrency), opts, users: [], groups: [] };
  const results: PhaseResult[] = [];
  try {
    for (const phase of opts.createOnly ? [createUsers] : PHASES) {
      const result = await phase(ctx);
      results.push(result);
      if (opts.progress) opts.log(`  ${result.phase}: ${result.opsPerSec} ops/s (${result.ops} ops, ${result.errors} errors)`);
    }
  } finally {
    ctx.client.close();
  }
  return results;
}
