/** GET /ServiceProviderConfig, /ResourceTypes[/name], /Schemas[/urn] (RFC 7644 §4). */
import { ServiceError } from '../../domain/errors.js';
import { findSchemaDocument, resourceTypes, schemaDocuments, serviceProviderConfig } from '../../scim/discovery.js';
import { listResponse } from '../../scim/resource-output.js';
import type { HttpResponse } from '../types.js';
import { scimJson, type RouteInput } from './handler.js';
import type { ScimRoute } from './routes.js';

export interface DiscoverySettings {
  maxBodyBytes: number;
}

export async function handleDiscovery(r: ScimRoute, input: RouteInput): Promise<HttpResponse> {
  const { baseUrl, ctx } = input;
  switch (r.kind) {
    case 'serviceProviderConfig':
      return scimJson(200, serviceProviderConfig({ baseUrl, maxPageSize: ctx.settings.maxPageSize, maxBodyBytes: 0 }));
    case 'resourceTypes': {
      const all = resourceTypes(baseUrl);
      if (!r.name) return scimJson(200, listResponse(all, all.length, 1));
      const one = all.find((t) => String(t['id']).toLowerCase() === r.name!.toLowerCase());
      if (!one) throw new ServiceError('not_found', `no resource type named ${r.name}`);
      return scimJson(200, one);
    }
    case 'schemas': {
      if (!r.urn) {
        const all = schemaDocuments(baseUrl);
        return scimJson(200, listResponse(all, all.length, 1));
      }
      const one = findSchemaDocument(r.urn, baseUrl);
      if (!one) throw new ServiceError('not_found', `no schema ${r.urn}`);
      return scimJson(200, one);
    }
    default:
      throw new ServiceError('not_found', 'no such SCIM endpoint');
  }
}
