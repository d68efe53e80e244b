/**
 * The events pull API's promise: an app that keeps nextCursor can stop, let changes happen,
 * and resume without a gap or a duplicate, also while SCIM writes run concurrently in several
 * directories. Checked against the outbox itself: every event exactly once, each directory's
 * sequence contiguous and in order.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DirectoryEvent } from '../../src/domain/events.js';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GROUP_URN, ScimClient, oktaUser } from '../support/scim-client.js';
import { errorCode, newTenant, type Tenant } from './helpers.js';

/** Polls until a poll returns nothing; returns the events and the cursor to resume from. */
async function drain(t: Tenant, cursor: string | undefined, limit: number, query = ''): Promise<{ events: DirectoryEvent[]; cursor: string }> {
  const events: DirectoryEvent[] = [];
  for (;;) {
    const page = await t.api.get(`/events?limit=${limit}${cursor ? `&after=${cursor}` : ''}${query}`);
    assert.equal(page.status, 200, page.text);
    assert.equal(typeof page.body.nextCursor, 'string');
    assert.ok(page.body.data.length <= limit);
    if (page.body.data.length === 0) {
      if (cursor !== undefined) assert.equal(page.body.nextCursor, cursor, 'an empty poll returns the cursor it was given');
      return { events, cursor: page.body.nextCursor };
    }
    events.push(...page.body.data);
    cursor = page.body.nextCursor;
  }
}

/** Every event of the directories, straight from the outbox. */
async function outbox(server: TestServer, directoryIds: string[]): Promise<DirectoryEvent[]> {
  const all: DirectoryEvent[] = [];
  for (const id of directoryIds) all.push(...(await server.server.scimitar.store.events.listAfter(id, 0, 100_000)));
  return all;
}

function assertExactlyOnce(received: DirectoryEvent[], expected: DirectoryEvent[]): void {
  const ids = received.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length, 'no event twice');
  assert.deepEqual([...ids].sort(), expected.map((e) => e.id).sort(), 'every event, and nothing else');
  const byDirectory = new Map<string, number[]>();
  for (const e of received) byDirectory.set(e.directoryId, [...(byDirectory.get(e.directoryId) ?? []), e.sequence]);
  for (const [directoryId, seqs] of byDirectory) {
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), `directory ${directoryId}: sequences 1..n in order`);
  }
}

for (const { name, skip } of await dialects()) {
  describe(`events API on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer(name)));
    after(async () => server?.close());

    async function twoDirectories(): Promise<{ t: Tenant; second: ScimClient; secondId: string }> {
      const t = await newTenant(server);
      const created = await t.api.post('/directories', { provider: 'entra' });
      assert.equal(created.status, 201, created.text);
      const second = new ScimClient(`${server.url}${new URL(created.body.scimBaseUrl).pathname}`, created.body.token);
      return { t, second, secondId: created.body.directory.id };
    }

    test('read some, create more, resume: no gap, no duplicate; an idle poll returns the same cursor', async () => {
      const { t, second, secondId } = await twoDirectories();
      for (let i = 0; i < 5; i++) {
        await t.scim.post('/Users', oktaUser(`a${i}@acme.example`));
        await second.post('/Users', oktaUser(`b${i}@acme.example`));
      }
      const first = await drain(t, undefined, 3);
      assert.equal(first.events.length, 10);
      // Oldest first across directories.
      const times = first.events.map((e) => e.occurredAt);
      assert.deepEqual([...times].sort(), times);

      // The app is down while more happens in both directories.
      const someUser = (first.events.find((e) => e.directoryId === t.directoryId)!.data as { user: { id: string } }).user.id;
      const group = await t.scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Ops', members: [{ value: someUser }] });
      assert.equal(group.status, 201, group.text);
      for (let i = 5; i < 8; i++) await second.post('/Users', oktaUser(`b${i}@acme.example`));
      await t.api.patch(`/directories/${secondId}`, { status: 'inactive' });

      const resumed = await drain(t, first.cursor, 4);
      assert.ok(resumed.events.length >= 5);
      assertExactlyOnce([...first.events, ...resumed.events], await outbox(server, [t.directoryId, secondId]));
      const idle = await t.api.get(`/events?after=${resumed.cursor}`);
      assert.deepEqual(idle.body, { data: [], nextCursor: resumed.cursor });
    });

    test('polling while SCIM writes run concurrently in two directories still sees every event once', async () => {
      const { t, second, secondId } = await twoDirectories();
      let writing = true;
      const writes = (async () => {
        const jobs: Promise<unknown>[] = [];
        for (let i = 0; i < 30; i++) {
          jobs.push(t.scim.post('/Users', oktaUser(`c${i}@acme.example`)));
          jobs.push(second.post('/Users', oktaUser(`d${i}@acme.example`)));
        }
        await Promise.all(jobs);
        writing = false;
      })();
      const received: DirectoryEvent[] = [];
      let cursor: string | undefined;
      while (writing) {
        const page = await t.api.get(`/events?limit=7${cursor ? `&after=${cursor}` : ''}`);
        assert.equal(page.status, 200, page.text);
        received.push(...page.body.data);
        cursor = page.body.nextCursor;
      }
      await writes;
      received.push(...(await drain(t, cursor, 7)).events);
      assert.equal(received.length, 60);
      assertExactlyOnce(received, await outbox(server, [t.directoryId, secondId]));
    });

    test('filters by directory or organization; the cursor of a filtered stream covers that stream only', async () => {
      const { t, second, secondId } = await twoDirectories();
      await t.scim.post('/Users', oktaUser('only-first@acme.example'));
      await second.post('/Users', oktaUser('only-second@acme.example'));
      const one = await drain(t, undefined, 100, `&directoryId=${secondId}`);
      assert.deepEqual(one.events.map((e) => e.directoryId), [secondId]);
      assert.deepEqual(JSON.parse(Buffer.from(one.cursor, 'base64url').toString()), { [secondId]: 1 });
      const org = await drain(t, undefined, 100, `&organizationId=${t.organizationId}`);
      assert.equal(org.events.length, 2);
    });

    test('a cursor that was not returned by the API is a 400, and limits are bounded', async () => {
      const t = await newTenant(server);
      for (const bad of ['%7B%7D', 'eyJ4IjoiMSJ9', '!!!']) {
        const r = await t.api.get(`/events?after=${bad}`);
        assert.equal(r.status, 400, bad);
        assert.equal(errorCode(r), 'invalid_value');
      }
      assert.equal((await t.api.get('/events?limit=1001')).status, 400);
      assert.equal((await t.api.get('/events?limit=-1')).status, 400);
      const empty = await t.api.get('/events');
      assert.deepEqual(empty.body, { data: [], nextCursor: 'e30' });
    });
  });
}
