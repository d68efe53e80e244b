import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { entraScimGuide } from './entra-scim.js';
import { genericScimGuide } from './generic-scim.js';
import { guideFor, type Guide, type GuideInput } from './guide.js';
import { oktaScimGuide } from './okta-scim.js';
import { visibleText as text } from '../../../test/support/portal.js';

const TOKEN = 'scimitar_scim_37ThVoaPv4I0xCCN2ANgW4kQ3ovieL5g1QqQ-R6-OSM';
const BASE_URL = 'https://scim.example.com/scim/v2/dir_01m84f1zqjgbtaezkt5pynz843';

function input(overrides: Partial<GuideInput> = {}): GuideInput {
  return {
    scimBaseUrl: BASE_URL,
    token: TOKEN,
    tokenPrefix: 'scimitar_scim_37ThVo',
    credentialsHref: '/portal/o/org_1/d/dir_1/credentials',
    usersHref: '/portal/o/org_1/d/dir_1/users',
    groupsHref: '/portal/o/org_1/d/dir_1/groups',
    logHref: '/portal/o/org_1/d/dir_1/log',
    mappingHref: '/portal/o/org_1/d/dir_1/mapping',
    organizationName: 'Acme',
    ...overrides,
  };
}

const GUIDES: [string, Guide][] = [
  ['okta', oktaScimGuide],
  ['entra', entraScimGuide],
  ['generic', genericScimGuide],
];

/** All markup of a guide, titles included (titles are plain text the page escapes). */
const markup = (guide: Guide, i: GuideInput): string => guide(i).map((s) => `<h3>${s.title}</h3>${s.body.value}`).join('\n');


const count = (haystack: string, needle: string): number => haystack.split(needle).length - 1;
const copyIds = (html: string): string[] => [...html.matchAll(/data-copy="([^"]+)"/g)].map((m) => m[1]!);

describe('setup guides', () => {
  for (const [name, guide] of GUIDES) {
    test(`${name}: right after generating the token, the admin gets the base URL and the token once each, in copy fields`, () => {
      const html = markup(guide, input());
      assert.equal(count(html, TOKEN), 1, 'token rendered once');
      assert.equal(count(html, BASE_URL), 1, 'base URL rendered once');
      assert.match(html, new RegExp(`<input id="[^"]+" type="text" readonly value="${TOKEN}"`));
      assert.match(html, new RegExp(`<input id="[^"]+" type="text" readonly value="${BASE_URL.replace(/[.]/g, '\\.')}"`));
      assert.match(html, /class="copy-field secret"/, 'the token field is marked secret');
      const ids = copyIds(html);
      assert.equal(new Set(ids).size, ids.length, `each copy value is offered once: ${ids.join(', ')}`);
      for (const id of ids) assert.equal(count(html, ` id="${id}"`), 1, `one element carries id ${id}`);
    });

    test(`${name}: an admin coming back later (token not shown any more) sees no token, the prefix, and where to generate one`, () => {
      const html = markup(guide, input({ token: null }));
      assert.ok(!html.includes(TOKEN));
      assert.doesNotMatch(html, /scimitar_scim_[A-Za-z0-9_-]{10,}/, 'nothing that looks like a whole token');
      assert.doesNotMatch(html, /class="copy-field secret"/);
      assert.ok(html.includes('<code>scimitar_scim_37ThVo</code>'), 'the prefix identifies the current token');
      assert.ok(html.includes('href="/portal/o/org_1/d/dir_1/credentials"'), 'links to generate a new token');
      assert.match(text(html), /shown only once/);
    });

    test(`${name}: without a prefix either, the guide still never invents a token`, () => {
      const html = markup(guide, input({ token: null, tokenPrefix: null }));
      assert.doesNotMatch(html, /scimitar_scim_/);
      assert.ok(html.includes('href="/portal/o/org_1/d/dir_1/credentials"'));
    });

    test(`${name}: a hostile organization name is escaped`, () => {
      const html = markup(guide, input({ organizationName: '<script>alert("x")</script>' }));
      assert.ok(!html.includes('<script>'));
      assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    });

    test(`${name}: a base URL with quotes cannot break out of its copy field`, () => {
      const html = markup(guide, input({ scimBaseUrl: 'https://x.example/"><img src=x>' }));
      assert.ok(!html.includes('<img'));
    });

    test(`${name}: step ids are unique and titles are filled in; links go to the portal pages`, () => {
      const steps = guide(input());
      assert.ok(steps.length >= 4);
      assert.equal(new Set(steps.map((s) => s.id)).size, steps.length);
      for (const s of steps) assert.ok(s.id.startsWith(`${name}-`) && s.title.length > 0, s.id);
      const html = markup(guide, input());
      for (const href of ['users', 'groups', 'log', 'mapping']) assert.ok(html.includes(`href="/portal/o/org_1/d/dir_1/${href}"`), href);
    });
  }

  test('copy ids and step ids do not collide between guides (several guides can share a page)', () => {
    const all = GUIDES.flatMap(([, g]) => copyIds(markup(g, input())));
    assert.equal(new Set(all).size, all.length);
    const steps = GUIDES.flatMap(([, g]) => g(input()).map((s) => s.id));
    assert.equal(new Set(steps).size, steps.length);
  });

  test('Okta admin: the guide uses the exact names of the Okta console', () => {
    const html = markup(oktaScimGuide, input());
    const t = text(html);
    for (const name of [
      'SCIM 2.0 Test App (OAuth Bearer Token)',
      'SCIM 2.0 Test App (Header Auth)',
      'Browse App Catalog',
      'Add Integration',
      'Configure API Integration',
      'Enable API integration',
      'Test API Credentials',
      'To App',
      'Create Users',
      'Update User Attributes',
      'Deactivate Users',
      'Sync Password',
      'Attribute Mappings',
      'Assignments',
      'Assign to People',
      'Assign to Groups',
      'Push Groups',
      'Find groups by name',
      'Find groups by rule',
      'Enable SCIM provisioning',
      'Test Connector Configuration',
    ]) {
      assert.ok(t.includes(name), `mentions ${name}`);
      assert.ok(html.includes(`<strong>${name}</strong>`), `${name} is in bold`);
    }
    assert.match(t, /Leave Sync Password off/);
    assert.match(t, /userName/);
    assert.ok(html.includes('data-copy="okta-unique-identifier"'), 'the unique identifier for a SAML app is a copy value');
  });

  test('Entra admin: the guide uses the exact names of the Entra admin center', () => {
    const html = markup(entraScimGuide, input());
    const t = text(html);
    for (const name of [
      'Enterprise applications',
      'New application',
      'Create your own application',
      "Integrate any other application you don't find in the gallery (Non-gallery)",
      'Provisioning Mode',
      'Automatic',
      'Admin Credentials',
      'Tenant URL',
      'Secret Token',
      'Test Connection',
      'Mappings',
      'Users and groups',
      'Provisioning Status',
      'Provision on demand',
    ]) {
      assert.ok(t.includes(name), `mentions ${name}`);
    }
    assert.match(t, /about every 40 minutes/);
    assert.ok(!t.includes('aadOptscim'), 'no feature flag: the quirks are handled for every client');
  });

  test('any SCIM client: the guide names the endpoints, discovery and the Authorization header', () => {
    const t = text(markup(genericScimGuide, input()));
    for (const s of ['/Users', '/Groups', '/ServiceProviderConfig', '/ResourceTypes', '/Schemas', 'Authorization: Bearer', 'application/scim+json']) {
      assert.ok(t.includes(s), s);
    }
    assert.ok(!t.includes(`${BASE_URL}/`), 'the example command uses variables, not a second copy of the URL');
  });

  test('guideFor picks the guide of the provider', () => {
    assert.equal(guideFor('okta'), oktaScimGuide);
    assert.equal(guideFor('entra'), entraScimGuide);
    assert.equal(guideFor('generic'), genericScimGuide);
  });
});
