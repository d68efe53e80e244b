/**
 * Okta conformance, import: Okta's "Import Now" reads every user with
 * `GET /Users?startIndex=1&count=100`, then 101, 201… until it has totalResults users.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../support/databases.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import type { ScimClient } from '../../support/scim-client.js';
import { DEACTIVATE, LIST_URN, createUsers, sorted } from './okta.js';

const TOTAL = 260;
const PAGE = 100;
/** Small enough that Okta's count=100 fits and a larger count is visibly capped. */
const MAX_PAGE_SIZE = 200;

/** Okta's import loop; asserts the shape of every page and returns the ids in the order served. */
async function oktaImport(client: ScimClient, expectedTotal: number, count = PAGE): Promise<string[]> {
  const ids: string[] = [];
  let startIndex = 1;
  let pages = 0;
  for (;;) {
    const res = await client.get(`/Users?startIndex=${startIndex}&count=${count}`);
    assert.equal(res.status, 200, res.text);
    const page = res.body;
    assert.deepEqual(page.schemas, [LIST_URN]);
    assert.equal(page.totalResults, expectedTotal, `totalResults on the page at ${startIndex}`);
    assert.equal(page.startIndex, startIndex);
    assert.equal(page.itemsPerPage, page.Resources.length);
    assert.equal(page.Resources.length, Math.min(count, expectedTotal - startIndex + 1), `size of the page at ${startIndex}`);
    ids.push(...page.Resources.map((r: { id: string }) => r.id));
    pages++;
    startIndex += count;
    if (startIndex > page.totalResults) break;
  }
  assert.equal(pages, Math.max(1, Math.ceil(expectedTotal / count)));
  return ids;
}

for (const { name, skip } of await dialects()) {
  describe(`Okta import on ${name}`, { skip }, () => {
    let server: TestServer;
    let client: ScimClient;
    let created: { id: string; userName: string }[];

    before(async () => {
      server = await startTestServer(name, { maxPageSize: MAX_PAGE_SIZE });
      ({ client } = await server.newDirectory());
      const names = Array.from({ length: TOTAL }, (_, i) => `import${String(i).padStart(3, '0')}@example.com`);
      created = await createUsers(client, names, 20);
    });
    after(async () => server?.close());

    test('Okta imports in pages of 100 (startIndex 1, 101, 201) and receives every user exactly once', async () => {
      const ids = await oktaImport(client, TOTAL);
      assert.equal(ids.length, TOTAL);
      assert.equal(new Set(ids).size, TOTAL, 'no user twice');
      assert.deepEqual(sorted(ids), sorted(created.map((u) => u.id)), 'no user missing');
    });

    test('Okta import sees the same order on two passes', async () => {
      const first = await oktaImport(client, TOTAL);
      const second = await oktaImport(client, TOTAL);
      assert.deepEqual(second, first);
    });

    test('Okta import pages carry full user resources', async () => {
      const res = await client.get('/Users?startIndex=201&count=100');
      assert.equal(res.body.Resources.length, 60);
      for (const user of res.body.Resources) {
        assert.match(user.userName, /^import\d{3}@example\.com$/);
        assert.equal(user.active, true);
        assert.equal(user.emails[0].value, user.userName);
        assert.equal(user.meta.resourceType, 'User');
        assert.equal(user.password, undefined);
      }
    });

    test('count=0 returns only totalResults', async () => {
      const res = await client.get('/Users?startIndex=1&count=0');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.totalResults, TOTAL);
      assert.equal(res.body.itemsPerPage, 0);
      assert.equal((res.body.Resources ?? []).length, 0);
    });

    test('count above the maximum is capped at ServiceProviderConfig filter.maxResults', async () => {
      const spc = await client.get('/ServiceProviderConfig');
      const max = spc.body.filter.maxResults;
      assert.equal(max, MAX_PAGE_SIZE);
      const res = await client.get('/Users?startIndex=1&count=1000');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.totalResults, TOTAL);
      assert.equal(res.body.itemsPerPage, max);
      assert.equal(res.body.Resources.length, max);
      const rest = await client.get(`/Users?startIndex=${max + 1}&count=1000`);
      assert.equal(rest.body.Resources.length, TOTAL - max);
      assert.deepEqual(
        sorted([...res.body.Resources, ...rest.body.Resources].map((u: { id: string }) => u.id)),
        sorted(created.map((u) => u.id)),
      );
    });

    test('a paging loop with a count that is not a divisor of the total still sees every user once', async () => {
      const ids = await oktaImport(client, TOTAL, 77);
      assert.deepEqual(sorted(ids), sorted(created.map((u) => u.id)));
    });

    test('startIndex beyond the end returns empty Resources and the right totalResults', async () => {
      for (const start of [TOTAL + 1, 301, 10_000]) {
        const res = await client.get(`/Users?startIndex=${start}&count=100`);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.totalResults, TOTAL);
        assert.equal(res.body.startIndex, start);
        assert.equal(res.body.itemsPerPage, 0);
        assert.deepEqual(res.body.Resources ?? [], []);
      }
    });

    test('startIndex below 1 is read as 1 (RFC 7644 §3.4.2.4)', async () => {
      const first = await client.get('/Users?startIndex=1&count=5');
      const zero = await client.get('/Users?startIndex=0&count=5');
      assert.equal(zero.status, 200);
      assert.equal(zero.body.startIndex, 1);
      assert.deepEqual(zero.body.Resources.map((u: { id: string }) => u.id), first.body.Resources.map((u: { id: string }) => u.id));
    });

    test('Okta import after a deactivate and a delete: deactivated users are listed inactive, deleted ones are gone', async () => {
      const { client: small } = await server.newDirectory();
      const users = await createUsers(small, ['p1@example.com', 'p2@example.com', 'p3@example.com', 'p4@example.com', 'p5@example.com']);
      assert.equal((await small.patch(`/Users/${users[1].id}`, DEACTIVATE)).status, 200);
      assert.equal((await small.delete(`/Users/${users[3].id}`)).status, 204);
      const ids = await oktaImport(small, 4, 2);
      assert.deepEqual(sorted(ids), sorted([users[0].id, users[1].id, users[2].id, users[4].id]));
      const all = await small.get('/Users?startIndex=1&count=100');
      const byId = new Map(all.body.Resources.map((u: { id: string; active: boolean }) => [u.id, u.active]));
      assert.equal(byId.get(users[1].id), false);
      assert.equal(byId.get(users[0].id), true);
      // The big directory is untouched by the small one.
      assert.equal((await client.get('/Users?startIndex=1&count=0')).body.totalResults, TOTAL);
    });
  });
}
