/**
 * The discovery documents (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas,
 * built from the schema data so what we advertise is what we accept.
 */
import { ALL_SCHEMAS, COMMON_ATTRIBUTES, RESOURCE_SCHEMAS } from './schemas.js';
import type { JsonObject, JsonValue, SchemaDefinition } from './types.js';
import { URN } from './urns.js';

export interface DiscoveryOptions {
  /** The directory's SCIM base URL. */
  baseUrl: string;
  maxPageSize: number;
  maxBodyBytes: number;
  documentationUri?: string;
}

export function serviceProviderConfig(o: DiscoveryOptions): JsonObject {
  return {
    schemas: [URN.serviceProviderConfig],
    ...(o.documentationUri ? { documentationUri: o.documentationUri } : {}),
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: o.maxPageSize },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description:
          'The bearer token issued for this directory: Authorization: Bearer <token>, or the token alone (Okta Header Auth).',
        primary: true,
      },
      {
        type: 'httpbasic',
        name: 'HTTP Basic',
        description: 'HTTP Basic with any user name and the directory token as the password.',
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${o.baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string): JsonObject[] {
  return (['User', 'Group'] as const).map((name) => ({
    schemas: [URN.resourceType],
    id: name,
    name,
    endpoint: `/${name}s`,
    description: name === 'User' ? 'User Account' : 'Group',
    schema: RESOURCE_SCHEMAS[name].core.id,
    schemaExtensions: RESOURCE_SCHEMAS[name].extensions.map((e) => ({ schema: e.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${name}` },
  }));
}

export function schemaDocument(schema: SchemaDefinition, baseUrl: string): JsonObject {
  const isCore = schema.id === URN.user || schema.id === URN.group;
  return {
    schemas: [URN.schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    // The common attributes (id, externalId, meta) belong to no schema (RFC 7643 §3.1); Okta's
    // and Entra's validators still look for them on the core schemas, so we list them there.
    attributes: (isCore ? [...schema.attributes, ...COMMON_ATTRIBUTES.filter((a) => a.name !== 'meta')] : schema.attributes) as unknown as JsonValue,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export function schemaDocuments(baseUrl: string): JsonObject[] {
  return ALL_SCHEMAS.map((s) => schemaDocument(s, baseUrl));
}

export function findSchemaDocument(urn: string, baseUrl: string): JsonObject | undefined {
  const schema = ALL_SCHEMAS.find((s) => s.id.toLowerCase() === urn.toLowerCase());
  return schema ? schemaDocument(schema, baseUrl) : undefined;
}
