/**
 * Webhook delivery from the outbox, on every dialect: per-directory order, Standard Webhooks
 * signatures over the exact bytes, the event-type filter, disabled and organization-scoped
 * endpoints, and "events from the endpoint's creation on". A real HTTP receiver on 127.0.0.1.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyWebhook, WebhookVerificationError } from '../../src/index.js';
import { dialects } from '../support/databases.js';
import { GROUP_URN, PATCH_OP, oktaUser } from '../support/scim-client.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../support/webhook-receiver.js';
import { startHarness, type DeliveryHarness } from './harness.js';

const sequencesOf = (received: ReceivedWebhook[], directoryId: string) => received.filter((r) => r.event.directoryId === directoryId).map((r) => r.event.sequence);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const { name, skip } of await dialects()) {
  describe(`webhook delivery on ${name}`, { skip }, () => {
    let h: DeliveryHarness;
    let receiver: WebhookReceiver;
    beforeEach(async () => {
      h = await startHarness(name);
      receiver = await startWebhookReceiver();
    });
    afterEach(async () => {
      await receiver?.close();
      await h?.close();
    });

    test('many changes in two directories arrive in sequence order per directory, signed over the exact bytes sent', async () => {
      const a = await h.newDirectory();
      const b = await h.newDirectory(a.organizationId);
      const { secret } = await h.scimitar.webhooks.create({ url: receiver.url });
      // concurrent creates: commit order, not request order, decides the sequence
      const ids = await Promise.all(range(1, 40).map((i) => a.createUser(`a${i}@example.com`)));
      await Promise.all(range(1, 20).map((i) => b.createUser(`b${i}@example.com`)));
      const group = await a.scim('POST', '/Groups', { schemas: [GROUP_URN], displayName: 'Engineering', members: ids.slice(0, 10).map((value) => ({ value })) });
      assert.equal(group.status, 201);
      const removal = await a.scim('PATCH', `/Groups/${group.body.id}`, {
        schemas: [PATCH_OP],
        Operations: ids.slice(0, 3).map((value) => ({ op: 'remove', path: `members[value eq "${value}"]` })),
      });
      assert.ok(removal.status === 204 || removal.status === 200, JSON.stringify(removal.body));
      assert.equal((await a.scim('PATCH', `/Users/${ids[5]}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] })).status, 200);
      assert.equal((await a.scim('PUT', `/Users/${ids[6]}`, oktaUser('a7@example.com', { displayName: 'Renamed' }))).status, 200);
      assert.equal((await a.scim('DELETE', `/Users/${ids[7]}`)).status, 204);

      await h.drain();
      const lastA = await h.scimitar.store.events.lastSequence(a.directoryId);
      const lastB = await h.scimitar.store.events.lastSequence(b.directoryId);
      assert.ok(lastA >= 58, `directory A has ${lastA} events`);
      assert.deepEqual(sequencesOf(receiver.received, a.directoryId), range(1, lastA));
      assert.deepEqual(sequencesOf(receiver.received, b.directoryId), range(1, lastB));

      const stored = new Map((await h.scimitar.store.events.listAfter(a.directoryId, 0, 1000)).map((e) => [e.id, e]));
      for (const hook of receiver.received) {
        assert.equal(hook.status, 200);
        assert.equal(hook.headers['content-type'], 'application/json');
        assert.equal(hook.headers['user-agent'], 'Scimitar-Webhooks/1');
        assert.equal(hook.id, hook.event.id, 'webhook-id is the event id');
        assert.equal(hook.timestamp, String(Math.floor(h.clock.now().getTime() / 1000)));
        assert.deepEqual(verifyWebhook(hook.body, hook.headers, secret, { now: h.clock.now() }), hook.event);
        // the envelope, serialized once in its documented key order
        const event = stored.get(hook.id);
        if (event) {
          const { id, type, sequence, occurredAt, organizationId, directoryId, data } = event;
          assert.equal(hook.body, JSON.stringify({ id, type, sequence, occurredAt, organizationId, directoryId, data }));
        }
      }
      const one = receiver.received[0]!;
      assert.throws(() => verifyWebhook(one.body + ' ', one.headers, secret, { now: h.clock.now() }), WebhookVerificationError);
      assert.throws(() => verifyWebhook(one.body, one.headers, 'whsec_' + Buffer.alloc(24).toString('base64'), { now: h.clock.now() }), WebhookVerificationError);

      const attempts = await h.scimitar.webhooks.attempts({ endpointId: (await h.scimitar.webhooks.list())[0]!.id, limit: 1000 });
      assert.equal(attempts.length, receiver.received.length);
      assert.ok(attempts.every((x) => x.outcome === 'delivered' && x.statusCode === 200 && x.attempt === 1 && x.error === null));
      assert.equal(await h.drain(), 0, 'nothing is sent twice');
    });

    test('an endpoint receives events from its creation on; a directory created later gets all of its events', async () => {
      const a = await h.newDirectory();
      await a.createUser('before1@example.com');
      await a.createUser('before2@example.com');
      await h.scimitar.webhooks.create({ url: receiver.url, organizationId: a.organizationId });
      await a.createUser('after1@example.com');
      const later = await h.newDirectory(a.organizationId);
      await later.createUser('later1@example.com');
      await later.createUser('later2@example.com');
      await h.drain();
      assert.deepEqual(sequencesOf(receiver.received, a.directoryId), [3]);
      assert.deepEqual(sequencesOf(receiver.received, later.directoryId), [1, 2]);
    });

    test('the event-type filter, disabled endpoints and organization scope decide who gets what', async () => {
      const x = await h.newDirectory(await h.newOrganization('X'));
      const y = await h.newDirectory(await h.newOrganization('Y'));
      const createdOnly = await h.scimitar.webhooks.create({ url: `${receiver.url}?ep=created`, organizationId: x.organizationId, eventTypes: ['user.created'] });
      const disabled = await h.scimitar.webhooks.create({ url: `${receiver.url}?ep=disabled`, enabled: false });
      const yOnly = await h.scimitar.webhooks.create({ url: `${receiver.url}?ep=y`, organizationId: y.organizationId });
      assert.deepEqual(createdOnly.endpoint.eventTypes, ['user.created']);
      assert.equal(disabled.endpoint.enabled, false);

      const userX = await x.createUser('x1@example.com');
      assert.equal((await x.scim('PATCH', `/Users/${userX}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'X One' }] })).status, 200);
      assert.equal((await x.scim('DELETE', `/Users/${userX}`)).status, 204);
      await y.createUser('y1@example.com');
      await h.drain();

      const at = (ep: string) => receiver.received.filter((r) => r.path.endsWith(`ep=${ep}`));
      assert.deepEqual(at('created').map((r) => [r.event.directoryId, r.event.type]), [[x.directoryId, 'user.created']]);
      assert.deepEqual(at('disabled'), []);
      assert.deepEqual(at('y').map((r) => [r.event.directoryId, r.event.type]), [[y.directoryId, 'user.created']]);

      // Enabled again: from now on, not the backlog. Disabled: nothing more.
      await h.scimitar.webhooks.update(disabled.endpoint.id, { enabled: true });
      await h.scimitar.webhooks.update(yOnly.endpoint.id, { enabled: false });
      await x.createUser('x2@example.com');
      await y.createUser('y2@example.com');
      await h.drain();
      assert.deepEqual(at('disabled').map((r) => r.event.data.user.userName).sort(), ['x2@example.com', 'y2@example.com']);
      assert.equal(at('y').length, 1);
      assert.equal(at('created').length, 2);
    });

    test('a deleted endpoint gets nothing more and its history goes with it', async () => {
      const a = await h.newDirectory();
      const { endpoint } = await h.scimitar.webhooks.create({ url: receiver.url });
      await a.createUser('one@example.com');
      await h.drain();
      await h.scimitar.webhooks.delete(endpoint.id);
      await a.createUser('two@example.com');
      assert.equal(await h.drain(), 0);
      assert.equal(receiver.received.length, 1);
      await assert.rejects(h.scimitar.webhooks.attempts({ endpointId: endpoint.id }), { code: 'not_found' });
    });
  });
}
