/**
 * The benchmark floor: a bare node:http SCIM server that only parses JSON and keeps users and groups
 * in Maps. No validation, no storage, no schema — just enough SCIM for the Okta workload, so that
 * Scimitar's figures can be read against the cost of HTTP + JSON alone. Runnable standalone.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { URN } from '../src/scim/urns.js';

type Json = Record<string, unknown>;

interface FloorGroup {
  id: string;
  displayName: string;
  members: Map<string, string | undefined>; // value -> display
}

interface Reply {
  status: number;
  body?: unknown;
}

// /scim/v2/<tenant>/(Users|Groups)[/<id>]: each tenant prefix (possibly empty) gets its own store.
const ROUTE = /^\/scim\/v2\/(.*?)\/?(Users|Groups)(?:\/([^/]+))?$/;
const MEMBER_FILTER = /^members\[value eq "([^"]*)"\]$/;
const USERNAME_FILTER = /^userName eq "([^"]*)"$/i;

export const DEFAULT_FLOOR_TOKEN = 'floor-token';

/** In-memory state: users keep insertion order in `userOrder` so pages are stable. */
class FloorStore {
  users = new Map<string, Json>();
  userOrder: string[] = [];
  byUserName = new Map<string, string>();
  groups = new Map<string, FloorGroup>();
  groupOrder: string[] = [];

  route(method: string, resource: string, id: string | undefined, query: URLSearchParams, body: Json): Reply {
    if (resource === 'Users') return this.users_(method, id, query, body);
    return this.groups_(method, id, query, body);
  }

  private users_(method: string, id: string | undefined, query: URLSearchParams, body: Json): Reply {
    if (id === undefined) {
      if (method === 'POST') return this.createUser(body);
      if (method === 'GET') return this.listUsers(query);
      return { status: 405 };
    }
    const user = this.users.get(id);
    if (!user) return notFound(id);
    switch (method) {
      case 'GET':
        return { status: 200, body: user };
      case 'PUT':
        return this.replaceUser(user, body);
      case 'PATCH':
        return this.patchUser(user, body);
      case 'DELETE':
        return this.deleteUser(user);
      default:
        return { status: 405 };
    }
  }

  private createUser(body: Json): Reply {
    const userName = String(body.userName ?? '');
    if (this.byUserName.has(userName.toLowerCase())) return scimError(409, 'uniqueness', 'userName taken');
    const id = randomUUID();
    const user: Json = { ...body, id, meta: { resourceType: 'User' } };
    delete user.password;
    this.users.set(id, user);
    this.userOrder.push(id);
    this.byUserName.set(userName.toLowerCase(), id);
    return { status: 201, body: user };
  }

  private listUsers(query: URLSearchParams): Reply {
    const filter = query.get('filter');
    if (filter !== null) {
      const match = USERNAME_FILTER.exec(filter);
      if (!match) return scimError(400, 'invalidFilter', 'floor only knows userName eq');
      const id = this.byUserName.get(match[1].toLowerCase());
      return { status: 200, body: listResponse(id ? [this.users.get(id)] : [], 1, id ? 1 : 0) };
    }
    const { start, count } = paging(query);
    const page = this.userOrder.slice(start - 1, start - 1 + count).map((id) => this.users.get(id));
    return { status: 200, body: listResponse(page, start, this.userOrder.length) };
  }

  private replaceUser(user: Json, body: Json): Reply {
    const next: Json = { ...body, id: user.id, meta: user.meta };
    delete next.password;
    this.byUserName.delete(String(user.userName ?? '').toLowerCase());
    this.byUserName.set(String(next.userName ?? '').toLowerCase(), String(user.id));
    this.users.set(String(user.id), next);
    return { status: 200, body: next };
  }

  private patchUser(user: Json, body: Json): Reply {
    for (const op of operations(body)) {
      if (String(op.op).toLowerCase() !== 'replace') continue;
      if (typeof op.path === 'string') user[op.path] = op.value;
      else if (op.value && typeof op.value === 'object') Object.assign(user, op.value);
    }
    return { status: 200, body: user };
  }

  private deleteUser(user: Json): Reply {
    const id = String(user.id);
    this.users.delete(id);
    this.userOrder.splice(this.userOrder.indexOf(id), 1);
    this.byUserName.delete(String(user.userName ?? '').toLowerCase());
    for (const group of this.groups.values()) group.members.delete(id);
    return { status: 204 };
  }

  private groups_(method: string, id: string | undefined, query: URLSearchParams, body: Json): Reply {
    if (id === undefined) {
      if (method === 'POST') return this.createGroup(body);
      if (method === 'GET') return this.listGroups(query);
      return { status: 405 };
    }
    const group = this.groups.get(id);
    if (!group) return notFound(id);
    if (method === 'GET') return { status: 200, body: groupJson(group, !excludesMembers(query)) };
    if (method === 'PATCH') return this.patchGroup(group, body);
    if (method === 'DELETE') {
      this.groups.delete(id);
      this.groupOrder.splice(this.groupOrder.indexOf(id), 1);
      return { status: 204 };
    }
    return { status: 405 };
  }

  private createGroup(body: Json): Reply {
    const group: FloorGroup = { id: randomUUID(), displayName: String(body.displayName ?? ''), members: new Map() };
    this.groups.set(group.id, group);
    this.groupOrder.push(group.id);
    return { status: 201, body: groupJson(group, true) };
  }

  private listGroups(query: URLSearchParams): Reply {
    const { start, count } = paging(query);
    const withMembers = !excludesMembers(query);
    const page = this.groupOrder.slice(start - 1, start - 1 + count).map((id) => groupJson(this.groups.get(id)!, withMembers));
    return { status: 200, body: listResponse(page, start, this.groupOrder.length) };
  }

  private patchGroup(group: FloorGroup, body: Json): Reply {
    for (const op of operations(body)) {
      const kind = String(op.op).toLowerCase();
      const path = typeof op.path === 'string' ? op.path : '';
      if (kind === 'add' && path === 'members' && Array.isArray(op.value)) {
        for (const m of op.value as Json[]) group.members.set(String(m.value), m.display as string | undefined);
      } else if (kind === 'remove') {
        const match = MEMBER_FILTER.exec(path);
        if (match) group.members.delete(match[1]);
        else if (path === 'members') group.members.clear();
      } else if (kind === 'replace' && op.value && typeof op.value === 'object') {
        const value = op.value as Json;
        if (typeof value.displayName === 'string') group.displayName = value.displayName;
      }
    }
    return { status: 204 };
  }
}

function operations(body: Json): Json[] {
  return Array.isArray(body.Operations) ? (body.Operations as Json[]) : [];
}

function paging(query: URLSearchParams): { start: number; count: number } {
  const start = Math.max(1, Number(query.get('startIndex') ?? 1) || 1);
  const count = Math.max(0, Number(query.get('count') ?? 100) || 0);
  return { start, count };
}

function excludesMembers(query: URLSearchParams): boolean {
  return (query.get('excludedAttributes') ?? '').split(',').some((a) => a.trim() === 'members');
}

function groupJson(group: FloorGroup, withMembers: boolean): Json {
  const json: Json = { schemas: [URN.group], id: group.id, displayName: group.displayName, meta: { resourceType: 'Group' } };
  if (withMembers) json.members = [...group.members].map(([value, display]) => ({ value, display }));
  return json;
}

function listResponse(resources: unknown[], startIndex: number, totalResults: number): Json {
  return { schemas: [URN.listResponse], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}

function scimError(status: number, scimType: string, detail: string): Reply {
  return { status, body: { schemas: [URN.error], status: String(status), scimType, detail } };
}

function notFound(id: string): Reply {
  return { status: 404, body: { schemas: [URN.error], status: '404', detail: `${id} not found` } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(stores: Map<string, FloorStore>, expectedAuth: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = await readBody(req);
  if (req.url === '/healthz') return send(res, { status: 200, body: { ok: true } });
  if (req.headers.authorization !== expectedAuth) return send(res, scimError(401, 'unauthorized', 'bad token'));
  const url = new URL(req.url ?? '/', 'http://floor');
  const match = ROUTE.exec(url.pathname);
  if (!match) return send(res, notFound(url.pathname));
  let body: Json = {};
  try {
    if (text.length > 0) body = JSON.parse(text) as Json;
  } catch {
    return send(res, scimError(400, 'invalidSyntax', 'bad JSON'));
  }
  let store = stores.get(match[1]);
  if (!store) stores.set(match[1], (store = new FloorStore()));
  send(res, store.route(req.method ?? 'GET', match[2], match[3], url.searchParams, body));
}

/**
 * Starts the floor on 127.0.0.1 (port 0 = any free port). `url` is the origin; SCIM lives under
 * /scim/v2/<anything>, and each distinct <anything> is a separate tenant (so a warm-up can use its own).
 */
export async function startFloorServer(
  port = 0,
  token = DEFAULT_FLOOR_TOKEN,
): Promise<{ url: string; token: string; close(): Promise<void> }> {
  const stores = new Map<string, FloorStore>();
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    handle(stores, `Bearer ${token}`, req, res).catch((err: unknown) => send(res, scimError(500, 'internal', String(err))));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Standalone: `node --import tsx bench/floor-server.ts [--port N] [--token T]`; prints `{"url":...}` on one line. */
async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const floor = await startFloorServer(Number(arg('--port') ?? 0), arg('--token') ?? DEFAULT_FLOOR_TOKEN);
  process.stdout.write(`${JSON.stringify({ url: floor.url })}\n`);
  const stop = (): void => void floor.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
