/**
 * Managing webhook endpoints through the use cases (what the REST API and CLI call): input
 * checks, the secret shown once, organization scope in lists, update and delete.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startHarness, type DeliveryHarness } from './harness.js';

for (const { name, skip } of await dialects()) {
  describe(`webhook endpoints on ${name}`, { skip }, () => {
    let h: DeliveryHarness;
    before(async () => {
      h = await startHarness(name);
    });
    after(async () => h?.close());

    test('creation validates the URL and event types (invalid_value) and the organization (not_found)', async () => {
      const cases: [string, Record<string, unknown>, string, RegExp][] = [
        ['ftp scheme', { url: 'ftp://example.com/hook' }, 'invalid_value', /http or https/],
        ['not a URL', { url: 'example.com/hook' }, 'invalid_value', /absolute/],
        ['empty URL', { url: '' }, 'invalid_value', /absolute/],
        ['credentials in the URL', { url: 'https://user:pw@example.com/' }, 'invalid_value', /user name or password/],
        ['unknown event type', { url: 'https://example.com/', eventTypes: ['user.created', 'user.exploded'] }, 'invalid_value', /"user\.exploded"/],
        ['empty event list', { url: 'https://example.com/', eventTypes: [] }, 'invalid_value', /at least one/],
        ['* with others', { url: 'https://example.com/', eventTypes: ['*', 'user.created'] }, 'invalid_value', /not both/],
        ['not a list', { url: 'https://example.com/', eventTypes: 'user.created' }, 'invalid_value', /list/],
        ['unknown organization', { url: 'https://example.com/', organizationId: 'org_missing' }, 'not_found', /org_missing/],
      ];
      for (const [label, input, code, detail] of cases) {
        await assert.rejects(h.scimitar.webhooks.create(input as never), (e: any) => e.code === code && detail.test(e.detail), label);
      }
      assert.deepEqual(await h.scimitar.webhooks.list(), []);
    });

    test('the secret is returned once (whsec_...) and never in views; types are de-duplicated in catalogue order', async () => {
      const org = await h.newOrganization();
      const { endpoint, secret } = await h.scimitar.webhooks.create({
        url: ' https://example.com/hooks ',
        organizationId: org,
        eventTypes: ['user.deleted', 'user.created', 'user.deleted'],
      });
      assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
      assert.match(endpoint.id, /^whk_/);
      assert.deepEqual(endpoint, {
        id: endpoint.id,
        organizationId: org,
        url: 'https://example.com/hooks',
        eventTypes: ['user.created', 'user.deleted'],
        enabled: true,
        createdAt: h.clock.now().toISOString(),
        updatedAt: h.clock.now().toISOString(),
      });
      const fetched = await h.scimitar.webhooks.get(endpoint.id);
      assert.deepEqual(fetched, endpoint);
      assert.ok(!JSON.stringify(await h.scimitar.webhooks.list()).includes(secret));
    });

    test('lists by organization include the global endpoints; update and delete; unknown ids are not_found', async () => {
      const a = await h.newOrganization('A');
      const b = await h.newOrganization('B');
      const global = (await h.scimitar.webhooks.create({ url: 'https://example.com/all' })).endpoint;
      const ofA = (await h.scimitar.webhooks.create({ url: 'https://example.com/a', organizationId: a })).endpoint;
      const ofB = (await h.scimitar.webhooks.create({ url: 'https://example.com/b', organizationId: b, enabled: false })).endpoint;
      assert.equal(global.organizationId, null);
      assert.deepEqual((await h.scimitar.webhooks.list({ organizationId: a })).map((e) => e.id), [global.id, ofA.id]);
      assert.deepEqual((await h.scimitar.webhooks.list({ organizationId: b })).map((e) => e.id), [global.id, ofB.id]);
      assert.ok((await h.scimitar.webhooks.list()).length >= 3);

      h.clock.advance(1000);
      const updated = await h.scimitar.webhooks.update(ofA.id, { url: 'http://example.com/a2', eventTypes: ['group.created'], enabled: false });
      assert.deepEqual([updated.url, updated.eventTypes, updated.enabled, updated.updatedAt > updated.createdAt], ['http://example.com/a2', ['group.created'], false, true]);
      await assert.rejects(h.scimitar.webhooks.update(ofA.id, { url: 'mailto:x@example.com' }), { code: 'invalid_value' });
      await assert.rejects(h.scimitar.webhooks.update(ofA.id, { enabled: 'yes' as never }), { code: 'invalid_value' });
      await h.scimitar.webhooks.delete(ofA.id);
      for (const call of [
        () => h.scimitar.webhooks.get(ofA.id),
        () => h.scimitar.webhooks.update(ofA.id, { enabled: true }),
        () => h.scimitar.webhooks.delete(ofA.id),
        () => h.scimitar.webhooks.attempts({ endpointId: ofA.id }),
        () => h.scimitar.webhooks.deadLetters({ endpointId: ofA.id }),
        () => h.scimitar.webhooks.redeliver({ endpointId: ofA.id, allDead: true }),
      ]) {
        await assert.rejects(call(), { code: 'not_found' });
      }
      await assert.rejects(h.scimitar.webhooks.attempts({ endpointId: global.id, limit: 0 }), { code: 'invalid_value' });
    });
  });
}
