import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestLogEntry } from '../app/ports.js';
import { explainRequest, type ExplainProvider, type RequestExplanation } from './explain-request.js';

const DIR = 'dir_01m84f1zqjgbtaezkt5pynz843';

function entry(overrides: Partial<RequestLogEntry>): RequestLogEntry {
  return {
    directoryId: DIR,
    id: 'req_1',
    at: '2026-11-23T15:05:55.443Z',
    requestId: 'b3c0e7d2-4d1f-4c1e-9a55-0c1f6f0e2a11',
    method: 'GET',
    path: `/scim/v2/${DIR}/Users`,
    query: null,
    status: 200,
    durationMs: 1.2,
    scimType: null,
    detail: null,
    requestBody: null,
    clientIp: '203.0.113.7',
    ...overrides,
  };
}

function explain(e: RequestLogEntry, provider: ExplainProvider): RequestExplanation {
  const r = explainRequest(e, provider);
  assert.ok(r, 'a failed request is explained');
  return r;
}

/** What the administrator reads in the fix. */
function fixText(r: RequestExplanation): string {
  assert.ok(r.fix, 'a fix is given');
  return r.fix.value
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const INVALID_TOKEN = entry({ status: 401, detail: 'invalid bearer token for this SCIM endpoint', query: 'startIndex=1&count=2' });
const MISSING_TOKEN = entry({ status: 401, detail: 'missing bearer token: send Authorization: Bearer <token>' });
const DISABLED = entry({
  method: 'POST',
  status: 403,
  detail: 'this directory is disabled; an administrator must activate it before provisioning',
  requestBody: '{"userName":"ada@acme.example","password":"[redacted]"}',
});

describe('explaining failed SCIM requests', () => {
  test('Successful requests are not explained', () => {
    for (const status of [200, 201, 204, 304]) assert.equal(explainRequest(entry({ status }), 'okta'), null);
  });

  test('Okta sends a token that was rotated out: explained as 401 with the re-paste fix', () => {
    const r = explain(INVALID_TOKEN, 'okta');
    assert.match(r.summary, /does not open this directory/);
    assert.match(r.summary, /mistyped, revoked, or .*grace period after a rotation/);
    const fix = fixText(r);
    assert.match(fix, /Provisioning > Integration and click Edit/);
    assert.match(fix, /Paste the current token/);
    assert.match(fix, /Test API Credentials/);
    assert.match(fix, /grace period \(24 hours by default\)/);
    assert.match(fix, /Dashboard > Tasks/);
    assert.doesNotMatch(fix, /Entra/);
  });

  test('Okta tests the connection with an empty token field: explained as no token sent', () => {
    const r = explain(MISSING_TOKEN, 'okta');
    assert.match(r.summary, /sent no token/);
    assert.doesNotMatch(r.summary, /rotation/);
    assert.match(fixText(r), /Test API Credentials/);
  });

  test('Entra sends a revoked Secret Token: the fix names Admin Credentials, Secret Token and Test Connection', () => {
    const fix = fixText(explain(INVALID_TOKEN, 'entra'));
    for (const s of ['Admin Credentials', 'Secret Token', 'Test Connection', 'Restart provisioning', 'grace period']) assert.ok(fix.includes(s), s);
    assert.doesNotMatch(fix, /Okta/);
  });

  test('A custom client sends no Authorization header: told to send a bearer token', () => {
    const r = explain(MISSING_TOKEN, 'generic');
    assert.match(r.summary, /^The SCIM client sent no token/);
    assert.match(fixText(r), /Authorization: Bearer/);
  });

  test('Okta provisions while the directory is switched off: 403 with the Status fix and a retry in Okta', () => {
    const r = explain(DISABLED, 'okta');
    assert.match(r.summary, /switched off/);
    const fix = fixText(r);
    assert.match(fix, /set Status to Active/);
    assert.match(fix, /Dashboard > Tasks/);
  });

  test('Entra provisions while the directory is switched off: the change comes again in the next cycle', () => {
    const fix = fixText(explain(DISABLED, 'entra'));
    assert.match(fix, /set Status to Active/);
    assert.match(fix, /next provisioning cycle/);
    assert.match(fix, /Provision on demand/);
  });

  test('Okta deactivates a user that was deleted here: 404 with the re-assign fix', () => {
    const r = explain(
      entry({ method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_gone`, status: 404, detail: 'user usr_gone not found in this directory' }),
      'okta',
    );
    assert.match(r.summary, /updating user usr_gone/);
    assert.match(r.summary, /deleted here|earlier connection/);
    const fix = fixText(r);
    assert.match(fix, /Assignments/);
    assert.match(fix, /unassign the person, then assign them again/);
  });

  test('Okta pushes members to a group that was deleted here: 404 with the re-push fix', () => {
    const r = explain(
      entry({ method: 'PATCH', path: `/scim/v2/${DIR}/Groups/grp_gone`, status: 404, detail: 'group grp_gone not found in this directory' }),
      'okta',
    );
    assert.match(r.summary, /no group with ID grp_gone/);
    const fix = fixText(r);
    assert.match(fix, /Push Groups/);
    assert.match(fix, /Leave the group in the target app/);
  });

  test('Entra updates a user with a stale ID: Provision on demand or Restart provisioning', () => {
    const fix = fixText(
      explain(entry({ method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_x`, status: 404, detail: 'user usr_x not found in this directory' }), 'entra'),
    );
    assert.match(fix, /Provision on demand/);
    assert.match(fix, /Restart provisioning/);
  });

  test('A client calls a path with no endpoint (the base URL has an extra part): explained as a base URL problem, not a missing user', () => {
    const r = explain(entry({ path: `/scim/v2/${DIR}/v2/Users`, status: 404, detail: `no SCIM endpoint at GET /scim/v2/${DIR}/v2/Users` }), 'okta');
    assert.match(r.summary, /no SCIM endpoint/);
    assert.match(r.summary, /base URL in Okta/);
    assert.match(fixText(r), /Base URL exactly as this portal shows it/);
  });

  test('Okta creates users with a base URL ending in /Users: 405 explained as a wrong base URL', () => {
    const r = explain(
      entry({ method: 'POST', path: `/scim/v2/${DIR}/Users/Users`, status: 405, detail: 'POST is not allowed here; allowed: GET, PUT, PATCH, DELETE' }),
      'okta',
    );
    assert.match(r.summary, /POST is not allowed here; allowed: GET, PUT, PATCH, DELETE/);
    assert.match(r.summary, /extra part at the end/);
    assert.match(fixText(r), /ends with the directory ID, with nothing after it/);
  });

  test('Okta renames a user to a username another account holds: 409 with match / username format / delete the stale account', () => {
    const r = explain(
      entry({ method: 'PUT', path: `/scim/v2/${DIR}/Users/usr_1`, status: 409, scimType: 'uniqueness', detail: 'userName "ada@acme.example" is already taken in this directory' }),
      'okta',
    );
    assert.match(r.summary, /change the userName of user usr_1 to "ada@acme\.example"/);
    assert.match(r.summary, /In Okta this happens when a username is changed/);
    const fix = fixText(r);
    assert.match(fix, /Match the existing account/);
    assert.match(fix, /Application username format/);
    assert.match(fix, /Delete it in this app/);
  });

  test('Okta creates a user whose username is taken: 409 explained with Okta\'s lookup-then-link behaviour', () => {
    const r = explain(
      entry({ method: 'POST', status: 409, scimType: 'uniqueness', detail: 'userName "ada@acme.example" is already taken in this directory' }),
      'okta',
    );
    assert.match(r.summary, /create an account with the userName "ada@acme\.example"/);
    assert.match(r.summary, /looks a username up before it creates/);
  });

  test('Okta pushes a group whose name exists here: 409 with the Link Group fix', () => {
    const r = explain(
      entry({ method: 'POST', path: `/scim/v2/${DIR}/Groups`, status: 409, scimType: 'uniqueness', detail: 'a group named "Envi_Admin" already exists in this directory' }),
      'okta',
    );
    assert.match(r.summary, /create a group "Envi_Admin"/);
    assert.match(fixText(r), /Link Group/);
  });

  test('Okta pushes a group before its people are assigned: 400 invalidValue quotes the detail and says to assign first', () => {
    const detail = 'members must be users of this directory; unknown user id(s): usr_9, usr_10';
    const r = explain(entry({ method: 'PATCH', path: `/scim/v2/${DIR}/Groups/grp_1`, status: 400, scimType: 'invalidValue', detail }), 'okta');
    assert.ok(r.summary.includes(`“${detail}”`));
    const fix = fixText(r);
    assert.match(fix, /Assign those people to the app first/);
    assert.match(fix, /Push Groups/);
  });

  test('Okta sends an empty username: 400 invalidValue points at the mapping of userName', () => {
    const r = explain(
      entry({ method: 'POST', status: 400, scimType: 'invalidValue', detail: 'Attribute "userName" is required and must be a non-empty string' }),
      'okta',
    );
    assert.match(r.summary, /required attribute userName/);
    const fix = fixText(r);
    assert.match(fix, /Attribute Mappings/);
    assert.match(fix, /userName/);
  });

  test('Entra matches users on an attribute that cannot be filtered: 400 invalidFilter quotes the detail and names the matching setting', () => {
    const detail =
      'filtering on "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber" is not supported';
    const r = explain(entry({ status: 400, scimType: 'invalidFilter', detail, query: 'filter=employeeNumber eq "42"' }), 'entra');
    assert.ok(r.summary.includes(detail));
    assert.match(fixText(r), /Match objects using this attribute/);
  });

  test('Entra maps an attribute onto a read-only one: 400 mutability names the attribute and the mapping to delete', () => {
    const r = explain(
      entry({ method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_1`, status: 400, scimType: 'mutability', detail: 'Attribute "groups" is readOnly' }),
      'entra',
    );
    assert.match(r.summary, /tried to change groups, which cannot be changed/);
    const fix = fixText(r);
    assert.match(fix, /changed through the group itself/);
    assert.match(fix, /delete the mapping whose target is groups/);
  });

  test('Okta sends an attribute this app does not have in a PATCH: 400 invalidPath quotes the detail', () => {
    const detail = 'operation 1.path "favouriteColour": "favouriteColour" does not name an attribute of User';
    const r = explain(entry({ method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_1`, status: 400, scimType: 'invalidPath', detail }), 'okta');
    assert.ok(r.summary.includes(detail));
    assert.match(fixText(r), /External namespace/);
  });

  test('A client sends a broken body or a PATCH with no match: invalidSyntax and noTarget quote the detail', () => {
    const syntax = explain(entry({ method: 'POST', status: 400, scimType: 'invalidSyntax', detail: 'the request body is not valid JSON: Unexpected end of JSON input' }), 'generic');
    assert.match(syntax.summary, /not valid JSON: Unexpected end of JSON input/);
    const noTarget = explain(
      entry({ method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_1`, status: 400, scimType: 'noTarget', detail: 'operation 1: No value of "emails" matches the filter' }),
      'entra',
    );
    assert.match(noTarget.summary, /No value of "emails" matches the filter/);
  });

  test('Okta re-sends a change with an old ETag: 412 explained as a change that arrived in between', () => {
    const r = explain(
      entry({ method: 'PUT', path: `/scim/v2/${DIR}/Users/usr_1`, status: 412, detail: 'the resource changed: If-Match W/"1" does not match the current version W/"2"' }),
      'okta',
    );
    assert.match(r.summary, /no longer current/);
    assert.match(r.summary, /If-Match W\/"1"/);
  });

  test('A huge group is pushed in one request: 413 says the body is too large and names the request id', () => {
    const e = entry({ method: 'PUT', path: `/scim/v2/${DIR}/Groups/grp_1`, status: 413, detail: 'the request body is larger than 1048576 bytes' });
    const r = explain(e, 'okta');
    assert.match(r.summary, /larger than 1048576 bytes/);
    assert.ok(fixText(r).includes(e.requestId));
  });

  test('A proxy rewrites the content type: 415 explained; a custom client is told which type to send', () => {
    const e = entry({ method: 'POST', status: 415, detail: 'Content-Type must be application/scim+json or application/json (got text/plain)' });
    assert.match(explain(e, 'okta').summary, /Okta always sends JSON/);
    assert.match(fixText(explain(e, 'generic')), /Content-Type: application\/scim\+json/);
  });

  test('The service fails or is overloaded: 5xx and 429 say retry and quote the request id', () => {
    for (const status of [500, 502, 503, 429]) {
      const e = entry({ method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_1`, status, detail: status === 500 ? 'internal error; quote request id x to the service operator' : null });
      for (const provider of ['okta', 'entra', 'generic'] as const) {
        const r = explain(e, provider);
        assert.match(r.summary, /not caused by your settings/);
        const fix = fixText(r);
        assert.ok(fix.includes(e.requestId), `${status} ${provider} quotes the request id`);
        assert.match(fix, /[Rr]etr/);
      }
    }
  });

  test('Every explanation speaks the provider\'s own terms and never echoes the request body', () => {
    const failures: Partial<RequestLogEntry>[] = [
      { status: 401, detail: 'invalid bearer token for this SCIM endpoint' },
      { status: 401, detail: 'missing bearer token: send Authorization: Bearer <token>' },
      { method: 'POST', status: 403, detail: 'this directory is disabled; an administrator must activate it before provisioning' },
      { method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_1`, status: 404, detail: 'user usr_1 not found in this directory' },
      { method: 'PATCH', path: `/scim/v2/${DIR}/Groups/grp_1`, status: 404, detail: 'group grp_1 not found in this directory' },
      { method: 'POST', path: `/scim/v2/${DIR}/Users/Users`, status: 405, detail: 'POST is not allowed here; allowed: GET, PUT, PATCH, DELETE' },
      { method: 'POST', status: 409, scimType: 'uniqueness', detail: 'userName "ada@acme.example" is already taken in this directory' },
      { method: 'POST', path: `/scim/v2/${DIR}/Groups`, status: 409, scimType: 'uniqueness', detail: 'a group named "Sales" already exists in this directory' },
      { method: 'PATCH', path: `/scim/v2/${DIR}/Groups/grp_1`, status: 400, scimType: 'invalidValue', detail: 'members must be users of this directory; unknown user id(s): usr_9' },
      { method: 'POST', status: 400, scimType: 'invalidValue', detail: 'Attribute "active" must be a boolean' },
      { status: 400, scimType: 'invalidFilter', detail: 'filtering on "nickName" is not supported' },
      { method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_1`, status: 400, scimType: 'invalidPath', detail: '"x" does not name an attribute of User' },
      { method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_1`, status: 400, scimType: 'mutability', detail: 'Attribute "id" is readOnly' },
      { method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_1`, status: 400, scimType: 'noTarget', detail: 'remove requires a path' },
      { method: 'POST', status: 400, scimType: 'invalidSyntax', detail: 'User body must be a JSON object' },
      { method: 'PATCH', path: `/scim/v2/${DIR}/Users/usr_1`, status: 400, scimType: 'tooMany', detail: '"Operations" has 1001 entries; at most 1000 are accepted' },
      { method: 'PUT', path: `/scim/v2/${DIR}/Users/usr_1`, status: 412, detail: 'the resource changed' },
      { method: 'POST', status: 413, detail: 'the request body is larger than 1048576 bytes' },
      { method: 'POST', status: 415, detail: 'Content-Type must be application/scim+json or application/json (got text/plain)' },
      { status: 418, detail: null },
      { status: 500, detail: 'internal error' },
    ];
    const body = '{"userName":"ada@acme.example","password":"[redacted]","secretish":"BODY-MARKER-7f3a"}';
    for (const f of failures) {
      for (const provider of ['okta', 'entra', 'generic'] as const) {
        const r = explain(entry({ ...f, requestBody: body }), provider);
        const all = `${r.summary}\n${r.fix?.value ?? ''}`;
        const label = `${f.status} ${f.detail} (${provider})`;
        assert.ok(r.summary.length > 0, label);
        assert.ok(!all.includes('BODY-MARKER'), `${label}: no request body`);
        assert.ok(!all.includes('[redacted]'), `${label}: no request body`);
        if (provider !== 'okta') assert.ok(!/Okta/.test(all), `${label}: no Okta terms`);
        if (provider !== 'entra') assert.ok(!/Entra/.test(all), `${label}: no Entra terms`);
      }
    }
  });

  test('A hostile detail cannot inject markup into the fix', () => {
    const r = explain(entry({ method: 'POST', status: 400, scimType: 'invalidValue', detail: 'Attribute "<img src=x onerror=alert(1)>" must be a string' }), 'okta');
    assert.ok(r.fix);
    assert.ok(!r.fix.value.includes('<img'));
    assert.ok(r.fix.value.includes('&lt;img'));
  });
});
