/**
 * The storage contract: what every Store implementation must do, run unchanged on each
 * dialect. Uses the ports only (never SQL), so a new dialect is done when this passes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/app/ports.js';
import type { StoredGroup, StoredUser } from '../../src/domain/model.js';
import { isServiceError } from '../../src/domain/errors.js';
import { parseFilter } from '../../src/scim/filter-parser.js';
import { createStore } from '../../src/store/create-store.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { OpenDatabase } from '../../src/store/dialects/dialect.js';
import { createIdGenerator } from '../../src/runtime/system.js';
import { createTestDatabase, type DialectName, type TestDatabase } from '../support/databases.js';

const T0 = '2026-01-01T00:00:00.000Z';

function filter(text: string) {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(parsed.error.detail);
  return parsed.value;
}

export function storeContract(dialect: DialectName, skip: string | false): void {
  describe(`store contract on ${dialect}`, { skip }, () => {
    let testDb: TestDatabase;
    let database: OpenDatabase;
    let store: Store;
    const ids = createIdGenerator();
    let dirA: string;
    let dirB: string;
    let orgId: string;

    const user = (directoryId: string, userName: string, extra: Partial<StoredUser> = {}): StoredUser => ({
      id: ids.next('usr'),
      directoryId,
      userName,
      externalId: null,
      displayName: null,
      active: true,
      resource: { userName, emails: [{ value: userName, type: 'work', primary: true }] },
      version: 1,
      source: 'scim',
      createdAt: T0,
      updatedAt: T0,
      deletedAt: null,
      ...extra,
    });
    const group = (directoryId: string, displayName: string): StoredGroup => ({
      id: ids.next('grp'),
      directoryId,
      displayName,
      externalId: null,
      resource: { displayName },
      version: 1,
      createdAt: T0,
      updatedAt: T0,
      deletedAt: null,
    });

    before(async () => {
      testDb = await createTestDatabase(dialect);
      database = openDatabase(testDb.url);
      await migrate(database);
      store = createStore(database, ids);
      orgId = ids.next('org');
      await store.organizations.insert({ id: orgId, name: 'Org', createdAt: T0, updatedAt: T0 });
      dirA = ids.next('dir');
      dirB = ids.next('dir');
      for (const id of [dirA, dirB]) {
        await store.directories.insert({ id, organizationId: orgId, name: 'D', provider: 'okta', status: 'active', createdAt: T0, updatedAt: T0 });
      }
    });
    after(async () => {
      await database?.close();
      await testDb?.drop();
    });

    test('migrating again applies nothing', async () => {
      assert.deepEqual(await migrate(database), []);
    });

    test('userName is unique per directory, case-insensitively, and only per directory', async () => {
      await store.users.insert(user(dirA, 'Same@Example.com'));
      await assert.rejects(store.users.insert(user(dirA, 'same@example.COM')), (e) => isServiceError(e) && e.code === 'uniqueness_conflict');
      await store.users.insert(user(dirB, 'same@example.com'));
    });

    test('a deleted user leaves reads and frees its userName, but its row stays', async () => {
      const u = user(dirA, 'gone@example.com');
      await store.users.insert(u);
      await store.users.markDeleted(dirA, u.id, T0);
      assert.equal(await store.users.findById(dirA, u.id), undefined);
      await store.users.insert(user(dirA, 'gone@example.com'));
    });

    test('reads are scoped by directory: an id of directory A is not found in B', async () => {
      const u = user(dirA, 'scoped@example.com');
      await store.users.insert(u);
      assert.ok(await store.users.findById(dirA, u.id));
      assert.equal(await store.users.findById(dirB, u.id), undefined);
      assert.deepEqual([...(await store.users.findExistingIds(dirB, [u.id]))], []);
    });

    test('list pages in a stable order and counts totals', async () => {
      const dir = ids.next('dir');
      await store.directories.insert({ id: dir, organizationId: orgId, name: 'P', provider: 'okta', status: 'active', createdAt: T0, updatedAt: T0 });
      const names = Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, '0')}@example.com`);
      for (const n of names) await store.users.insert(user(dir, n));
      const seen: string[] = [];
      for (let offset = 0; offset < 25; offset += 10) {
        const page = await store.users.list(dir, undefined, { offset, limit: 10 });
        assert.equal(page.total, 25);
        seen.push(...page.items.map((u) => u.userName));
      }
      assert.equal(new Set(seen).size, 25);
      const again = await store.users.list(dir, undefined, { offset: 0, limit: 25 });
      assert.deepEqual(again.items.map((u) => u.userName), seen);
      assert.deepEqual(await store.users.list(dir, undefined, { offset: 0, limit: 0 }), { total: 25, items: [], version: 0 });
      assert.deepEqual(await store.users.list(dir, undefined, { offset: 40, limit: 10 }), { total: 25, items: [], version: 0 });
      const first = await store.users.list(dir, undefined, { offset: 0, limit: 10 });
      const seek = await store.users.list(dir, undefined, { offset: 10, limit: 10, seek: { afterId: first.items[9]!.id, version: first.version } });
      const skip = await store.users.list(dir, undefined, { offset: 10, limit: 10 });
      assert.deepEqual(seek, skip, 'seeking past the previous page gives the same page as skipping');
      // A hint taken before the directory changed is not trusted: the page is found by offset.
      const stale = await store.users.list(dir, undefined, { offset: 10, limit: 10, seek: { afterId: first.items[0]!.id, version: first.version - 1 } });
      assert.deepEqual(stale, skip);
    });

    test('the unfiltered total follows inserts and deletes', async () => {
      const dir = ids.next('dir');
      await store.directories.insert({ id: dir, organizationId: orgId, name: 'C', provider: 'okta', status: 'active', createdAt: T0, updatedAt: T0 });
      const users = Array.from({ length: 12 }, (_, i) => user(dir, `c${i}@example.com`));
      for (const u of users) await store.users.insert(u);
      await store.users.markDeleted(dir, users[0]!.id, T0);
      await store.users.markDeleted(dir, users[0]!.id, T0); // twice: counted once
      assert.equal((await store.users.list(dir, undefined, { offset: 0, limit: 5 })).total, 11);
      const groups = [group(dir, 'G1'), group(dir, 'G2')];
      for (const g of groups) await store.groups.insert(g);
      await store.groups.markDeleted(dir, groups[1]!.id, T0);
      assert.equal((await store.groups.list(dir, undefined, { offset: 0, limit: 0 })).total, 1);
    });

    test('filters compile to the same answers on every dialect', async () => {
      const dir = ids.next('dir');
      await store.directories.insert({ id: dir, organizationId: orgId, name: 'F', provider: 'okta', status: 'active', createdAt: T0, updatedAt: T0 });
      await store.users.insert(user(dir, 'ann@example.com', { externalId: 'Ext-1', displayName: 'Ann Lee' }));
      await store.users.insert(user(dir, 'bob@example.org', { active: false, updatedAt: '2026-02-01T00:00:00.000Z' }));
      await store.users.insert(user(dir, 'cy%_@example.com', { externalId: 'ext-1' }));
      const names = async (text: string) => (await store.users.list(dir, filter(text), { offset: 0, limit: 100 })).items.map((u) => u.userName).sort();
      assert.deepEqual(await names('userName eq "ANN@example.com"'), ['ann@example.com']);
      assert.deepEqual(await names('externalId eq "Ext-1"'), ['ann@example.com']);
      assert.deepEqual(await names('externalId co "xt"'), ['ann@example.com', 'cy%_@example.com']);
      assert.deepEqual(await names('externalId sw "E"'), ['ann@example.com']);
      assert.deepEqual(await names('userName co "%_"'), ['cy%_@example.com']);
      assert.deepEqual(await names('userName ew ".ORG"'), ['bob@example.org']);
      assert.deepEqual(await names('active eq false'), ['bob@example.org']);
      assert.deepEqual(await names('not (externalId eq "Ext-1")'), ['bob@example.org', 'cy%_@example.com']);
      assert.deepEqual(await names('externalId pr'), ['ann@example.com', 'cy%_@example.com']);
      assert.deepEqual(await names('meta.lastModified gt "2026-01-15T00:00:00Z"'), ['bob@example.org']);
      assert.deepEqual(await names('emails[type eq "work" and value ew "example.com"]'), ['ann@example.com', 'cy%_@example.com']);
      assert.deepEqual(await names('emails.value eq "BOB@example.org" or displayName eq "ann lee"'), ['ann@example.com', 'bob@example.org']);
    });

    test('an unsupported filter attribute is refused, not answered wrongly', async () => {
      await assert.rejects(store.users.list(dirA, filter('title eq "x"'), { offset: 0, limit: 10 }), (e) => isServiceError(e) && e.code === 'invalid_filter');
    });

    test('membership changes by delta and reports only real changes', async () => {
      const g = group(dirA, 'Engineering');
      await store.groups.insert(g);
      const members = [user(dirA, 'm1@example.com'), user(dirA, 'm2@example.com'), user(dirA, 'm3@example.com')];
      for (const m of members) await store.users.insert(m);
      const [m1, m2, m3] = members.map((m) => m.id) as [string, string, string];
      assert.deepEqual(await store.memberships.add(dirA, g.id, [m1, m2], T0), [m1, m2]);
      assert.deepEqual(await store.memberships.add(dirA, g.id, [m2, m3], T0), [m3]);
      assert.deepEqual(await store.memberships.remove(dirA, g.id, [m1, 'usr_missing']), [m1]);
      assert.deepEqual((await store.memberships.memberIds(dirA, g.id)).sort(), [m2, m3].sort());
      const byGroup = await store.memberships.membersOf(dirA, [g.id]);
      assert.equal(byGroup.get(g.id)!.length, 2);
      assert.deepEqual((await store.memberships.groupsOf(dirA, [m2])).get(m2), [{ id: g.id, displayName: 'Engineering' }]);
      const found = await store.groups.list(dirA, filter(`members.value eq "${m3}"`), { offset: 0, limit: 10 });
      assert.deepEqual(found.items.map((x) => x.id), [g.id]);
      assert.deepEqual(await store.memberships.removeUserEverywhere(dirA, m2), [g.id]);
      assert.equal(await store.memberships.clear(dirA, g.id), 1);
    });

    test('planner statistics are refreshed once many rows changed, and only then', async () => {
      const dir = ids.next('dir');
      await store.directories.insert({ id: dir, organizationId: orgId, name: 'S', provider: 'okta', status: 'active', createdAt: T0, updatedAt: T0 });
      await database.dialect.refreshPlannerStatistics(database.db);
      for (let i = 0; i < 300; i++) await store.users.insert(user(dir, `stat${i}@example.com`));
      // PostgreSQL publishes table activity counters up to a second or so after commit.
      let analyzed: string[] = [];
      for (let i = 0; i < 50 && !analyzed.includes('directory_users'); i++) {
        analyzed.push(...(await database.dialect.refreshPlannerStatistics(database.db)));
        if (dialect === 'sqlite') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (dialect === 'postgres') assert.ok(analyzed.includes('directory_users'), `analyzed: ${analyzed.join(', ')}`);
      assert.deepEqual(await database.dialect.refreshPlannerStatistics(database.db), []);
    });

    test('group displayName is unique per directory, case-insensitively', async () => {
      await store.groups.insert(group(dirA, 'Sales'));
      await assert.rejects(store.groups.insert(group(dirA, 'SALES')), (e) => isServiceError(e) && e.code === 'uniqueness_conflict');
      await store.groups.insert(group(dirB, 'Sales'));
    });

    test('a failed transaction writes nothing', async () => {
      const u = user(dirA, 'rollback@example.com');
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.users.insert(u);
          await tx.events.append(dirA, orgId, [{ type: 'directory.activated', data: { directory: { id: dirA, organizationId: orgId, name: 'D', provider: 'okta', status: 'active' } } }], T0);
          throw new Error('boom');
        }),
      );
      assert.equal(await store.users.findById(dirA, u.id), undefined);
    });

    test('events are numbered per directory in order', async () => {
      const dir = ids.next('dir');
      await store.directories.insert({ id: dir, organizationId: orgId, name: 'E', provider: 'okta', status: 'active', createdAt: T0, updatedAt: T0 });
      await store.transaction((tx) =>
        tx.events.append(dir, orgId, [
          { type: 'group.member_added', data: { group: { id: 'g', name: 'G' }, user: { id: 'a', userName: 'a', email: null } } },
          { type: 'group.member_added', data: { group: { id: 'g', name: 'G' }, user: { id: 'b', userName: 'b', email: null } } },
        ], T0),
      );
      await store.transaction((tx) => tx.events.append(dir, orgId, [{ type: 'directory.deactivated', data: { directory: { id: dir, organizationId: orgId, name: 'E', provider: 'okta', status: 'inactive' } } }], T0));
      assert.equal(await store.events.count(dir), 3);
      assert.equal(await store.events.count(dir, 'group.member_added'), 2);
    });

    test('tokens: usable ones are listed, rotation gives the others an expiry or revokes them', async () => {
      const base = { directoryId: dirA, prefix: 'p', createdAt: T0, expiresAt: null, revokedAt: null, lastUsedAt: null, lastUsedIp: null };
      const t1 = ids.next('tok');
      const t2 = ids.next('tok');
      await store.tokens.insert({ ...base, id: t1, tokenSha256: 'a'.repeat(64) });
      await store.tokens.insert({ ...base, id: t2, tokenSha256: 'b'.repeat(64) });
      assert.equal(await store.tokens.retireOthers(dirA, t2, { expiresAt: '2026-01-02T00:00:00.000Z' }), 1);
      assert.deepEqual((await store.tokens.listUsable(dirA, '2026-01-01T12:00:00.000Z')).map((t) => t.id).sort(), [t1, t2].sort());
      assert.deepEqual((await store.tokens.listUsable(dirA, '2026-01-03T00:00:00.000Z')).map((t) => t.id), [t2]);
      await store.tokens.retireOthers(dirA, t1, { revokedAt: T0 });
      assert.deepEqual((await store.tokens.listUsable(dirA, T0)).map((t) => t.id), [t1]);
      assert.deepEqual(await store.tokens.listUsable(dirB, T0), []);
    });
  });
}
