/**
 * Okta conformance, filters: the filters Okta sends (userName eq, members.value eq, displayName
 * eq) and the ones admins run against the same endpoints, with exact result sets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { dialects } from '../../support/databases.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { USER_URN, oktaUser, type ScimClient } from '../../support/scim-client.js';
import { DEACTIVATE, LIST_URN, SEARCH_URN, filtered, oktaGroup, patchOp, sorted } from './okta.js';

type Key = 'alice' | 'bob' | 'carol' | 'dave' | 'erin';

/** Five users chosen so that each filter below selects a different set. */
const PEOPLE: Record<Key, Record<string, unknown>> = {
  alice: oktaUser('alice@example.com', { displayName: 'Alice Anderson', externalId: 'ExtA' }),
  bob: oktaUser('bob@example.com', {
    displayName: 'Bob Brown',
    externalId: 'extb',
    emails: [
      { primary: true, value: 'bob@example.com', type: 'work' },
      { value: 'bob@home.org', type: 'home' },
    ],
  }),
  // Work address elsewhere, home address at example.com: only a per-element value filter tells them apart.
  carol: oktaUser('carol@other.org', {
    displayName: 'Carol Tester',
    externalId: 'extc',
    emails: [
      { primary: true, value: 'carol@other.org', type: 'work' },
      { value: 'carol@example.com', type: 'home' },
    ],
  }),
  dave: oktaUser('dave@example.com', {
    displayName: 'Dave Tester',
    externalId: 'EXTA',
    emails: [{ primary: true, value: 'DAVE@EXAMPLE.COM', type: 'work' }],
  }),
  erin: oktaUser('erin.smith@example.com', { displayName: 'Erin Smith', externalId: undefined }),
};
const ALL: Key[] = ['alice', 'bob', 'carol', 'dave', 'erin'];

for (const { name, skip } of await dialects()) {
  describe(`Okta filters on ${name}`, { skip }, () => {
    let server: TestServer;
    let client: ScimClient;
    const id = {} as Record<Key, string>;
    let groups: { admins: string; eng: string; empty: string };
    /** A lastModified before carol's later change. */
    let cutoff: string;

    /** Asserts a user filter selects exactly `expected` (sent with Okta's encoding and paging). */
    async function expectUsers(filter: string, expected: Key[]): Promise<void> {
      const res = await client.get(filtered('Users', filter));
      assert.equal(res.status, 200, `${filter}: ${res.text}`);
      assert.deepEqual(res.body.schemas, [LIST_URN]);
      const got = sorted(res.body.Resources.map((r: { id: string }) => r.id));
      const names = (ids: string[]) => ids.map((x) => (Object.keys(id) as Key[]).find((k) => id[k] === x) ?? x).sort();
      assert.deepEqual(names(got), [...expected].sort(), `filter ${filter}`);
      assert.equal(res.body.totalResults, expected.length, `totalResults of ${filter}`);
    }
    async function expectGroups(filter: string, expected: string[]): Promise<void> {
      const res = await client.get(filtered('Groups', filter));
      assert.equal(res.status, 200, `${filter}: ${res.text}`);
      assert.deepEqual(sorted(res.body.Resources.map((r: { id: string }) => r.id)), sorted(expected), `filter ${filter}`);
      assert.equal(res.body.totalResults, expected.length);
    }

    before(async () => {
      server = await startTestServer(name);
      ({ client } = await server.newDirectory());
      for (const key of ALL) {
        const res = await client.post('/Users', PEOPLE[key]);
        assert.equal(res.status, 201, res.text);
        id[key] = res.body.id;
      }
      assert.equal((await client.patch(`/Users/${id.bob}`, DEACTIVATE)).status, 200);
      const member = (k: Key) => ({ value: id[k], display: k });
      const admins = await client.post('/Groups', oktaGroup('Admins', [member('alice'), member('bob')]));
      const eng = await client.post('/Groups', oktaGroup('Engineering', [member('alice'), member('carol'), member('dave')]));
      const empty = await client.post('/Groups', oktaGroup('Empty Group'));
      groups = { admins: admins.body.id, eng: eng.body.id, empty: empty.body.id };

      const all = await client.get('/Users?startIndex=1&count=100');
      cutoff = all.body.Resources.map((u: { meta: { lastModified: string } }) => u.meta.lastModified).sort().at(-1);
      await sleep(15);
      const changed = await client.patch(`/Users/${id.carol}`, patchOp({ op: 'replace', path: 'title', value: 'Lead' }));
      assert.equal(changed.status, 200, changed.text);
      assert.ok(changed.body.meta.lastModified > cutoff);
    });
    after(async () => server?.close());

    test('Okta: userName eq (case-insensitive)', async () => {
      await expectUsers('userName eq "alice@example.com"', ['alice']);
      await expectUsers('userName eq "ALICE@Example.COM"', ['alice']);
      await expectUsers('userName eq "alice"', []);
      await expectUsers('USERNAME EQ "erin.smith@example.com"', ['erin']);
      await expectUsers(`${USER_URN}:userName eq "dave@example.com"`, ['dave']);
    });

    test('userName sw / ew / co / ne', async () => {
      await expectUsers('userName sw "B"', ['bob']);
      await expectUsers('userName sw "erin."', ['erin']);
      await expectUsers('userName ew "@other.org"', ['carol']);
      await expectUsers('userName co "I"', ['alice', 'erin']);
      await expectUsers('userName co "AV"', ['dave']);
      await expectUsers('userName ne "alice@example.com"', ['bob', 'carol', 'dave', 'erin']);
    });

    test('emails.value eq (case-insensitive, any element)', async () => {
      await expectUsers('emails.value eq "bob@home.org"', ['bob']);
      await expectUsers('emails.value eq "dave@example.com"', ['dave']);
      await expectUsers('emails.value eq "carol@example.com"', ['carol']);
      await expectUsers('emails eq "Alice@Example.com"', ['alice']);
      await expectUsers('emails.type eq "home"', ['bob', 'carol']);
    });

    test('emails[type eq "work" and value co "@example.com"] matches within one element', async () => {
      await expectUsers('emails[type eq "work" and value co "@example.com"]', ['alice', 'bob', 'dave', 'erin']);
      await expectUsers('emails.value co "@example.com"', ['alice', 'bob', 'carol', 'dave', 'erin']);
      await expectUsers('emails[type eq "home" and value co "@example.com"]', ['carol']);
      await expectUsers('emails[type eq "home" or value ew "@other.org"]', ['bob', 'carol']);
      await expectUsers('emails[primary eq true and value sw "dave"]', ['dave']);
    });

    test('externalId eq is case-sensitive; pr skips users without one', async () => {
      await expectUsers('externalId eq "ExtA"', ['alice']);
      await expectUsers('externalId eq "EXTA"', ['dave']);
      await expectUsers('externalId eq "exta"', []);
      await expectUsers('externalId pr', ['alice', 'bob', 'carol', 'dave']);
      await expectUsers('externalId eq null', ['erin']);
    });

    test('active eq false / true', async () => {
      await expectUsers('active eq false', ['bob']);
      await expectUsers('active eq true', ['alice', 'carol', 'dave', 'erin']);
      await expectUsers('active ne true', ['bob']);
    });

    test('meta.lastModified gt "<iso>" selects what changed after it', async () => {
      await expectUsers(`meta.lastModified gt "${cutoff}"`, ['carol']);
      await expectUsers(`meta.lastModified le "${cutoff}"`, ['alice', 'bob', 'dave', 'erin']);
      // The same instant written with an offset and without milliseconds compares as an instant.
      const early = new Date(Date.parse(cutoff) - 3_600_000);
      const offset = `${new Date(early.getTime() + 2 * 3_600_000).toISOString().slice(0, 19)}+02:00`;
      await expectUsers(`meta.lastModified gt "${offset}"`, ALL);
      await expectUsers('meta.created lt "2000-01-01T00:00:00Z"', []);
      await expectUsers('meta.created gt "2000-01-01T00:00:00Z"', ALL);
    });

    test('and / or / not (...)', async () => {
      await expectUsers('userName sw "a" or userName sw "b"', ['alice', 'bob']);
      await expectUsers('active eq true and emails.type eq "home"', ['carol']);
      await expectUsers('not (active eq false)', ['alice', 'carol', 'dave', 'erin']);
      await expectUsers('not (externalId eq "ExtA")', ['bob', 'carol', 'dave', 'erin']);
      await expectUsers('not (emails[type eq "home"])', ['alice', 'dave', 'erin']);
      await expectUsers('not (displayName co "tester") and not (userName sw "a")', ['bob', 'erin']);
    });

    test('parentheses override and-before-or precedence', async () => {
      await expectUsers('(userName sw "a" or userName sw "b") and active eq false', ['bob']);
      await expectUsers('userName sw "a" or userName sw "b" and active eq false', ['alice', 'bob']);
      await expectUsers('userName sw "a" or (userName sw "b" and active eq false)', ['alice', 'bob']);
      await expectUsers('((userName sw "c") or (userName sw "d")) and (emails.type eq "home")', ['carol']);
    });

    test('displayName co (case-insensitive)', async () => {
      await expectUsers('displayName co "tester"', ['carol', 'dave']);
      await expectUsers('displayName co "AN"', ['alice']);
      await expectUsers('displayName eq "bob brown"', ['bob']);
    });

    test('sw / ew count characters, not UTF-16 units (an emoji in a displayName or userName)', async () => {
      const { client: other } = await server.newDirectory();
      const res = await other.post('/Users', oktaUser('\u{1F600}zoe@example.com', { displayName: 'Zo\u00eb \u{1F600} \u00dcn\u00efcode' }));
      assert.equal(res.status, 201, res.text);
      for (const filter of [
        'userName sw "\u{1F600}zoe"',
        'userName sw "\u{1F600}"',
        'displayName sw "zo\u00eb \u{1F600}"',
        'displayName ew "\u{1F600} \u00fcn\u00efcode"',
        'displayName co "\u{1F600} \u00dc"',
        'displayName eq "ZO\u00cb \u{1F600} \u00dcN\u00cfCODE"',
      ]) {
        const found = await other.get(filtered('Users', filter));
        assert.equal(found.status, 200, found.text);
        assert.deepEqual(found.body.Resources.map((r: { id: string }) => r.id), [res.body.id], filter);
      }
      assert.equal((await other.get(filtered('Users', 'userName sw "\u{1F600}zoe@x"'))).body.totalResults, 0);
    });

    test('POST /Users/.search with a SearchRequest body', async () => {
      const res = await client.post('/Users/.search', {
        schemas: [SEARCH_URN],
        filter: 'emails[type eq "work" and value co "@example.com"] and active eq true',
        startIndex: 1,
        count: 10,
        attributes: ['userName', 'emails'],
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.schemas, [LIST_URN]);
      assert.equal(res.body.totalResults, 3);
      assert.deepEqual(sorted(res.body.Resources.map((r: { id: string }) => r.id)), sorted([id.alice, id.dave, id.erin]));
      for (const r of res.body.Resources) {
        assert.equal(typeof r.userName, 'string');
        assert.ok(Array.isArray(r.emails));
        assert.equal(r.displayName, undefined, 'only the requested attributes');
        assert.equal(r.name, undefined);
      }
      const paged = await client.post('/Users/.search', { schemas: [SEARCH_URN], filter: 'userName co "@"', startIndex: 2, count: 2 });
      assert.equal(paged.status, 200, paged.text);
      assert.equal(paged.body.totalResults, 5);
      assert.equal(paged.body.startIndex, 2);
      assert.equal(paged.body.Resources.length, 2);
    });

    test('Okta: groups by displayName eq and members.value eq', async () => {
      await expectGroups('displayName eq "Admins"', [groups.admins]);
      await expectGroups('displayName eq "engineering"', [groups.eng]);
      await expectGroups('displayName sw "E"', [groups.eng, groups.empty]);
      await expectGroups(`members.value eq "${id.alice}"`, [groups.admins, groups.eng]);
      await expectGroups(`members.value eq "${id.carol}"`, [groups.eng]);
      await expectGroups(`members.value eq "${id.erin}"`, []);
      await expectGroups(`members[value eq "${id.bob}"]`, [groups.admins]);
      await expectGroups(`members.value eq "${id.bob}" or members.value eq "${id.dave}"`, [groups.admins, groups.eng]);
      await expectGroups(`not (members pr)`, [groups.empty]);
    });
  });
}
