/**
 * The request-log screens: filters (errors only, method, a search that finds everything about
 * one user by userName or by id), keyset paging with no gap or repeat, one request by its id,
 * and the summary numbers. Real SCIM traffic over HTTP, on both databases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestLogEntry } from '../../src/app/ports.js';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { oktaUser, type ScimClient } from '../support/scim-client.js';
import { DEACTIVATE, userNameLookup } from '../conformance/okta/okta.js';
import { flushRequestLog } from './portal-data.js';

/** Every entry, page by page (`limit` per page) through the beforeId cursor. */
async function allPages(server: TestServer, directoryId: string, query: { errorsOnly?: boolean; method?: string; search?: string }, limit: number) {
  const seen: RequestLogEntry[] = [];
  for (let beforeId: string | undefined; ; ) {
    const page = await server.server.scimitar.store.requestLog.list(directoryId, { ...query, beforeId, limit });
    assert.ok(page.length <= limit);
    seen.push(...page);
    if (page.length < limit) return seen;
    beforeId = page.at(-1)!.id;
  }
}

const sorted = (values: (string | number)[]) => [...values].sort();

for (const { name, skip } of await dialects()) {
  describe(`request log queries on ${name}`, { skip }, () => {
    let server: TestServer;
    let a: { directoryId: string; client: ScimClient };
    let b: { directoryId: string; client: ScimClient };
    let adaId: string;
    const requestIds: Record<string, string> = {};
    before(async () => {
      server = await startTestServer(name);
      a = await server.newDirectory('okta');
      b = await server.newDirectory('okta');
      const ok = (res: { status: number; text: string; headers: Headers }, status: number, label: string) => {
        assert.equal(res.status, status, `${label}: ${res.text}`);
        requestIds[label] = res.headers.get('x-request-id')!;
      };
      // Okta's existence check, create, a duplicate create, deactivate; then noise.
      ok(await a.client.get(userNameLookup('Ada@Acme.example')), 200, 'lookup');
      const created = await a.client.post('/Users', oktaUser('ada@acme.example'));
      ok(created, 201, 'create');
      adaId = created.body.id;
      ok(await a.client.post('/Users', oktaUser('ada@acme.example')), 409, 'duplicate');
      ok(await a.client.patch(`/Users/${adaId}`, DEACTIVATE), 200, 'deactivate');
      ok(await a.client.get('/Users/usr_missing'), 404, 'missing');
      ok(await a.client.post('/Users', oktaUser('bob@acme.example')), 201, 'bob');
      ok(await a.client.withAuthorization('Bearer wrong').get('/Users'), 401, 'unauthenticated');
      ok(await a.client.post('/Users', oktaUser('pct%u_1@acme.example')), 201, 'pct');
      ok(await a.client.post('/Users', oktaUser('pctAuB1@acme.example')), 201, 'look-alike');
      // Another directory's traffic about a user of the same name.
      ok(await b.client.post('/Users', oktaUser('ada@acme.example')), 201, 'other directory');
      await flushRequestLog(server, a.directoryId);
    });
    after(async () => server?.close());

    const list = (query: { errorsOnly?: boolean; method?: string; search?: string; beforeId?: string; limit?: number }, directoryId = a.directoryId) =>
      server.server.scimitar.store.requestLog.list(directoryId, { limit: 100, ...query });

    test('newest first by id, this directory only', async () => {
      const all = await list({});
      assert.equal(all.length, 9);
      assert.ok(all.every((e, i) => i === 0 || e.id < all[i - 1]!.id), 'ids descending');
      assert.ok(all.every((e) => e.directoryId === a.directoryId));
      assert.ok(!all.some((e) => e.requestId === requestIds['other directory']));
    });

    test('errorsOnly and method filters', async () => {
      assert.deepEqual(sorted((await list({ errorsOnly: true })).map((e) => e.status)), [401, 404, 409]);
      assert.deepEqual((await list({ method: 'PATCH' })).map((e) => e.path), [`${new URL(a.client.baseUrl).pathname}/Users/${adaId}`]);
      assert.deepEqual((await list({ method: 'post' })).map((e) => e.method), ['POST', 'POST', 'POST', 'POST', 'POST'], 'compared upper-cased');
      assert.deepEqual((await list({ method: 'POST', errorsOnly: true })).map((e) => e.status), [409]);
      assert.deepEqual(await list({ method: 'DELETE' }), []);
    });

    test('search finds a user by userName (filters and bodies, any case) and by id (paths)', async () => {
      const byName = await list({ search: 'ADA@acme.EXAMPLE' });
      assert.deepEqual(sorted(byName.map((e) => e.requestId)), sorted([requestIds['lookup']!, requestIds['create']!, requestIds['duplicate']!]));
      assert.ok(byName.every((e) => !e.requestBody?.includes('Sup3r-secret')), 'passwords stay redacted');
      assert.deepEqual((await list({ search: adaId.toLowerCase() })).map((e) => e.requestId), [requestIds['deactivate']]);
      assert.deepEqual((await list({ search: 'ada@acme', errorsOnly: true })).map((e) => e.status), [409]);
      assert.deepEqual(
        (await list({ search: 'ada@acme.example' }, b.directoryId)).map((e) => e.requestId),
        [requestIds['other directory']],
        'the other directory finds only its own',
      );
      assert.deepEqual(await list({ search: 'nobody@acme.example' }), []);
    });

    test('search text is literal: % and _ are no wildcards', async () => {
      assert.deepEqual((await list({ search: 'pct%u_1' })).map((e) => e.requestId), [requestIds['pct']]);
      assert.deepEqual((await list({ search: 'pct%' })).map((e) => e.requestId), [requestIds['pct']]);
      assert.deepEqual((await list({ search: 'u_1@' })).map((e) => e.requestId), [requestIds['pct']]);
      assert.deepEqual((await list({ search: 'pctaub1' })).map((e) => e.requestId), [requestIds['look-alike']]);
    });

    test('beforeId pages through every entry once, with and without filters', async () => {
      const everything = await list({});
      for (const limit of [1, 2, 4]) {
        const paged = await allPages(server, a.directoryId, {}, limit);
        assert.deepEqual(paged.map((e) => e.id), everything.map((e) => e.id), `pages of ${limit}`);
      }
      const posts = await allPages(server, a.directoryId, { method: 'POST' }, 2);
      assert.deepEqual(posts.map((e) => e.id), (await list({ method: 'POST' })).map((e) => e.id));
      assert.equal(new Set(posts.map((e) => e.id)).size, 5);
      assert.deepEqual(await list({ beforeId: everything.at(-1)!.id }), []);
    });

    test('findByRequestId: the entry of one request, in its directory only', async () => {
      const log = server.server.scimitar.store.requestLog;
      const entry = await log.findByRequestId(a.directoryId, requestIds['duplicate']!);
      assert.equal(entry?.status, 409);
      assert.equal(entry?.scimType, 'uniqueness');
      assert.equal(await log.findByRequestId(a.directoryId, 'no-such-request'), undefined);
      assert.equal(await log.findByRequestId(b.directoryId, requestIds['duplicate']!), undefined);
    });

    test('summary of real traffic', async () => {
      const all = await list({});
      const summary = await server.server.scimitar.store.requestLog.summary(a.directoryId, '2000-01-01T00:00:00.000Z');
      assert.equal(summary.total, 9);
      assert.equal(summary.requestsSince, 9);
      assert.equal(summary.errorsSince, 3);
      assert.equal(summary.lastRequestAt, all[0]!.at);
      assert.equal(summary.lastStatus, all[0]!.status);
      assert.equal(summary.lastClientIp, all[0]!.clientIp);
      assert.equal(summary.lastError?.status, 401);
      assert.equal(summary.lastError?.requestId, requestIds['unauthenticated']);
      assert.equal(summary.lastErrorAt, summary.lastError?.at);
      const later = await server.server.scimitar.store.requestLog.summary(a.directoryId, '2999-01-01T00:00:00.000Z');
      assert.deepEqual([later.total, later.requestsSince, later.errorsSince, later.lastError?.status], [9, 0, 0, 401]);
    });

    test('summary numbers: counts since a time, last request, last error; empty directory', async () => {
      const c = await server.newDirectory('okta');
      const log = server.server.scimitar.store.requestLog;
      assert.deepEqual(await log.summary(c.directoryId, '2026-01-01T00:00:00.000Z'), {
        total: 0,
        lastRequestAt: null,
        lastStatus: null,
        lastClientIp: null,
        requestsSince: 0,
        errorsSince: 0,
        lastErrorAt: null,
        lastError: null,
      });
      const entry = (n: number, at: string, status: number, clientIp = '10.0.0.1'): RequestLogEntry => ({
        directoryId: c.directoryId,
        id: `req_${String(n).padStart(3, '0')}`,
        at,
        requestId: `r${n}`,
        method: 'GET',
        path: `/scim/v2/${c.directoryId}/Users`,
        query: null,
        status,
        durationMs: 1,
        scimType: null,
        detail: status >= 400 ? `failed ${n}` : null,
        requestBody: null,
        clientIp,
      });
      await log.recordMany([
        entry(1, '2026-03-01T09:00:00.000Z', 200),
        entry(2, '2026-03-01T10:00:00.000Z', 500),
        entry(3, '2026-03-01T11:00:00.000Z', 201),
        entry(4, '2026-03-01T11:30:00.000Z', 404),
        entry(5, '2026-03-01T11:50:00.000Z', 200, '10.0.0.9'),
      ]);
      const summary = await log.summary(c.directoryId, '2026-03-01T10:30:00.000Z');
      assert.deepEqual({ ...summary, lastError: summary.lastError?.id }, {
        total: 5,
        lastRequestAt: '2026-03-01T11:50:00.000Z',
        lastStatus: 200,
        lastClientIp: '10.0.0.9',
        requestsSince: 3,
        errorsSince: 1,
        lastErrorAt: '2026-03-01T11:30:00.000Z',
        lastError: 'req_004',
      });
      assert.equal(summary.lastError?.detail, 'failed 4');
      // `since` is inclusive.
      assert.deepEqual(await log.summary(c.directoryId, '2026-03-01T10:00:00.000Z').then((s) => [s.requestsSince, s.errorsSince]), [4, 2]);
    });
  });
}
