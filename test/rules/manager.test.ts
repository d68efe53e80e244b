/**
 * Auzmor's manager links: the manager's value and displayName are kept as sent (displayName is
 * readOnly in RFC 7643 but Auzmor and Okta send it), and the link resolves to the manager's user
 * whether the value is our id, the IdP's externalId or the userName, and whether the manager
 * was provisioned before or after the report.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ENTERPRISE_URN, oktaUser } from '../support/scim-client.js';
import { patchOp } from '../conformance/okta/okta.js';
import { enterpriseUser, rulesDirectory } from './rules.js';

type Manager = { id: string | null; value: string | null; displayName: string | null } | null;

for (const { name, skip } of await dialects()) {
  describe(`manager links on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(name);
    });
    after(async () => server?.close());

    test('a manager provisioned before the report resolves by our id, externalId or userName', async () => {
      const d = await rulesDirectory(server);
      const boss = await d.client.post('/Users', oktaUser('boss@example.com', { externalId: '00uBOSS' }));
      assert.equal(boss.status, 201, boss.text);
      const bossId = boss.body.id as string;
      for (const [i, value] of [bossId, '00uBOSS', 'BOSS@example.com'].entries()) {
        const report = await d.client.post('/Users', enterpriseUser(`r${i}@example.com`, { manager: { value, displayName: 'boss@example.com' } }));
        assert.equal(report.status, 201, report.text);
        const created = (await d.newEvents()).find((e) => e.type === 'user.created' && (e.data as { user: { id: string } }).user.id === report.body.id)!;
        const expected: Manager = { id: bossId, value, displayName: 'boss@example.com' };
        assert.deepEqual((created.data as { user: { manager: Manager } }).user.manager, expected, `by ${value}, in the event`);
        assert.deepEqual((await d.normalized(report.body.id)).manager, expected, `by ${value}, read later`);
        // The SCIM resource keeps what the IdP sent, displayName included.
        assert.deepEqual((await d.client.get(`/Users/${report.body.id}`)).body[ENTERPRISE_URN].manager, { value, displayName: 'boss@example.com' });
      }
    });

    test('a manager provisioned after the report: the link resolves from then on', async () => {
      const d = await rulesDirectory(server);
      const reports: string[] = [];
      for (const [i, value] of ['00uLATE', 'late@example.com'].entries()) {
        const res = await d.client.post('/Users', enterpriseUser(`early${i}@example.com`, { manager: { value, displayName: 'Late Boss' } }));
        assert.equal(res.status, 201, res.text);
        reports.push(res.body.id);
        assert.deepEqual((await d.normalized(res.body.id)).manager, { id: null, value, displayName: 'Late Boss' }, 'unresolved, raw value kept');
      }
      const boss = await d.client.post('/Users', oktaUser('late@example.com', { externalId: '00uLATE' }));
      assert.equal(boss.status, 201, boss.text);
      assert.equal((await d.normalized(reports[0]!)).manager?.id, boss.body.id);
      assert.equal((await d.normalized(reports[1]!)).manager?.id, boss.body.id);
      // The report's next event carries the resolved link.
      await d.newEvents();
      const patched = await d.client.patch(`/Users/${reports[0]}`, patchOp({ op: 'replace', value: { title: 'Engineer' } }));
      assert.equal(patched.status, 200, patched.text);
      const updated = (await d.newEvents()).find((e) => e.type === 'user.updated')!;
      assert.deepEqual((updated.data as { user: { manager: Manager } }).user.manager, { id: boss.body.id, value: '00uLATE', displayName: 'Late Boss' });
      // A deleted manager no longer resolves.
      assert.equal((await d.client.delete(`/Users/${boss.body.id}`)).status, 204);
      assert.equal((await d.normalized(reports[0]!)).manager?.id, null);
    });

    test('the kept displayName survives a PATCH, and leaves with the manager it belonged to', async () => {
      const d = await rulesDirectory(server);
      const res = await d.client.post('/Users', enterpriseUser('kim@example.com', { manager: { value: 'm-1', displayName: 'First Boss' } }));
      assert.equal(res.status, 201, res.text);
      const id = res.body.id as string;
      // Okta's deactivate: the manager is untouched.
      await d.client.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }));
      assert.deepEqual((await d.normalized(id)).manager, { id: null, value: 'm-1', displayName: 'First Boss' });
      // Entra-style: only the value changes, so the old displayName no longer describes it.
      const moved = await d.client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: `${ENTERPRISE_URN}:manager`, value: 'm-2' }));
      assert.equal(moved.status, 200, moved.text);
      assert.deepEqual((await d.normalized(id)).manager, { id: null, value: 'm-2', displayName: null });
      // Okta-style: a path-less replace carrying the enterprise object, displayName included.
      const okta = await d.client.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { [ENTERPRISE_URN]: { manager: { value: 'm-2', displayName: 'Second Boss' } } } }));
      assert.equal(okta.status, 200, okta.text);
      assert.deepEqual((await d.normalized(id)).manager, { id: null, value: 'm-2', displayName: 'Second Boss' });
      // A PUT without displayName replaces it; one with it sets it.
      await d.client.put(`/Users/${id}`, enterpriseUser('kim@example.com', { manager: { value: 'm-3', displayName: 'Third Boss' } }));
      assert.deepEqual((await d.normalized(id)).manager, { id: null, value: 'm-3', displayName: 'Third Boss' });
      await d.client.put(`/Users/${id}`, enterpriseUser('kim@example.com', { manager: { value: 'm-3' } }));
      assert.deepEqual((await d.normalized(id)).manager, { id: null, value: 'm-3', displayName: null });
    });
  });
}
