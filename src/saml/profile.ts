/**
 * Maps a verified assertion to the profile used for just-in-time provisioning: subject, email, names,
 * groups. Reads the attribute names Okta, Entra ID, Google, ADFS and LDAP-style IdPs send by default
 * (matched case-insensitively). Pure; it decides nothing about which user to link.
 */
import type { SamlAssertion } from './assertion-checks.js';

export interface SamlProfile {
  /** The NameID: the stable key to link the user by (with the connection). */
  subject: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  groups: string[];
  attributes: Record<string, string[]>;
}

const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';

/** Attribute names per profile field, in order of preference. */
export const PROFILE_ATTRIBUTE_NAMES = {
  email: [
    'email',
    'mail',
    'emailaddress',
    'emailAddress',
    'user.email',
    `${CLAIMS}emailaddress`,
    'urn:oid:0.9.2342.19200300.100.1.3',
  ],
  firstName: ['firstName', 'first_name', 'givenName', 'given_name', 'user.firstName', `${CLAIMS}givenname`, 'urn:oid:2.5.4.42'],
  lastName: ['lastName', 'last_name', 'surname', 'sn', 'familyName', 'family_name', 'user.lastName', `${CLAIMS}surname`, 'urn:oid:2.5.4.4'],
  displayName: [
    'displayName',
    'display_name',
    'name',
    'cn',
    'http://schemas.microsoft.com/identity/claims/displayname',
    'urn:oid:2.16.840.1.113730.3.1.241',
    'urn:oid:2.5.4.3',
  ],
  groups: [
    'groups',
    'group',
    'memberOf',
    'isMemberOf',
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
    'http://schemas.xmlsoap.org/claims/Group',
    'urn:oid:1.3.6.1.4.1.5923.1.5.1.1',
    'urn:oid:1.2.840.113556.1.2.102',
  ],
} as const;

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/**
 * @example
 * profileFromAssertion(result.assertion)
 * // { subject: 'ada@example.com', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace',
 * //   displayName: 'Ada Lovelace', groups: ['Engineering'], attributes: { … } }
 */
export function profileFromAssertion(assertion: Pick<SamlAssertion, 'nameId' | 'attributes'>): SamlProfile {
  const byLowerName = new Map<string, string[]>();
  for (const [name, values] of Object.entries(assertion.attributes)) {
    const key = name.toLowerCase();
    byLowerName.set(key, [...(byLowerName.get(key) ?? []), ...values]);
  }
  const values = (names: readonly string[]): string[] =>
    names.flatMap((n) => byLowerName.get(n.toLowerCase()) ?? []).map((v) => v.trim()).filter((v) => v.length > 0);
  const first = (names: readonly string[]): string | null => values(names)[0] ?? null;

  const email = values(PROFILE_ATTRIBUTE_NAMES.email).find((v) => EMAIL.test(v)) ?? (EMAIL.test(assertion.nameId) ? assertion.nameId : null);
  const firstName = first(PROFILE_ATTRIBUTE_NAMES.firstName);
  const lastName = first(PROFILE_ATTRIBUTE_NAMES.lastName);
  const joined = [firstName, lastName].filter((v): v is string => v !== null).join(' ');
  const displayName = first(PROFILE_ATTRIBUTE_NAMES.displayName) ?? (joined.length > 0 ? joined : null);
  const groups = [...new Set(values(PROFILE_ATTRIBUTE_NAMES.groups))];

  return { subject: assertion.nameId, email, firstName, lastName, displayName, groups, attributes: assertion.attributes };
}
