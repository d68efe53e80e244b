/**
 * Normalizes POST and PUT bodies (RFC 7644 §3.3, §3.5.1) into the canonical resource Scimitar
 * stores: known names in schema case, readOnly attributes and passwords dropped, values
 * type-checked, `schemas` recomputed. Group members come back separately, as ids.
 */
import { err, ok, type Result } from '../domain/result.js';
import { problem, type Problem } from '../domain/errors.js';
import { checkRequired, findKey, isObject, syncSchemas } from './attribute-values.js';
import { memberIds } from './group-membership-patch.js';
import { assignAttributes } from './patch-targets.js';
import type { JsonObject, ResourceTypeName } from './types.js';

function normalize(resourceType: ResourceTypeName, body: JsonObject): Result<JsonObject, Problem> {
  // Clients may omit `schemas` (we know the resource type from the endpoint); if sent, it must
  // be what RFC 7643 §3 says: an array of URN strings.
  const schemasKey = findKey(body, 'schemas');
  if (schemasKey !== undefined) {
    const schemas = body[schemasKey];
    if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) {
      return err(problem('invalid_syntax', '"schemas" must be an array of strings'));
    }
  }
  // The body is applied as a path-less add onto an empty resource, so POST and PATCH share one
  // set of rules for names, types and quirks. RFC 7644 §3.5.1: readOnly values are ignored.
  const resource: JsonObject = {};
  const assigned = assignAttributes(resourceType, resource, 'add', body, 'drop');
  if (!assigned.ok) return assigned;
  const required = checkRequired(resourceType, resource);
  if (!required.ok) return required;
  syncSchemas(resourceType, resource);
  return ok(resource);
}

/** A POST/PUT /Users body. `userName` is required (RFC 7643 §4.1.1). */
export function normalizeUserInput(body: unknown): Result<JsonObject, Problem> {
  if (!isObject(body)) return err(problem('invalid_syntax', 'User body must be a JSON object'));
  return normalize('User', body);
}

/**
 * A POST/PUT /Groups body. `members` is removed from the resource and returned as ids:
 * `undefined` when the body has no `members` key (what that means for a PUT is the caller's
 * decision), `[]` when it is null or empty. Group `displayName` is required (RFC 7643 §4.2).
 */
export function normalizeGroupInput(body: unknown): Result<{ resource: JsonObject; members: string[] | undefined }, Problem> {
  if (!isObject(body)) return err(problem('invalid_syntax', 'Group body must be a JSON object'));
  const rest: JsonObject = {};
  let members: string[] | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() !== 'members') {
      rest[key] = value;
      continue;
    }
    const ids = memberIds(value, `"${key}"`);
    if (!ids.ok) return ids;
    members = [...new Set([...(members ?? []), ...ids.value])];
  }
  const resource = normalize('Group', rest);
  if (!resource.ok) return resource;
  return ok({ resource: resource.value, members });
}
