/**
 * Library mode: `createScimitar()` mounted in every host it ships an adapter for — plain
 * node:http, Express (with and without a body parser in front), Fastify, and the web-standard
 * fetch handler — at the root and below a prefix. Each host gets the same small smoke over real
 * HTTP on loopback: provision a user, find it with Okta's existence check, follow its
 * meta.location, and get a JSON 404 for a route that does not exist.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { createScimitar, type Scimitar } from '../../src/runtime/create-scimitar.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { ScimClient, oktaUser } from '../support/scim-client.js';

type Prefix = '' | '/identity';

interface Mounted {
  origin: string;
  scimitar: Scimitar;
  /** Whether paths under the prefix that are not Scimitar's are answered by Scimitar (else the host). */
  ownsPrefix: boolean;
  /** How many request bodies an Express body parser consumed before Scimitar. */
  parsedBodies(): number;
  close(): Promise<void>;
}

/** A node:http server on an ephemeral loopback port whose handler is set once the port is known. */
async function listen(): Promise<{ server: Server; origin: string; setHandler(h: (req: IncomingMessage, res: ServerResponse) => void): void }> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, setHandler: (h) => (handler = h) };
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });

/** node:http -> Request -> scimitar.fetch -> Response -> node:http, as a Next.js or Hono host would do. */
function fetchBridge(handler: (request: Request) => Promise<Response>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
      });
      const response = await handler(request);
      const out: Record<string, string> = {};
      response.headers.forEach((value, key) => (out[key] = value));
      res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  };
}

type Host = 'node:http' | 'express' | 'express + express.json()' | 'express + express.json(scim+json)' | 'fastify' | 'fetch';

async function mount(host: Host, prefix: Prefix, database: TestDatabase): Promise<Mounted> {
  const { server, origin, setHandler } = await listen();
  // publicUrl always carries the prefix; basePath only matters to hosts that do not strip it.
  const publicUrl = `${origin}${prefix}`;
  const needsBasePath = host === 'node:http' || host === 'fetch';
  const scimitar = await createScimitar({ database: database.url, publicUrl, ...(needsBasePath && prefix ? { basePath: prefix } : {}) });
  let closeHost = async () => {};
  let ownsPrefix = true;
  let parsedBodies = 0;

  switch (host) {
    case 'node:http':
      setHandler(scimitar.node);
      break;
    case 'fetch':
      setHandler(fetchBridge(scimitar.fetch));
      break;
    case 'express':
    case 'express + express.json()':
    case 'express + express.json(scim+json)': {
      const app = express();
      // Default express.json() parses application/json only; the second variant also takes SCIM's type.
      if (host === 'express + express.json()') app.use(express.json());
      if (host === 'express + express.json(scim+json)') app.use(express.json({ type: ['application/json', 'application/scim+json'] }));
      // Counts the writes whose body a parser consumed before Scimitar saw them.
      app.use((req, _res, next) => {
        if (req.body !== undefined && req.readableEnded) parsedBodies++;
        next();
      });
      if (prefix) app.use(prefix, scimitar.node);
      else app.use(scimitar.node);
      // The host's own routes keep working around the middleware.
      app.get(`${prefix}/host-route`, (_req, res) => void res.json({ host: true }));
      setHandler(app);
      // Under Express, paths Scimitar does not serve fall through to the host (next()).
      ownsPrefix = false;
      break;
    }
    case 'fastify': {
      const app = Fastify({
        serverFactory: (handler) => {
          setHandler(handler);
          return server;
        },
      });
      await app.register(scimitar.fastify, prefix ? { prefix } : {});
      await app.ready();
      closeHost = async () => {
        // Fastify closes the server it was given; let it, then skip our own close.
        await app.close();
      };
      break;
    }
  }

  return {
    origin,
    scimitar,
    ownsPrefix,
    parsedBodies: () => parsedBodies,
    async close() {
      await closeHost();
      if (server.listening) await closeServer(server);
      await scimitar.close();
    },
  };
}

const HOSTS: Host[] = ['node:http', 'express', 'express + express.json()', 'express + express.json(scim+json)', 'fastify', 'fetch'];
const PREFIXES: Prefix[] = ['', '/identity'];

async function getJson(url: string): Promise<{ status: number; contentType: string; body: any }> {
  const response = await fetch(url);
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, contentType, body };
}

describe('library mode', () => {
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const d of databases) await d.drop();
  });

  for (const host of HOSTS) {
    for (const prefix of PREFIXES) {
      test(`${host} at ${prefix || '/'}`, async () => {
        const database = await createTestDatabase('sqlite');
        databases.push(database);
        const mounted = await mount(host, prefix, database);
        try {
          const org = await mounted.scimitar.admin.createOrganization({ name: 'Host Org' });
          const created = await mounted.scimitar.admin.createDirectory({ organizationId: org.id, provider: 'okta' });
          const directoryId = created.directory.id;
          const expectedBase = `${mounted.origin}${prefix}/scim/v2/${directoryId}`;
          assert.equal(created.scimBaseUrl, expectedBase);
          const client = new ScimClient(created.scimBaseUrl, created.token);

          // Okta's existence check, then its create.
          const before = await client.get('/Users?filter=userName%20eq%20%22ann%40example.com%22&startIndex=1&count=100');
          assert.equal(before.status, 200, before.text);
          assert.equal(before.body.totalResults, 0);

          const user = await client.post('/Users', oktaUser('ann@example.com'));
          assert.equal(user.status, 201, user.text);
          assert.match(user.headers.get('content-type') ?? '', /^application\/scim\+json/);
          const location = `${expectedBase}/Users/${user.body.id}`;
          assert.equal(user.body.meta.location, location);
          assert.equal(user.headers.get('location'), location);
          assert.equal(user.body.userName, 'ann@example.com');

          // A JSON body with the plain application/json type (what a body parser may consume first).
          const bob = await client.post('/Users', oktaUser('bob@example.com'), { 'content-type': 'application/json' });
          assert.equal(bob.status, 201, bob.text);
          assert.equal(bob.body.userName, 'bob@example.com');

          const found = await client.get('/Users?filter=userName%20eq%20%22ANN%40example.com%22&startIndex=1&count=100');
          assert.equal(found.status, 200, found.text);
          assert.equal(found.body.totalResults, 1);
          assert.equal(found.body.Resources[0].id, user.body.id);
          assert.equal(found.body.Resources[0].meta.location, location);

          // meta.location is where the user really is.
          const followed = await new ScimClient('', created.token).get(location);
          assert.equal(followed.status, 200, followed.text);
          assert.equal(followed.body.id, user.body.id);

          // A PATCH through the host as well (a body on a second verb).
          const patched = await client.patch(`/Users/${user.body.id}`, {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
            Operations: [{ op: 'replace', value: { active: false } }],
          });
          assert.equal(patched.status, 200, patched.text);
          assert.equal(patched.body.active, false);

          // Malformed JSON is a SCIM invalidSyntax error when it reaches Scimitar.
          if (host !== 'express + express.json(scim+json)') {
            const bad = await client.post('/Users', '{"userName":');
            assert.equal(bad.status, 400, bad.text);
            assert.equal(bad.body.scimType, 'invalidSyntax');
          }

          // Unknown SCIM route: a SCIM JSON 404 under every host.
          const unknownScim = await client.get('/NoSuchResource');
          assert.equal(unknownScim.status, 404, unknownScim.text);
          assert.deepEqual(unknownScim.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);

          // The other surfaces are served under the mount path too, with links that include it.
          const login = await fetch(`${mounted.origin}${prefix}/portal/login`);
          assert.equal(login.status, 200);
          assert.match(await login.text(), new RegExp(`action="${prefix}/portal/login"`));
          const openApi = await fetch(`${mounted.origin}${prefix}/api/v1/openapi.json`);
          assert.equal(openApi.status, 200);
          const link = await mounted.scimitar.admin.createPortalLink({ organizationId: org.id });
          assert.ok(link.url.startsWith(`${mounted.origin}${prefix}/portal/link/`));
          assert.equal((await fetch(link.url)).status, 200, 'the setup link opens through the host');

          const health = await getJson(`${mounted.origin}${prefix}/healthz`);
          assert.equal(health.status, 200);
          assert.deepEqual(health.body, { status: 'ok' });

          if (mounted.ownsPrefix) {
            // Unknown route below the mount point: JSON 404, never HTML.
            const unknown = await getJson(`${mounted.origin}${prefix}/no-such-route`);
            assert.equal(unknown.status, 404);
            assert.match(unknown.contentType, /json/);
            assert.equal(unknown.body.error.code, 'not_found');
          } else {
            // Express: Scimitar hands paths it does not serve back to the host app.
            const hostRoute = await getJson(`${mounted.origin}${prefix}/host-route`);
            assert.equal(hostRoute.status, 200);
            assert.deepEqual(hostRoute.body, { host: true });
          }
          // The parser variants really did hand Scimitar already-consumed bodies.
          // express.json(): bob (application/json); with scim+json too: ann, bob, the PATCH.
          const consumed = { 'express + express.json()': 1, 'express + express.json(scim+json)': 3 } as Partial<Record<Host, number>>;
          assert.equal(mounted.parsedBodies(), consumed[host] ?? 0);
          if (prefix && host === 'fastify') {
            // Outside the plugin's prefix Fastify answers with its own JSON 404.
            const outside = await getJson(`${mounted.origin}/elsewhere`);
            assert.equal(outside.status, 404);
            assert.match(outside.contentType, /json/);
          }
          if (prefix && (host === 'node:http' || host === 'fetch')) {
            // Outside the mount path, the node and fetch adapters answer a JSON 404 themselves.
            const outside = await getJson(`${mounted.origin}/scim/v2/${directoryId}/Users`);
            assert.equal(outside.status, 404);
            assert.match(outside.contentType, /json/);
          }
        } finally {
          await mounted.close();
        }
      });
    }
  }

  test('fetch handler called directly with a Request, below a prefix', async () => {
    const database = await createTestDatabase('sqlite');
    databases.push(database);
    const publicUrl = 'https://app.example.com/identity';
    const scimitar = await createScimitar({ database: database.url, publicUrl, basePath: '/identity' });
    try {
      const org = await scimitar.admin.createOrganization({ name: 'Edge Org' });
      const { scimBaseUrl, token } = await scimitar.admin.createDirectory({ organizationId: org.id, provider: 'entra' });
      assert.ok(scimBaseUrl.startsWith('https://app.example.com/identity/scim/v2/'));
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' };
      const created = await scimitar.fetch(new Request(`${scimBaseUrl}/Users`, { method: 'POST', headers, body: JSON.stringify(oktaUser('edge@example.com')) }));
      assert.equal(created.status, 201);
      const body = (await created.json()) as { id: string; meta: { location: string } };
      assert.equal(body.meta.location, `${scimBaseUrl}/Users/${body.id}`);
      const found = await scimitar.fetch(new Request(`${scimBaseUrl}/Users?filter=${encodeURIComponent('userName eq "edge@example.com"')}`, { headers }));
      assert.equal(found.status, 200);
      assert.equal(((await found.json()) as { totalResults: number }).totalResults, 1);
      const unknown = await scimitar.fetch(new Request('https://app.example.com/identity/nope'));
      assert.equal(unknown.status, 404);
      assert.match(unknown.headers.get('content-type') ?? '', /json/);
      await unknown.json();
    } finally {
      await scimitar.close();
    }
  });
});
