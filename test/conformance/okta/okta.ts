/**
 * Helpers shared by the Okta conformance suite: the exact query strings and bodies Okta's SCIM
 * 2.0 template apps ("SCIM 2.0 Test App (OAuth Bearer Token)" / "(Header Auth)") send, and the
 * RFC 7644 §3.12 error-shape assertion.
 */
import assert from 'node:assert/strict';
import { GROUP_URN, PATCH_OP, oktaUser, type ScimClient, type ScimResult } from '../../support/scim-client.js';

export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SEARCH_URN = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/**
 * A query value encoded the way Okta does it: encodeURIComponent (quotes %22, @ %40, + %2B),
 * spaces as %20 by default or as `+` (form encoding) when asked.
 */
export function oktaEncode(value: string, spaces: '%20' | '+' = '%20'): string {
  const encoded = encodeURIComponent(value);
  return spaces === '+' ? encoded.replace(/%20/g, '+') : encoded;
}

/** Okta's existence check before Create User: `GET /Users?filter=userName eq "x"&startIndex=1&count=100`. */
export function userNameLookup(userName: string, spaces: '%20' | '+' = '%20'): string {
  return `/Users?filter=${oktaEncode(`userName eq "${userName}"`, spaces)}&startIndex=1&count=100`;
}

/** Okta's group existence check before Push Group. */
export function displayNameLookup(displayName: string, spaces: '%20' | '+' = '%20'): string {
  return `/Groups?filter=${oktaEncode(`displayName eq "${displayName}"`, spaces)}&startIndex=1&count=100`;
}

/** A filtered list path with Okta's paging parameters. */
export function filtered(resource: 'Users' | 'Groups', filter: string, count = 100): string {
  return `/${resource}?filter=${oktaEncode(filter)}&startIndex=1&count=${count}`;
}

export const patchOp = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_OP], Operations });

/** Deactivate (unassign) and reactivate (re-assign), exactly as Okta sends them. */
export const DEACTIVATE = patchOp({ op: 'replace', value: { active: false } });
export const REACTIVATE = patchOp({ op: 'replace', value: { active: true } });

export const oktaGroup = (displayName: string, members?: { value: string; display: string }[]) => ({
  schemas: [GROUP_URN],
  displayName,
  ...(members ? { members } : {}),
});

/** Creates users the way Okta does (POST with the full body), `parallel` at a time; returns them in input order. */
export async function createUsers(
  client: ScimClient,
  userNames: string[],
  parallel = 10,
  extra: (userName: string, index: number) => Record<string, unknown> = () => ({}),
): Promise<{ id: string; userName: string }[]> {
  const out: { id: string; userName: string }[] = new Array(userNames.length);
  for (let start = 0; start < userNames.length; start += parallel) {
    const slice = userNames.slice(start, start + parallel);
    const results = await Promise.all(slice.map((u, i) => client.post('/Users', oktaUser(u, extra(u, start + i)))));
    results.forEach((r, i) => {
      assert.equal(r.status, 201, `POST /Users ${slice[i]}: ${r.text}`);
      out[start + i] = { id: r.body.id, userName: r.body.userName };
    });
  }
  return out;
}

/** Asserts an RFC 7644 §3.12 error: status, Error URN, status as a string, scimType, detail, SCIM content type. */
export function assertScimError(res: ScimResult, status: number, scimType?: string): void {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/scim\+json/, 'error content type');
  assert.ok(res.body && typeof res.body === 'object', `error body is JSON: ${res.text}`);
  assert.deepEqual(res.body.schemas, [ERROR_URN]);
  assert.equal(res.body.status, String(status));
  assert.equal(typeof res.body.detail, 'string');
  assert.ok(res.body.detail.length > 0, 'detail is not empty');
  if (scimType !== undefined) assert.equal(res.body.scimType, scimType, `scimType of: ${res.text}`);
}

/** The ids of a list response's Resources, sorted (for set comparisons). */
export const idsOf = (res: ScimResult): string[] => (res.body.Resources as { id: string }[]).map((r) => r.id).sort();

export const sorted = (ids: string[]): string[] => [...ids].sort();
