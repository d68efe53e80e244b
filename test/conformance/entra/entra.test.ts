/**
 * Microsoft Entra ID's provisioning requests, replayed as Entra sends them (the request bodies of
 * "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID" and the
 * checks of Microsoft's SCIM validator): capitalized op names, string booleans, the manager as a
 * bare id, dotted and URN-qualified keys in a path-less Add, members added and removed with a
 * value list, and the 404 / 409 / empty-list answers the validator expects.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { dialects } from '../../support/databases.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ENTERPRISE_URN, GROUP_URN, PATCH_OP, USER_URN, type ScimClient, type ScimResult } from '../../support/scim-client.js';

const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

const patchOp = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_OP], Operations });

/** Entra's query strings: spaces as '+', quotes and the rest percent-encoded. */
const entraFilter = (filter: string) => `filter=${encodeURIComponent(filter).replace(/%20/g, '+')}`;

/** The Create User body of the Entra tutorial, with the enterprise extension Entra maps by default. */
function entraUser(userName: string, externalId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [USER_URN, ENTERPRISE_URN],
    externalId,
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: `${userName}@testuser.com` }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
    [ENTERPRISE_URN]: { employeeNumber: '100009', department: 'Human Resources US' },
    ...extra,
  };
}

function assertScimError(r: ScimResult, status: number, scimType?: string): void {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') ?? '', /^application\/scim\+json/);
  assert.deepEqual(r.body.schemas, [ERROR_URN]);
  assert.equal(r.body.status, String(status));
  assert.equal(typeof r.body.detail, 'string');
  if (scimType) assert.equal(r.body.scimType, scimType);
}

function assertEmptyList(r: ScimResult): void {
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.schemas, [LIST_URN]);
  assert.equal(r.body.totalResults, 0);
  assert.deepEqual(r.body.Resources, []);
  assert.equal(r.body.startIndex, 1);
}

for (const { name, skip } of await dialects()) {
  describe(`Entra ID provisioning on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer(name)));
    after(async () => server?.close());

    test('user lifecycle: existence check, create, look-ups, Entra PATCH shapes, delete', async () => {
      const { client, directoryId } = await server.newDirectory('entra');
      const userName = `Test_User_${randomUUID()}`;
      const externalId = randomUUID();

      // Entra first asks whether the user exists (matching attribute userName).
      assertEmptyList(await client.get(`/Users?${entraFilter(`userName eq "${userName}"`)}`));

      const created = await client.post('/Users', entraUser(userName, externalId));
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;
      assert.ok(id);
      assert.equal(created.body.userName, userName);
      assert.equal(created.body.externalId, externalId);
      assert.equal(created.body.active, true);
      assert.deepEqual(created.body.schemas, [USER_URN, ENTERPRISE_URN]);
      assert.equal(created.body[ENTERPRISE_URN].employeeNumber, '100009');
      assert.deepEqual(created.body.roles, undefined);
      assert.equal(created.body.meta.resourceType, 'User');
      assert.equal(created.headers.get('location'), created.body.meta.location);
      assert.ok(String(created.body.meta.location).endsWith(`/Users/${id}`));

      // Look-ups by userName (any case) and by externalId, as Entra's matching rules send them.
      for (const filter of [`userName eq "${userName}"`, `userName eq "${userName.toUpperCase()}"`, `externalId eq "${externalId}"`]) {
        const found = await client.get(`/Users?${entraFilter(filter)}`);
        assert.equal(found.status, 200, found.text);
        assert.equal(found.body.totalResults, 1, filter);
        assert.equal(found.body.Resources[0].id, id, filter);
      }

      const manager = await client.post('/Users', { schemas: [USER_URN], userName: `Manager_${randomUUID()}`, displayName: 'The Manager', active: true });
      assert.equal(manager.status, 201, manager.text);
      const managerId = manager.body.id as string;

      // Disable: Entra sends the boolean as the string "False".
      let r = await client.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.active, false);
      assert.equal(await server.server.scimitar.store.events.count(directoryId, 'user.deactivated'), 1);
      const inactive = await client.get(`/Users?${entraFilter(`userName eq "${userName}"`)}`);
      assert.equal(inactive.body.Resources[0].active, false);

      // The tutorial's multi-valued update: a filtered email value and a name part.
      r = await client.patch(
        `/Users/${id}`,
        patchOp(
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        ),
      );
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.emails, [{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
      assert.equal(r.body.name.familyName, 'updatedFamilyName');
      assert.equal(r.body.name.givenName, 'givenName');

      // Add of a filtered sub-attribute: replaces the work email's value when there is one...
      r = await client.patch(`/Users/${id}`, patchOp({ op: 'Add', path: 'emails[type eq "work"].value', value: 'ann@contoso.com' }));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.emails, [{ primary: true, type: 'work', value: 'ann@contoso.com' }]);
      // ...and creates the work email when the user has none.
      r = await client.patch(`/Users/${managerId}`, patchOp({ op: 'Add', path: 'emails[type eq "work"].value', value: 'boss@contoso.com' }));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.emails, [{ type: 'work', value: 'boss@contoso.com' }]);
      const byEmail = await client.get(`/Users?${entraFilter('emails[type eq "work" and value eq "BOSS@contoso.com"]')}`);
      assert.equal(byEmail.status, 200, byEmail.text);
      assert.deepEqual(byEmail.body.Resources.map((u: { id: string }) => u.id), [managerId]);

      // The manager as a bare id.
      r = await client.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: `${ENTERPRISE_URN}:manager`, value: managerId }));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body[ENTERPRISE_URN].manager.value, managerId);
      assert.equal(r.body[ENTERPRISE_URN].employeeNumber, '100009');

      // A path-less Add whose keys are a URN-qualified attribute and a dotted sub-attribute.
      r = await client.patch(`/Users/${id}`, patchOp({ op: 'Add', value: { [`${ENTERPRISE_URN}:department`]: 'Sales', 'name.givenName': 'Ann' } }));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body[ENTERPRISE_URN].department, 'Sales');
      assert.equal(r.body[ENTERPRISE_URN].manager.value, managerId);
      assert.equal(r.body.name.givenName, 'Ann');
      assert.equal(r.body.name.familyName, 'updatedFamilyName');
      assert.equal(r.body[`${ENTERPRISE_URN}:department`], undefined);
      assert.equal(r.body['name.givenName'], undefined);

      r = await client.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'displayName', value: 'Ann Updated' }));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.displayName, 'Ann Updated');

      // The tutorial's single-valued update: a new userName; the user is then found by it.
      const newUserName = `${randomUUID()}@testuser.com`;
      r = await client.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'userName', value: newUserName }));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.userName, newUserName);
      assertEmptyList(await client.get(`/Users?${entraFilter(`userName eq "${userName}"`)}`));
      assert.equal((await client.get(`/Users?${entraFilter(`userName eq "${newUserName}"`)}`)).body.Resources[0].id, id);

      // Re-enable with "True"; still inactive-to-active exactly once.
      r = await client.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.active, true);
      assert.equal(await server.server.scimitar.store.events.count(directoryId, 'user.reactivated'), 1);

      // Everything the PATCHes did is what a GET returns.
      const got = await client.get(`/Users/${id}`);
      assert.equal(got.status, 200);
      assert.deepEqual({ ...got.body, groups: undefined }, { ...r.body, groups: undefined });

      const deleted = await client.delete(`/Users/${id}`);
      assert.equal(deleted.status, 204, deleted.text);
      assert.equal(deleted.text, '');
      assertScimError(await client.get(`/Users/${id}`), 404);
      assertEmptyList(await client.get(`/Users?${entraFilter(`externalId eq "${externalId}"`)}`));
      assertScimError(await client.delete(`/Users/${id}`), 404);
      assert.equal(await server.server.scimitar.store.events.count(directoryId, 'user.deleted'), 1);
    });

    test('group lifecycle: create with externalId, look-up without members, add/remove members, rename, delete', async () => {
      const { client, directoryId } = await server.newDirectory('entra');
      const u1 = await client.post('/Users', entraUser(`Test_User_${randomUUID()}`, randomUUID()));
      const u2 = await client.post('/Users', entraUser(`Test_User_${randomUUID()}`, randomUUID()));
      assert.equal(u1.status, 201, u1.text);
      assert.equal(u2.status, 201, u2.text);
      const displayName = `Group ${randomUUID()}`;
      const externalId = randomUUID();

      assertEmptyList(await client.get(`/Groups?excludedAttributes=members&${entraFilter(`displayName eq "${displayName}"`)}`));

      // The tutorial's Create Group body, including Microsoft's own schema URN and a meta block.
      const created = await client.post('/Groups', {
        schemas: [GROUP_URN, ADSCIM_GROUP],
        externalId,
        displayName,
        meta: { resourceType: 'Group' },
      });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;
      assert.equal(created.body.displayName, displayName);
      assert.equal(created.body.externalId, externalId);
      assert.deepEqual(created.body.members, []);
      assert.equal(created.body.meta.resourceType, 'Group');
      assert.equal(created.headers.get('location'), created.body.meta.location);

      const found = await client.get(`/Groups?${entraFilter(`displayName eq "${displayName}"`)}&excludedAttributes=members`);
      assert.equal(found.status, 200, found.text);
      assert.equal(found.body.totalResults, 1);
      assert.equal(found.body.Resources[0].id, id);
      assert.equal(found.body.Resources[0].externalId, externalId);
      assert.equal('members' in found.body.Resources[0], false);
      const byExternalId = await client.get(`/Groups?${entraFilter(`externalId eq "${externalId}"`)}`);
      assert.equal(byExternalId.body.Resources[0].id, id);
      const one = await client.get(`/Groups/${id}?excludedAttributes=members`);
      assert.equal(one.status, 200, one.text);
      assert.equal('members' in one.body, false);

      // Entra adds members one PATCH at a time, with "$ref": null.
      for (const user of [u1, u2]) {
        const r = await client.patch(`/Groups/${id}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: user.body.id }] }));
        assert.equal(r.status, 204, r.text);
      }
      let members = (await client.get(`/Groups/${id}`)).body.members as { value: string }[];
      assert.deepEqual(members.map((m) => m.value).sort(), [u1.body.id, u2.body.id].sort());
      const groupsOfU1 = await client.get(`/Users/${u1.body.id}`);
      assert.deepEqual(groupsOfU1.body.groups.map((g: { value: string }) => g.value), [id]);

      // Adding a member again changes nothing.
      let r = await client.patch(`/Groups/${id}`, patchOp({ op: 'Add', path: 'members', value: [{ value: u1.body.id }] }));
      assert.equal(r.status, 204, r.text);
      assert.equal(await server.server.scimitar.store.events.count(directoryId, 'group.member_added'), 2);

      r = await client.patch(`/Groups/${id}`, patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: u1.body.id }] }));
      assert.equal(r.status, 204, r.text);
      members = (await client.get(`/Groups/${id}`)).body.members;
      assert.deepEqual(members.map((m) => m.value), [u2.body.id]);

      const renamed = `${displayName} updatedDisplayName`;
      r = await client.patch(`/Groups/${id}`, patchOp({ op: 'Replace', path: 'displayName', value: renamed }));
      assert.equal(r.status, 204, r.text);
      const afterRename = await client.get(`/Groups/${id}`);
      assert.equal(afterRename.body.displayName, renamed);
      assert.equal(afterRename.body.externalId, externalId);
      assert.deepEqual(afterRename.body.members.map((m: { value: string }) => m.value), [u2.body.id]);
      assertEmptyList(await client.get(`/Groups?${entraFilter(`displayName eq "${displayName}"`)}`));

      // Deleting a member user removes it from the group.
      assert.equal((await client.delete(`/Users/${u2.body.id}`)).status, 204);
      assert.deepEqual((await client.get(`/Groups/${id}`)).body.members, []);

      const deleted = await client.delete(`/Groups/${id}`);
      assert.equal(deleted.status, 204, deleted.text);
      assertScimError(await client.get(`/Groups/${id}`), 404);
      assert.equal(await server.server.scimitar.store.events.count(directoryId, 'group.deleted'), 1);
    });

    test("the SCIM validator's error checks: unknown id, duplicates, empty filter results", async () => {
      const { client } = await server.newDirectory('entra');
      const unknown = randomUUID();
      assertScimError(await client.get(`/Users/${unknown}`), 404);
      assertScimError(await client.get(`/Groups/${unknown}`), 404);
      assertScimError(await client.patch(`/Users/${unknown}`, patchOp({ op: 'Replace', path: 'displayName', value: 'x' })), 404);
      assertScimError(await client.patch(`/Groups/${unknown}`, patchOp({ op: 'Replace', path: 'displayName', value: 'x' })), 404);
      assertScimError(await client.delete(`/Users/${unknown}`), 404);
      assertScimError(await client.delete(`/Groups/${unknown}`), 404);

      const userName = `Test_User_${randomUUID()}`;
      assert.equal((await client.post('/Users', entraUser(userName, randomUUID()))).status, 201);
      assertScimError(await client.post('/Users', entraUser(userName, randomUUID())), 409, 'uniqueness');
      assertScimError(await client.post('/Users', entraUser(userName.toLowerCase(), randomUUID())), 409, 'uniqueness');

      const displayName = `Group ${randomUUID()}`;
      assert.equal((await client.post('/Groups', { schemas: [GROUP_URN], displayName, externalId: randomUUID() })).status, 201);
      assertScimError(await client.post('/Groups', { schemas: [GROUP_URN], displayName, externalId: randomUUID() }), 409, 'uniqueness');

      assertEmptyList(await client.get(`/Users?${entraFilter('userName eq "non-existent user"')}`));
      assertEmptyList(await client.get(`/Users?${entraFilter(`externalId eq "${randomUUID()}"`)}`));
      assertEmptyList(await client.get(`/Groups?${entraFilter('displayName eq "non-existent group"')}&excludedAttributes=members`));
      assertEmptyList(await client.get(`/Users?filter=userName%20eq%20%22nobody%22&startIndex=1&count=100`));
    });
  });
}
