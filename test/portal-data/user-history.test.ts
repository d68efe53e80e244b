/**
 * A user's history for the portal: the events about one user, newest first, each with the SCIM
 * request behind it (method, path, status), driven by Okta-shaped traffic over HTTP. Scoped to
 * the directory: another directory's events and requests never show, even with the same ids.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { oktaUser } from '../support/scim-client.js';
import { DEACTIVATE, oktaGroup, patchOp } from '../conformance/okta/okta.js';
import { flushRequestLog } from './portal-data.js';

for (const { name, skip } of await dialects()) {
  describe(`user history on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(name);
    });
    after(async () => server?.close());

    test('create, PATCH deactivate and group push each show with the request that caused them', async () => {
      const { directoryId, client } = await server.newDirectory('okta');
      const store = server.server.scimitar.store;
      const created = await client.post('/Users', oktaUser('ada@acme.example'));
      assert.equal(created.status, 201, created.text);
      const userId: string = created.body.id;
      const deactivated = await client.patch(`/Users/${userId}`, DEACTIVATE, { 'x-request-id': 'okta-deactivate-1' });
      assert.equal(deactivated.status, 200, deactivated.text);
      const group = await client.post('/Groups', oktaGroup('Engineering', []));
      assert.equal(group.status, 201, group.text);
      const pushed = await client.patch(`/Groups/${group.body.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: userId, display: 'ada@acme.example' }] }));
      assert.equal(pushed.status, 204, pushed.text);
      await flushRequestLog(server, directoryId);

      const history = await store.events.historyOfUser(directoryId, userId, { limit: 10 });
      const base = new URL(client.baseUrl).pathname;
      assert.deepEqual(
        history.map((h) => [h.event.type, h.request?.method, h.request?.path, h.request?.status]),
        [
          ['group.member_added', 'PATCH', `${base}/Groups/${group.body.id}`, 204],
          ['user.deactivated', 'PATCH', `${base}/Users/${userId}`, 200],
          ['user.created', 'POST', `${base}/Users`, 201],
        ],
      );
      assert.deepEqual(
        history.map((h) => h.event.sequence),
        [...history.map((h) => h.event.sequence)].sort((a, b) => b - a),
        'newest first',
      );
      // The request id is the one the response carried (or the client sent).
      assert.equal(history[1]!.request!.requestId, 'okta-deactivate-1');
      assert.equal(history[2]!.request!.requestId, created.headers.get('x-request-id'));
      assert.equal(history[0]!.request!.requestId, pushed.headers.get('x-request-id'));
      assert.ok(history.every((h) => h.request!.clientIp && h.request!.at >= h.event.occurredAt));
      // group.created names no user: it is not in the user's history.
      assert.ok(history.every((h) => h.event.directoryId === directoryId && h.event.type !== 'group.created'));

      // Paging by sequence: no gap, no repeat.
      const first = await store.events.historyOfUser(directoryId, userId, { limit: 2 });
      const rest = await store.events.historyOfUser(directoryId, userId, { limit: 2, beforeSeq: first.at(-1)!.event.sequence });
      assert.deepEqual([...first, ...rest].map((h) => h.event.id), history.map((h) => h.event.id));
      assert.deepEqual(await store.events.historyOfUser(directoryId, userId, { limit: 5, beforeSeq: history.at(-1)!.event.sequence }), []);
    });

    test('role events and deletion join the history; a reused X-Request-Id yields one entry per event', async () => {
      const { directoryId, client } = await server.newDirectory('okta');
      const store = server.server.scimitar.store;
      await server.server.scimitar.admin.updateDirectorySettings({ directoryId, settings: { roles: { prefix: 'Envi_' } } });
      const created = await client.post('/Users', oktaUser('bo@acme.example'), { 'x-request-id': 'reused-id' });
      const userId: string = created.body.id;
      // The same id again on a later request (a client retrying with its own id): not a second cause.
      assert.equal((await client.get(`/Users/${userId}`, { 'x-request-id': 'reused-id' })).status, 200);
      const group = await client.post('/Groups', oktaGroup('Envi_Admin', [{ value: userId, display: 'bo@acme.example' }]));
      assert.equal(group.status, 201, group.text);
      assert.equal((await client.delete(`/Users/${userId}`)).status, 204);
      await flushRequestLog(server, directoryId);

      const history = await store.events.historyOfUser(directoryId, userId, { limit: 50 });
      assert.deepEqual(
        history.map((h) => `${h.event.type} ${h.request?.method} ${h.request?.status}`),
        [
          'user.deleted DELETE 204',
          'user.role_revoked DELETE 204',
          'group.member_removed DELETE 204',
          'user.role_granted POST 201',
          'group.member_added POST 201',
          'user.created POST 201',
        ],
      );
      assert.equal(history.at(-1)!.request!.requestId, 'reused-id');
      assert.ok(history.at(-1)!.request!.path.endsWith('/Users'), 'the POST that created the user, not the later GET');
    });

    test('scoped to the directory: the same user id and request id elsewhere never show', async () => {
      const a = await server.newDirectory('okta');
      const b = await server.newDirectory('okta');
      const store = server.server.scimitar.store;
      const created = await a.client.post('/Users', oktaUser('cy@acme.example'), { 'x-request-id': 'shared-request' });
      const userId: string = created.body.id;
      // Directory B: a request with the same id, and events naming a user with A's user id.
      assert.equal((await b.client.post('/Users', oktaUser('cy@acme.example'), { 'x-request-id': 'shared-request' })).status, 201);
      const view = { id: userId, userName: 'intruder@b.example', email: null };
      await store.events.append(b.directoryId, b.organizationId, [{ type: 'user.role_granted', data: { user: view, role: 'Admin' } }], new Date().toISOString(), 'shared-request');
      await flushRequestLog(server, a.directoryId);

      const history = await store.events.historyOfUser(a.directoryId, userId, { limit: 10 });
      assert.deepEqual(history.map((h) => h.event.type), ['user.created']);
      assert.ok(history[0]!.request!.path.startsWith(new URL(a.client.baseUrl).pathname), 'the request of directory A');

      const other = await store.events.historyOfUser(b.directoryId, userId, { limit: 10 });
      assert.deepEqual(other.map((h) => [h.event.type, h.event.directoryId]), [['user.role_granted', b.directoryId]]);
      assert.ok(other[0]!.request!.path.startsWith(new URL(b.client.baseUrl).pathname));
    });

    test('an event whose request is not (yet) in the log has request null', async () => {
      const { directoryId, organizationId, client } = await server.newDirectory('okta');
      const store = server.server.scimitar.store;
      const userId: string = (await client.post('/Users', oktaUser('di@acme.example'))).body.id;
      const ref = { id: userId, userName: 'di@acme.example', email: 'di@acme.example' };
      await store.events.append(directoryId, organizationId, [{ type: 'user.role_granted', data: { user: ref, role: 'Viewer' } }], new Date().toISOString(), 'never-logged');
      await store.events.append(directoryId, organizationId, [{ type: 'user.role_revoked', data: { user: ref, role: 'Viewer' } }], new Date().toISOString());
      await flushRequestLog(server, directoryId);
      const history = await store.events.historyOfUser(directoryId, userId, { limit: 10 });
      assert.deepEqual(
        history.map((h) => [h.event.type, h.request?.method ?? null]),
        [
          ['user.role_revoked', null],
          ['user.role_granted', null],
          ['user.created', 'POST'],
        ],
      );
      assert.deepEqual(await store.events.historyOfUser(directoryId, 'usr_unknown', { limit: 10 }), []);
    });
  });
}
