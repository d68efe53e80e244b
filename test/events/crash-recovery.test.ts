/**
 * Issue 3, "Proof": the server killed with SIGKILL in the middle of a 2,000-user provisioning
 * run and restarted; afterwards every change has exactly one event and every event is
 * delivered at least once with the same webhook-id (and the same bytes). SQLite file, a real
 * `scimitar serve` child process, Okta-shaped creates over HTTP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createScimitar } from '../../src/runtime/create-scimitar.js';
import { verifyWebhook } from '../../src/index.js';
import { createTestDatabase } from '../support/databases.js';
import { ScimClient, oktaUser } from '../support/scim-client.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { startServerProcess, type ServerProcess } from './processes.js';

const USERS = 2000;
const KILL_AFTER = 800;
const CONCURRENCY = 8;

/** Creates the users not yet confirmed; a 409 means an earlier (interrupted) request created it. */
async function provision(client: ScimClient, pending: string[], confirmed: Set<string>, onConfirmed?: () => void): Promise<string[]> {
  const failed: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < pending.length) {
        const userName = pending[next++]!;
        try {
          const res = await client.post('/Users', oktaUser(userName));
          if (res.status === 201 || res.status === 409) {
            confirmed.add(userName);
            onConfirmed?.();
          } else failed.push(userName);
        } catch {
          failed.push(userName); // connection refused or reset: the server is gone
        }
      }
    }),
  );
  return failed;
}

test('SIGKILL mid-provisioning, restart: one event per change, every event delivered at least once with the same webhook-id', { timeout: 90_000 }, async () => {
  const db = await createTestDatabase('sqlite');
  const receiver = await startWebhookReceiver();
  const servers: ServerProcess[] = [];
  try {
    const setup = await createScimitar({ database: db.url, publicUrl: 'http://127.0.0.1', maintenance: false, delivery: { enabled: false } });
    const org = await setup.admin.createOrganization({ name: 'Crash Test' });
    const created = await setup.admin.createDirectory({ organizationId: org.id, provider: 'okta' });
    const { secret } = await setup.webhooks.create({ url: receiver.url });
    await setup.close();
    const directoryId = created.directory.id;
    // A short timeout keeps the killed worker's lease (2 x timeout + 5 s) short.
    const env = { WEBHOOK_TIMEOUT_MS: '1000' };

    const userNames = Array.from({ length: USERS }, (_, i) => `user${String(i).padStart(4, '0')}@crash.example.com`);
    const confirmed = new Set<string>();
    const first = await startServerProcess(db.url, env);
    servers.push(first);
    let killing: Promise<void> | undefined;
    const pending = await provision(new ScimClient(`${first.url}/scim/v2/${directoryId}`, created.token), userNames, confirmed, () => {
      if (confirmed.size >= KILL_AFTER && !killing) killing = first.kill();
    });
    await killing;
    assert.ok(pending.length > 0 && confirmed.size < USERS, 'the kill interrupted the run');
    assert.ok(receiver.received.length > 0, 'deliveries were under way before the kill');

    const second = await startServerProcess(db.url, env);
    servers.push(second);
    const stillFailing = await provision(new ScimClient(`${second.url}/scim/v2/${directoryId}`, created.token), pending, confirmed);
    assert.deepEqual(stillFailing, []);
    assert.equal(confirmed.size, USERS);

    const file = db.url.slice('sqlite:'.length);
    const read = new Database(file, { readonly: true });
    try {
      const users = read.prepare(`select id, user_name from directory_users where directory_id = ? and deleted_at is null`).all(directoryId) as { id: string; user_name: string }[];
      assert.equal(users.length, USERS);
      assert.deepEqual(users.map((u) => u.user_name).sort(), [...userNames].sort());
      const events = read.prepare(`select id, seq, type, data from events where directory_id = ? order by seq`).all(directoryId) as { id: string; seq: number; type: string; data: string }[];
      assert.equal(events.length, USERS, 'exactly one event per change');
      assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1), 'no gap in the sequence');
      assert.ok(events.every((e) => e.type === 'user.created'));
      assert.deepEqual(events.map((e) => JSON.parse(e.data).user.id).sort(), users.map((u) => u.id).sort(), 'each event is about its own user');

      const ids = new Set(events.map((e) => e.id));
      await receiver.waitFor(
        () => {
          const delivered = receiver.deliveredIds();
          return [...ids].every((id) => delivered.has(id));
        },
        45_000,
        `all ${USERS} events`,
      );
      const firstBody = new Map<string, string>();
      for (const hook of receiver.received) {
        assert.ok(ids.has(hook.id), `webhook-id ${hook.id} is an event id`);
        assert.equal(hook.event.id, hook.id);
        const seen = firstBody.get(hook.id);
        if (seen === undefined) firstBody.set(hook.id, hook.body);
        else assert.equal(hook.body, seen, 'a re-sent event has the same bytes');
        verifyWebhook(hook.body, hook.headers, secret);
      }
      // In order: the first delivery of each event follows the sequence; re-sends repeat a tail.
      const firstSeen = [...firstBody.values()].map((body) => JSON.parse(body).sequence as number);
      assert.deepEqual(firstSeen, [...firstSeen].sort((x, y) => x - y));
    } finally {
      read.close();
    }
  } finally {
    for (const s of servers) await s.stop();
    await receiver.close();
    await db.drop();
  }
});
