/**
 * The RFC 7643 schemas Scimitar serves, as data: core User (§4.1), Enterprise User (§4.3),
 * core Group (§4.2) and the common attributes (§3.1), plus case-insensitive attribute lookup.
 * Attribute characteristics follow the schema representation of RFC 7643 §8.7.1.
 */
import type { AttrPath, AttributeDefinition, ResourceTypeName, SchemaDefinition } from './types.js';
import { URN } from './urns.js';

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>>;

/** RFC 7643 §2.2: unspecified characteristics take these defaults. */
function attr(name: string, type: AttributeDefinition['type'], description: string, opts: Options = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...opts,
  };
}

const str = (name: string, description: string, opts: Options = {}) => attr(name, 'string', description, opts);
const complex = (name: string, description: string, subAttributes: AttributeDefinition[], opts: Options = {}) =>
  attr(name, 'complex', description, { ...opts, subAttributes });

const WORK_HOME_OTHER = ['work', 'home', 'other'];

/**
 * The shape shared by emails, phoneNumbers, ims, photos, entitlements, roles and x509Certificates
 * (RFC 7643 §2.4 "multi-valued attributes" default sub-attributes: value, display, type, primary).
 */
function multiValued(
  name: string,
  description: string,
  valueType: AttributeDefinition['type'] = 'string',
  canonicalTypes?: string[],
  valueOpts: Options = {},
): AttributeDefinition {
  const typeAttr = str('type', `A label indicating the ${name} function.`, canonicalTypes ? { canonicalValues: canonicalTypes } : {});
  return complex(
    name,
    description,
    [
      attr('value', valueType, `The value of the ${name} entry.`, valueOpts),
      str('display', 'A human-readable name, primarily used for display purposes.'),
      typeAttr,
      attr('primary', 'boolean', 'A Boolean value indicating the preferred value for this attribute.'),
    ],
    { multiValued: true },
  );
}

/** RFC 7643 §3.1: id, externalId and meta belong to every resource but to no schema. */
export const COMMON_ATTRIBUTES: AttributeDefinition[] = [
  // §3.1: "id" is issued by the service provider, case-sensitive, always returned, never writable.
  str('id', 'Unique identifier for the SCIM resource as defined by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  // §3.1: externalId is the client's identifier, compared case-sensitively.
  str('externalId', 'A String that is an identifier for the resource as defined by the provisioning client.', {
    caseExact: true,
  }),
  complex(
    'meta',
    'A complex attribute containing resource metadata.',
    [
      str('resourceType', 'The name of the resource type of the resource.', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'dateTime', 'The DateTime that the resource was added to the service provider.', {
        mutability: 'readOnly',
      }),
      attr('lastModified', 'dateTime', 'The most recent DateTime that the details of this resource were updated.', {
        mutability: 'readOnly',
      }),
      attr('location', 'reference', 'The URI of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      str('version', 'The version of the resource being returned (an entity tag).', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
    { mutability: 'readOnly' },
  ),
];

export const USER_SCHEMA: SchemaDefinition = {
  id: URN.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    // §4.1.1: userName is required and unique; §8.7.1 lists it caseExact false, uniqueness server.
    str('userName', 'Unique identifier for the User, typically used by the user to directly authenticate.', {
      required: true,
      uniqueness: 'server',
    }),
    complex('name', "The components of the user's real name.", [
      str('formatted', 'The full name, including all middle names, titles, and suffixes as appropriate.'),
      str('familyName', 'The family name of the User.'),
      str('givenName', 'The given name of the User.'),
      str('middleName', 'The middle name(s) of the User.'),
      str('honorificPrefix', 'The honorific prefix(es) of the User.'),
      str('honorificSuffix', 'The honorific suffix(es) of the User.'),
    ]),
    str('displayName', 'The name of the User, suitable for display to end-users.'),
    str('nickName', 'The casual way to address the user in real life.'),
    attr('profileUrl', 'reference', "A fully qualified URL pointing to a page representing the User's online profile.", {
      referenceTypes: ['external'],
    }),
    str('title', "The user's title, such as \"Vice President\"."),
    str('userType', 'Used to identify the relationship between the organization and the user.'),
    str('preferredLanguage', "Indicates the User's preferred written or spoken language (RFC 7231 §5.3.5)."),
    str('locale', "Used to indicate the User's default location for localization (RFC 5646 tag)."),
    str('timezone', "The User's time zone in the IANA Time Zone database format."),
    attr('active', 'boolean', "A Boolean value indicating the User's administrative status."),
    // §4.1.1: the cleartext password is never returned in any form.
    str('password', "The User's cleartext password.", { mutability: 'writeOnly', returned: 'never' }),
    multiValued('emails', 'Email addresses for the user.', 'string', WORK_HOME_OTHER),
    multiValued('phoneNumbers', 'Phone numbers for the User.', 'string', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValued('ims', 'Instant messaging addresses for the User.', 'string', [
      'aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo',
    ]),
    multiValued('photos', 'URLs of photos of the User.', 'reference', ['photo', 'thumbnail'], {
      referenceTypes: ['external'],
    }),
    complex(
      'addresses',
      'A physical mailing address for this User.',
      [
        str('formatted', 'The full mailing address, formatted for display or use with a mailing label.'),
        str('streetAddress', 'The full street address component.'),
        str('locality', 'The city or locality component.'),
        str('region', 'The state or region component.'),
        str('postalCode', 'The zip code or postal code component.'),
        str('country', 'The country name component (ISO 3166-1 alpha-2).'),
        str('type', 'A label indicating the address function.', { canonicalValues: WORK_HOME_OTHER }),
        attr('primary', 'boolean', 'A Boolean value indicating the preferred address.'),
      ],
      { multiValued: true },
    ),
    // §4.1.2: group membership is changed through the Group resource, so it is readOnly here.
    complex(
      'groups',
      'A list of groups to which the user belongs.',
      [
        str('value', 'The identifier of the User\'s group.', { mutability: 'readOnly' }),
        attr('$ref', 'reference', 'The URI of the corresponding Group resource.', {
          mutability: 'readOnly',
          referenceTypes: ['User', 'Group'],
        }),
        str('display', 'A human-readable name, primarily used for display purposes.', { mutability: 'readOnly' }),
        str('type', 'A label indicating the membership type.', {
          mutability: 'readOnly',
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
      { multiValued: true, mutability: 'readOnly' },
    ),
    multiValued('entitlements', 'A list of entitlements for the User.'),
    multiValued('roles', 'A list of roles for the User.'),
    multiValued('x509Certificates', 'A list of certificates issued to the User.', 'binary'),
  ],
};

export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
    str('costCenter', 'Identifies the name of a cost center.'),
    str('organization', 'Identifies the name of an organization.'),
    str('division', 'Identifies the name of a division.'),
    str('department', 'Identifies the name of a department.'),
    // §4.3: manager.displayName is filled in by the service provider, so it is readOnly.
    complex("manager", "The User's manager.", [
      str('value', 'The id of the SCIM resource representing the User\'s manager.'),
      attr('$ref', 'reference', 'The URI of the SCIM resource representing the User\'s manager.', {
        referenceTypes: ['User'],
      }),
      str('displayName', 'The displayName of the User\'s manager.', { mutability: 'readOnly' }),
    ]),
  ],
};

export const GROUP_SCHEMA: SchemaDefinition = {
  id: URN.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    // RFC 7643 §4.2 calls displayName "REQUIRED" in prose; we enforce it.
    str('displayName', 'A human-readable name for the Group.', { required: true }),
    complex(
      'members',
      'A list of members of the Group.',
      [
        // §8.7.1: member value and $ref are immutable: a membership is added or removed, never re-pointed.
        str('value', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
        attr('$ref', 'reference', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
          mutability: 'immutable',
          referenceTypes: ['User', 'Group'],
        }),
        str('display', 'A human-readable name, primarily used for display purposes.'),
        str('type', 'A label indicating the type of resource, e.g., "User" or "Group".', {
          mutability: 'immutable',
          canonicalValues: ['User', 'Group'],
        }),
      ],
      { multiValued: true },
    ),
  ],
};

export const ALL_SCHEMAS: SchemaDefinition[] = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA];

export const RESOURCE_SCHEMAS: Record<ResourceTypeName, { core: SchemaDefinition; extensions: SchemaDefinition[] }> = {
  User: { core: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA] },
  Group: { core: GROUP_SCHEMA, extensions: [] },
};

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** RFC 7643 §2.1: attribute names are case-insensitive. */
function findIn(defs: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  return defs.find((d) => d.name === name) ?? defs.find((d) => same(d.name, name));
}

export function findSubAttribute(def: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return def.subAttributes ? findIn(def.subAttributes, name) : undefined;
}

/** The schema (core or extension) of a resource type whose id is `urn`, compared case-insensitively. */
export function schemaOf(resourceType: ResourceTypeName, urn: string): SchemaDefinition | undefined {
  const { core, extensions } = RESOURCE_SCHEMAS[resourceType];
  return [core, ...extensions].find((s) => same(s.id, urn));
}

/** True when `key` names (case-insensitively) one of the resource type's extension schemas (RFC 7643 §3.3). */
export function isExtensionUrn(resourceType: ResourceTypeName, key: string): boolean {
  return RESOURCE_SCHEMAS[resourceType].extensions.some((s) => same(s.id, key));
}

export interface ResolvedAttribute {
  /** The schema URN the attribute belongs to; the core URN for the common attributes. */
  schema: string;
  def: AttributeDefinition;
  subDef?: AttributeDefinition;
}

/**
 * Finds the definition an attribute path names. Without a URN prefix the core schema and the
 * common attributes win, then each extension (RFC 7644 §3.10: the URN prefix is optional when
 * the name is unambiguous). With a prefix only that schema is searched. A `sub` that does not
 * exist makes the whole path unresolved.
 */
export function resolveAttribute(resourceType: ResourceTypeName, path: AttrPath): ResolvedAttribute | undefined {
  const { core, extensions } = RESOURCE_SCHEMAS[resourceType];
  const candidates: Array<[string, readonly AttributeDefinition[]]> = [];
  if (path.uri !== undefined) {
    const schema = schemaOf(resourceType, path.uri);
    if (!schema) return undefined;
    candidates.push([schema.id, schema === core ? [...core.attributes, ...COMMON_ATTRIBUTES] : schema.attributes]);
  } else {
    candidates.push([core.id, [...core.attributes, ...COMMON_ATTRIBUTES]]);
    for (const ext of extensions) candidates.push([ext.id, ext.attributes]);
  }
  for (const [schema, defs] of candidates) {
    const def = findIn(defs, path.attr);
    if (!def) continue;
    if (path.sub === undefined) return { schema, def };
    const subDef = findSubAttribute(def, path.sub);
    return subDef ? { schema, def, subDef } : undefined;
  }
  return undefined;
}
