/**
 * Manager links (Auzmor, Okta): RFC 7643 §4.3 makes the enterprise `manager.displayName`
 * readOnly, so resource normalization drops it, but these IdPs send it (Auzmor asks for the
 * manager's email there) and the host app wants it when the manager is not provisioned. We keep
 * what the IdP sent in the stored resource, so the normalized user's `manager.displayName` is it.
 * (The link itself, manager.id, is resolved when a view is built: directory/views.ts.)
 */
import type { JsonObject, JsonValue } from '../../domain/json.js';
import { URN } from '../../scim/urns.js';

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const ENTERPRISE = URN.enterpriseUser.toLowerCase();

function managerOf(resource: JsonObject): JsonObject | undefined {
  const key = Object.keys(resource).find((k) => k.toLowerCase() === ENTERPRISE);
  const enterprise = key === undefined ? undefined : resource[key];
  if (!isObject(enterprise)) return undefined;
  const managerKey = Object.keys(enterprise).find((k) => k.toLowerCase() === 'manager');
  const manager = managerKey === undefined ? undefined : enterprise[managerKey];
  return isObject(manager) ? manager : undefined;
}

function displayNameOf(manager: JsonObject | undefined): string | undefined {
  if (!manager) return undefined;
  const key = Object.keys(manager).find((k) => k.toLowerCase() === 'displayname');
  const value = key === undefined ? undefined : manager[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function valueOf(manager: JsonObject | undefined): JsonValue | undefined {
  return manager?.['value'];
}

/**
 * The manager.displayName a PATCH body sets, in the two shapes IdPs send: a path-less add or
 * replace carrying the enterprise object (Okta), or a path naming the enterprise manager with an
 * object value. The PATCH engine drops it as readOnly; the last operation that sets it wins.
 */
export function managerDisplayNameInPatch(body: unknown): string | undefined {
  if (!isObject(body as JsonValue)) return undefined;
  const opsKey = Object.keys(body as JsonObject).find((k) => k.toLowerCase() === 'operations');
  const ops = opsKey === undefined ? undefined : (body as JsonObject)[opsKey];
  if (!Array.isArray(ops)) return undefined;
  let found: string | undefined;
  for (const op of ops) {
    if (!isObject(op) || !/^(add|replace)$/i.test(String(op['op'] ?? ''))) continue;
    const path = typeof op['path'] === 'string' ? op['path'].trim().toLowerCase() : undefined;
    const value = op['value'];
    let name: string | undefined;
    if (path === undefined && isObject(value)) name = displayNameOf(managerOf(value));
    else if (path === `${ENTERPRISE}:manager` && isObject(value)) name = displayNameOf(value);
    if (name !== undefined) found = name;
  }
  return found;
}

/**
 * `normalized` with the manager.displayName that `sent` carries. `sent` is the body of a POST/PUT,
 * or the resource a PATCH produced before normalization. With `previous` (a PATCH), a kept
 * displayName that belonged to an earlier manager is dropped when only manager.value changed.
 * Returns `normalized` itself when there is nothing to keep.
 */
export function keepManagerDisplayName(sent: JsonValue, normalized: JsonObject, previous?: JsonObject): JsonObject {
  if (!isObject(sent)) return normalized;
  return withManagerDisplayName(normalized, displayNameOf(managerOf(sent)), previous);
}

/** `normalized` whose manager object (if any) gets `displayName`; see keepManagerDisplayName for `previous`. */
export function withManagerDisplayName(normalized: JsonObject, displayName: string | undefined, previous?: JsonObject): JsonObject {
  const target = managerOf(normalized);
  if (displayName === undefined || !target) return normalized;
  if (previous) {
    const before = managerOf(previous);
    if (JSON.stringify(valueOf(before)) !== JSON.stringify(valueOf(target)) && displayNameOf(before) === displayName) return normalized;
  }
  // The normalized resource is a fresh object of ours: only its manager object is replaced.
  const key = Object.keys(normalized).find((k) => k.toLowerCase() === ENTERPRISE)!;
  const enterprise = normalized[key] as JsonObject;
  const managerKey = Object.keys(enterprise).find((k) => k.toLowerCase() === 'manager')!;
  return { ...normalized, [key]: { ...enterprise, [managerKey]: { ...target, displayName } } };
}
