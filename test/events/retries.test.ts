/**
 * Retries, dead letters, redelivery and retention, on every dialect, with a fake clock: the
 * backoff is fast-forwarded, never waited for. The receiver is real HTTP on 127.0.0.1.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { purgeExpiredEvents } from '../../src/app/webhooks/purge-expired-events.js';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../src/events/backoff.js';
import { verifyWebhook } from '../../src/index.js';
import { dialects } from '../support/databases.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { startHarness, type DeliveryHarness } from './harness.js';

const SECOND = 1000;
const HOUR = 3_600_000;

for (const { name, skip } of await dialects()) {
  describe(`webhook retries on ${name}`, { skip }, () => {
    let h: DeliveryHarness | undefined;
    let receiver: WebhookReceiver | undefined;
    afterEach(async () => {
      await receiver?.close();
      await h?.close();
      h = receiver = undefined;
    });

    test('a receiver that fails then recovers: the head is retried with backoff, nothing overtakes it, then all arrive in order', async () => {
      h = await startHarness(name);
      let failures = 3;
      const r = (receiver = await startWebhookReceiver(() => (failures-- > 0 ? 503 : 200)));
      const dir = await h.newDirectory();
      const { endpoint, secret } = await h.scimitar.webhooks.create({ url: r.url });
      for (const n of [1, 2, 3]) await dir.createUser(`user${n}@example.com`);

      assert.equal(await h.scimitar.deliverNow(), 1, 'first try');
      assert.equal(await h.scimitar.deliverNow(), 0, 'not due before the first backoff step');
      h.clock.advance(3.9 * SECOND); // below 5 s minus the 20% jitter
      assert.equal(await h.scimitar.deliverNow(), 0);
      h.clock.advance(2.2 * SECOND); // past 5 s plus the jitter
      assert.equal(await h.scimitar.deliverNow(), 1, 'second try');
      h.clock.advance(37 * SECOND);
      assert.equal(await h.scimitar.deliverNow(), 1, 'third try');
      h.clock.advance(2.5 * 60 * SECOND);
      assert.equal(await h.drain(), 3, 'fourth try succeeds and the stream continues');

      assert.deepEqual(r.received.map((x) => [x.event.sequence, x.status]), [[1, 503], [1, 503], [1, 503], [1, 200], [2, 200], [3, 200]]);
      const firstId = r.received[0]!.id;
      assert.ok(r.received.slice(0, 4).every((x) => x.id === firstId && x.body === r.received[0]!.body), 'same webhook-id and bytes on every retry');
      for (const x of r.received) verifyWebhook(x.body, x.headers, secret, { now: new Date(Number(x.timestamp) * 1000) });
      assert.equal(new Set(r.received.slice(0, 4).map((x) => x.timestamp)).size, 4, 'each try is signed at its own time');

      const attempts = (await h.scimitar.webhooks.attempts({ endpointId: endpoint.id, eventId: firstId })).reverse();
      assert.deepEqual(attempts.map((a) => [a.attempt, a.outcome, a.statusCode]), [[1, 'failed', 503], [2, 'failed', 503], [3, 'failed', 503], [4, 'delivered', 200]]);
      assert.equal(attempts[0]!.error, 'HTTP 503: receiver says 503');
      assert.ok(attempts.every((a) => a.durationMs >= 0 && a.eventType === 'user.created' && a.eventSequence === 1));
    });

    test('after the last try the event is dead-lettered, the stream moves on, and redelivery re-sends it with the same webhook-id', async () => {
      h = await startHarness(name);
      let poisoned = '';
      const r = (receiver = await startWebhookReceiver((hook) => (hook.id === poisoned ? 500 : 200)));
      const dir = await h.newDirectory();
      const { endpoint, secret } = await h.scimitar.webhooks.create({ url: r.url });
      await dir.createUser('poison@example.com');
      await dir.createUser('next@example.com');
      poisoned = (await h.scimitar.store.events.listAfter(dir.directoryId, 0, 1))[0]!.id;

      const started = h.clock.now().getTime();
      let tries = 0;
      while ((await h.scimitar.webhooks.deadLetters({ endpointId: endpoint.id })).length === 0) {
        tries += await h.scimitar.deliverNow();
        h.clock.advance(8 * HOUR * 1.25);
        assert.ok(tries <= MAX_ATTEMPTS + 1, 'dead-lettered after the last attempt, not later');
      }
      assert.equal(tries, MAX_ATTEMPTS + 1, 'the last try, then the next event in the same pass');
      const span = r.received.filter((x) => x.id === poisoned).map((x) => Number(x.timestamp) * 1000);
      assert.equal(span.length, MAX_ATTEMPTS);
      assert.ok(span.at(-1)! - span[0]! >= 24 * HOUR, 'retries span at least 24 hours');
      assert.ok(h.clock.now().getTime() - started >= RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) * 0.8);
      assert.deepEqual(r.received.filter((x) => x.status === 200).map((x) => x.event.data.user.userName), ['next@example.com'], 'the stream moved on');

      const [dead] = await h.scimitar.webhooks.deadLetters({ endpointId: endpoint.id });
      assert.equal(dead!.eventId, poisoned);
      assert.equal(dead!.attempts, MAX_ATTEMPTS);
      assert.equal(dead!.lastError, 'HTTP 500: receiver says 500');
      const lastAttempt = (await h.scimitar.webhooks.attempts({ endpointId: endpoint.id, eventId: poisoned, limit: 1 }))[0]!;
      assert.deepEqual([lastAttempt.attempt, lastAttempt.outcome], [MAX_ATTEMPTS, 'dead']);

      // The receiver is fixed; redeliver the dead event: same webhook-id, same bytes.
      poisoned = 'nothing';
      assert.deepEqual(await h.scimitar.webhooks.redeliver({ endpointId: endpoint.id, eventId: dead!.eventId }), { queued: 1 });
      assert.equal(await h.drain(), 1);
      const again = r.received.at(-1)!;
      assert.equal(again.id, dead!.eventId);
      assert.equal(again.status, 200);
      assert.equal(again.body, r.received[0]!.body);
      verifyWebhook(again.body, again.headers, secret, { now: h.clock.now() });
      const after = (await h.scimitar.webhooks.deadLetters({ endpointId: endpoint.id }))[0]!;
      assert.equal(after.redeliveredAt, h.clock.now().toISOString());
      assert.equal(after.redeliverRequestedAt, null);
      const redelivery = (await h.scimitar.webhooks.attempts({ endpointId: endpoint.id, eventId: dead!.eventId, limit: 1 }))[0]!;
      assert.deepEqual([redelivery.attempt, redelivery.outcome, redelivery.statusCode], [MAX_ATTEMPTS + 1, 'redelivered', 200]);

      // --all-dead skips what was redelivered; an explicit event id sends it once more.
      assert.deepEqual(await h.scimitar.webhooks.redeliver({ endpointId: endpoint.id, allDead: true }), { queued: 0 });
      assert.deepEqual(await h.scimitar.webhooks.redeliver({ endpointId: endpoint.id, eventId: dead!.eventId }), { queued: 1 });
      assert.equal(await h.drain(), 1);
      await assert.rejects(h.scimitar.webhooks.redeliver({ endpointId: endpoint.id, eventId: 'evt_unknown' }), { code: 'not_found' });
      await assert.rejects(h.scimitar.webhooks.redeliver({ endpointId: endpoint.id }), { code: 'invalid_value' });
      await assert.rejects(h.scimitar.webhooks.redeliver({ endpointId: endpoint.id, eventId: dead!.eventId, allDead: true }), { code: 'invalid_value' });
    });

    test('timeouts and refused connections are failed attempts with the reason recorded', async () => {
      h = await startHarness(name, { timeoutMs: 200 });
      const r = (receiver = await startWebhookReceiver(() => 'hang'));
      const dir = await h.newDirectory();
      const { endpoint } = await h.scimitar.webhooks.create({ url: r.url });
      await dir.createUser('slow@example.com');
      assert.equal(await h.scimitar.deliverNow(), 1);
      const [timedOut] = await h.scimitar.webhooks.attempts({ endpointId: endpoint.id });
      assert.deepEqual([timedOut!.outcome, timedOut!.statusCode, timedOut!.error], ['failed', null, 'timed out after 200 ms']);
      assert.ok(timedOut!.durationMs >= 190);

      await r.close();
      receiver = undefined;
      h.clock.advance(10 * SECOND);
      assert.equal(await h.scimitar.deliverNow(), 1);
      const [refused] = await h.scimitar.webhooks.attempts({ endpointId: endpoint.id, limit: 1 });
      assert.deepEqual([refused!.attempt, refused!.outcome, refused!.statusCode], [2, 'failed', null]);
      assert.match(refused!.error ?? '', /ECONNREFUSED|other side closed|socket/i);
    });

    test('retention removes old events only once every enabled stream has settled them', async () => {
      h = await startHarness(name);
      let up = false;
      const r = (receiver = await startWebhookReceiver(() => (up ? 200 : 503)));
      const dir = await h.newDirectory();
      await h.scimitar.webhooks.create({ url: r.url });
      const stale = await h.scimitar.webhooks.create({ url: `${r.url}?disabled` });
      for (const n of [1, 2, 3]) await dir.createUser(`old${n}@example.com`);
      await h.scimitar.deliverNow();
      await h.scimitar.webhooks.update(stale.endpoint.id, { enabled: false });

      h.clock.advance(31 * 24 * HOUR);
      const cutoff = new Date(h.clock.now().getTime() - 30 * 24 * HOUR);
      const ctx = { store: h.scimitar.store };
      assert.deepEqual(await purgeExpiredEvents(ctx, { before: cutoff }), { events: 0, history: 2 }, 'the failing stream has not settled them; the old attempts go');
      assert.equal(await h.scimitar.store.events.count(dir.directoryId), 3);

      up = true;
      await h.drain();
      assert.equal(r.received.filter((x) => x.status === 200).length, 3);
      const purged = await purgeExpiredEvents(ctx, { before: cutoff });
      assert.deepEqual(purged, { events: 3, history: 0 }, 'a disabled endpoint does not hold events back');
      assert.equal(await h.scimitar.store.events.count(dir.directoryId), 0);
      await dir.createUser('new@example.com');
      await h.drain();
      assert.equal(r.received.at(-1)!.event.sequence, 4, 'sequence numbers continue after a purge');
    });
  });
}
