/**
 * JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12) of what the REST API sends and accepts:
 * the normalized user, group and event of domain/directory-view.ts and domain/events.ts,
 * and the management objects. Routes refer to them with ref('Name').
 */
import { EVENT_TYPES } from '../../domain/events.js';
import type { JsonSchema } from './route-types.js';

export const ref = (name: keyof typeof SCHEMAS): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const str = (description?: string): JsonSchema => (description ? { type: 'string', description } : { type: 'string' });
const nullableStr = (description?: string): JsonSchema => ({ type: ['string', 'null'], ...(description ? { description } : {}) });
const time = (description?: string): JsonSchema => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
const obj = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties), extra: JsonSchema = {}): JsonSchema => ({
  type: 'object',
  properties,
  required,
  ...extra,
});
const page = (item: string, cursor: string): JsonSchema =>
  obj({ data: { type: 'array', items: { $ref: `#/components/schemas/${item}` } }, nextCursor: { type: ['string', 'null'], description: cursor } });

const userRef = obj({ id: str(), userName: str(), email: nullableStr() });
const groupRef = obj({ id: str(), name: str() });

export const SCHEMAS = {
  Error: obj({
    error: obj({
      code: str('Stable snake_case code: invalid_value, unauthenticated, forbidden, not_found, uniqueness_conflict, ...'),
      message: str('Readable detail, safe to show.'),
    }),
  }),
  Organization: obj({ id: str('org_…'), name: str(), createdAt: time(), updatedAt: time() }),
  OrganizationList: obj({ data: { type: 'array', items: { $ref: '#/components/schemas/Organization' } } }),
  Directory: obj(
    {
      id: str('dir_…'),
      organizationId: str(),
      name: str(),
      provider: { type: 'string', enum: ['okta', 'entra', 'generic'] },
      status: { type: 'string', enum: ['active', 'inactive'] },
      scimBaseUrl: str('The SCIM 2.0 base URL to paste into the identity provider.'),
      createdAt: time(),
      updatedAt: time(),
    },
    ['id', 'organizationId', 'name', 'provider', 'status', 'scimBaseUrl', 'createdAt', 'updatedAt'],
  ),
  DirectoryList: obj({ data: { type: 'array', items: { $ref: '#/components/schemas/Directory' } } }),
  CreatedDirectory: obj({
    directory: { $ref: '#/components/schemas/Directory' },
    scimBaseUrl: str(),
    token: str('The SCIM bearer token (scimitar_scim_…). Shown only in this response; only its SHA-256 is stored.'),
  }),
  RotatedToken: obj({
    directoryId: str(),
    scimBaseUrl: str(),
    token: str('The new SCIM bearer token, shown only in this response.'),
    tokenId: str(),
    previousTokensExpireAt: { type: ['string', 'null'], format: 'date-time', description: 'When the earlier tokens stop working; null when revoked at once.' },
  }),
  DirectorySettings: obj({
    roles: obj(
      {
        prefix: str('Groups whose name starts with this (case-insensitively) grant the rest of the name as a role (Envi_Admin -> Admin).'),
        mappings: { type: 'array', items: { type: 'object', properties: { group: str('A group name, matched case-insensitively.'), role: str() }, required: ['group', 'role'], additionalProperties: false } },
      },
      ['mappings'],
    ),
    departmentGroups: obj({ enabled: { type: 'boolean', description: 'A user whose department becomes X joins the group named X (created if missing).' } }),
  }),
  DirectorySettingsUpdate: {
    type: 'object',
    additionalProperties: false,
    properties: {
      roles: {
        type: 'object',
        additionalProperties: false,
        properties: { prefix: { type: ['string', 'null'], maxLength: 100, description: 'null or "" removes it.' }, mappings: { type: 'array', maxItems: 500, items: { type: 'object', properties: { group: str('A group name, matched case-insensitively.'), role: str() }, required: ['group', 'role'], additionalProperties: false } } },
      },
      departmentGroups: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
    },
  },
  DirectoryUser: obj(
    {
      id: str('usr_…'),
      directoryId: str(),
      organizationId: str(),
      idpId: nullableStr('The IdP\'s own id (SCIM externalId).'),
      userName: str(),
      email: nullableStr('The primary email, else the first one.'),
      emails: { type: 'array', items: obj({ value: str(), type: nullableStr(), primary: { type: 'boolean' } }) },
      firstName: nullableStr(),
      lastName: nullableStr(),
      displayName: nullableStr(),
      state: { type: 'string', enum: ['active', 'inactive', 'deleted'] },
      title: nullableStr(),
      department: nullableStr(),
      employeeNumber: nullableStr(),
      costCenter: nullableStr(),
      organization: nullableStr(),
      division: nullableStr(),
      manager: {
        oneOf: [
          { type: 'null' },
          obj({ id: nullableStr('Our user id when the manager is a user of this directory.'), value: nullableStr('manager.value as the IdP sent it.'), displayName: nullableStr() }),
        ],
      },
      customAttributes: { type: 'object', description: 'Extension schemas other than the enterprise one, keyed by schema URN.', additionalProperties: true },
      groups: { type: 'array', items: groupRef },
      roles: { type: 'array', items: str() },
      raw: { type: 'object', description: 'The SCIM resource as the IdP last set it.', additionalProperties: true },
      source: { type: 'string', enum: ['scim', 'saml_jit'] },
      createdAt: time(),
      updatedAt: time(),
    },
  ),
  DirectoryGroup: obj({
    id: str('grp_…'),
    directoryId: str(),
    organizationId: str(),
    name: str(),
    idpId: nullableStr(),
    memberCount: { type: 'integer', minimum: 0 },
    roles: { type: 'array', items: str() },
    createdAt: time(),
    updatedAt: time(),
  }),
  UserPage: page('DirectoryUser', 'Pass as `after` for the next page; null at the end.'),
  GroupPage: page('DirectoryGroup', 'Pass as `after` for the next page; null at the end.'),
  UserRef: userRef,
  GroupRef: groupRef,
  DirectoryEvent: obj({
    id: str('evt_…; stable, use it to deduplicate.'),
    type: { type: 'string', enum: [...EVENT_TYPES] },
    sequence: { type: 'integer', description: 'Position in the directory\'s stream: strictly increasing, in commit order.' },
    occurredAt: time(),
    organizationId: str(),
    directoryId: str(),
    data: {
      description: 'user.*: {user, previous?}; group.created/updated/deleted: {group, previous?}; group.member_*: {group, user} (refs); user.role_*: {user, role}; directory.*: {directory, tokenId?, previousTokenExpiresAt?}.',
      oneOf: [
        obj({ user: { $ref: '#/components/schemas/DirectoryUser' }, previous: { type: 'object' } }, ['user']),
        obj({ group: { $ref: '#/components/schemas/DirectoryGroup' }, previous: { type: 'object' } }, ['group']),
        obj({ group: groupRef, user: userRef }),
        obj({ user: userRef, role: str() }),
        obj({ directory: { type: 'object' }, tokenId: str(), previousTokenExpiresAt: nullableStr() }, ['directory']),
      ],
    },
  }),
  EventsPage: obj({
    data: { type: 'array', items: { $ref: '#/components/schemas/DirectoryEvent' } },
    nextCursor: str('Always present: pass as `after` next time. Equal to `after` when nothing new.'),
  }),
  WebhookEndpoint: obj({
    id: str('whk_…'),
    organizationId: { type: ['string', 'null'], description: 'null: events of every organization.' },
    url: str(),
    eventTypes: { type: 'array', items: str(), description: 'Event types delivered, or ["*"].' },
    enabled: { type: 'boolean' },
    createdAt: time(),
    updatedAt: time(),
  }),
  WebhookEndpointList: obj({ data: { type: 'array', items: { $ref: '#/components/schemas/WebhookEndpoint' } } }),
  CreatedWebhookEndpoint: obj({
    endpoint: { $ref: '#/components/schemas/WebhookEndpoint' },
    secret: str('The signing secret (whsec_…), shown only in this response.'),
  }),
  DeliveryAttempt: obj({
    endpointId: str(),
    directoryId: str(),
    eventId: str(),
    eventSequence: { type: 'integer' },
    eventType: str(),
    attempt: { type: 'integer', description: '1 for the first try of this event at this endpoint.' },
    at: time(),
    statusCode: { type: ['integer', 'null'], description: 'null when no response came (timeout, refused connection).' },
    durationMs: { type: 'number' },
    error: nullableStr(),
    outcome: { type: 'string', description: 'delivered, failed (will retry), dead (last try failed) or redelivered.' },
  }),
  DeliveryAttemptList: obj({ data: { type: 'array', items: { $ref: '#/components/schemas/DeliveryAttempt' } } }),
  DeadLetter: obj({
    endpointId: str(),
    directoryId: str(),
    eventId: str(),
    eventSequence: { type: 'integer' },
    eventType: str(),
    attempts: { type: 'integer' },
    lastError: nullableStr(),
    diedAt: time(),
    redeliverRequestedAt: { type: ['string', 'null'], format: 'date-time' },
    redeliveredAt: { type: ['string', 'null'], format: 'date-time' },
  }),
  DeadLetterList: obj({ data: { type: 'array', items: { $ref: '#/components/schemas/DeadLetter' } } }),
  RedeliveryResult: obj({ queued: { type: 'integer', description: 'How many dead letters were queued for another try.' } }),
} satisfies Record<string, JsonSchema>;
