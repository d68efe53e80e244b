/**
 * Issue 3, "Proof": two server processes on one PostgreSQL deliver without overlap. Both run
 * the delivery worker against the same streams; the receiver always answers 200 (after a short
 * pause, to widen the window in which a double send would overlap) and records in-flight
 * webhook-ids. Every event must arrive exactly once, in order per directory, never concurrently
 * with itself, and both processes must have taken part.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createScimitar } from '../../src/runtime/create-scimitar.js';
import { createTestDatabase, dialects } from '../support/databases.js';
import { ScimClient, oktaUser } from '../support/scim-client.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { startServerProcess, type ServerProcess } from './processes.js';

const DIRECTORIES = 6;
const USERS_PER_DIRECTORY = 60;
const postgres = (await dialects()).find((d) => d.name === 'postgres')!;

test('two server processes on one PostgreSQL: every event delivered exactly once, no delivery overlapping another of the same id', { skip: postgres.skip, timeout: 60_000 }, async () => {
  const db = await createTestDatabase('postgres');
  const receiver = await startWebhookReceiver(() => new Promise((resolve) => setTimeout(() => resolve(200), Math.random() * 3)));
  const servers: ServerProcess[] = [];
  const sql = new pg.Client({ connectionString: db.url });
  try {
    const setup = await createScimitar({ database: db.url, publicUrl: 'http://127.0.0.1', maintenance: false, delivery: { enabled: false } });
    const org = await setup.admin.createOrganization({ name: 'Scale-out' });
    const directories = [];
    for (let i = 0; i < DIRECTORIES; i++) directories.push(await setup.admin.createDirectory({ organizationId: org.id, provider: 'okta' }));
    await setup.webhooks.create({ url: receiver.url });
    await setup.close();

    // Two streams at a time per process, six streams: both processes must take part.
    const env = { WEBHOOK_CONCURRENCY: '2', WEBHOOK_POLL_INTERVAL_MS: '50' };
    servers.push(...(await Promise.all([startServerProcess(db.url, env), startServerProcess(db.url, env)])));
    await sql.connect();
    const leaseHolders = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const { rows } = await sql.query<{ leased_by: string }>('select leased_by from webhook_streams where leased_by is not null');
        for (const row of rows) leaseHolders.add(row.leased_by);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    // Each directory's users are created half through one server, half through the other.
    await Promise.all(
      directories.map(async (d, i) => {
        const clients = servers.map((s) => new ScimClient(`${s.url}/scim/v2/${d.directory.id}`, d.token));
        for (let n = 0; n < USERS_PER_DIRECTORY; n += 2) {
          const results = await Promise.all([0, 1].map((k) => clients[k]!.post('/Users', oktaUser(`u${n + k}.d${i}@example.com`))));
          for (const r of results) assert.equal(r.status, 201, r.text);
        }
      }),
    );
    const { rows: events } = await sql.query<{ id: string; directory_id: string; seq: number }>('select id, directory_id, seq from events order by directory_id, seq');
    assert.equal(events.length, DIRECTORIES * USERS_PER_DIRECTORY);
    await receiver.waitFor((received) => received.length >= events.length, 40_000, `${events.length} deliveries`);
    // Give a double send, if there were one, time to show up.
    await new Promise((r) => setTimeout(r, 500));
    watching = false;
    await watcher;

    assert.deepEqual(receiver.overlaps, [], 'no webhook-id was in flight twice at once');
    const ids = receiver.received.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'no event was delivered twice');
    assert.deepEqual([...ids].sort(), events.map((e) => e.id).sort(), 'every event was delivered');
    for (const d of directories) {
      const seqs = receiver.received.filter((r) => r.event.directoryId === d.directory.id).map((r) => r.event.sequence);
      assert.deepEqual(seqs, Array.from({ length: USERS_PER_DIRECTORY }, (_, i) => i + 1), 'in order per directory');
    }
    assert.ok(receiver.maxInFlight > 1, 'deliveries ran concurrently (across streams)');
    assert.equal(leaseHolders.size, 2, `both processes held stream leases (saw ${[...leaseHolders].join(', ')})`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await sql.end().catch(() => {});
    await receiver.close();
    await db.drop();
  }
});
