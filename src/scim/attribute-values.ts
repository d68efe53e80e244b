/**
 * Shared by patch-apply.ts and resource-input.ts: JSON helpers, how a key of a client's object
 * names an attribute (plain, dotted, URN-qualified, extension object), and type-checking of
 * values against RFC 7643 §2.3 definitions, including the IdP quirks of ./quirks/.
 */
import { err, ok, type Result } from '../domain/result.js';
import { problem, type Problem } from '../domain/errors.js';
import { parsePatchPath } from './filter-parser.js';
import { normalizeEntraBoolean, normalizeEntraManager } from './quirks/entra.js';
import { isExtensionUrn, RESOURCE_SCHEMAS, resolveAttribute, schemaOf, type ResolvedAttribute } from './schemas.js';
import type { AttributeDefinition, JsonObject, JsonValue, PatchPath, ResourceTypeName } from './types.js';
import { URN } from './urns.js';

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The key of `obj` equal to `name` ignoring case (RFC 7643 §2.1), preferring an exact match. */
export function findKey(obj: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  return Object.keys(obj).find((k) => sameName(k, name));
}

/** Moves a differently-cased key to `canonical` and returns the value there, if any. */
export function canonicalizeKey(obj: JsonObject, canonical: string): JsonValue | undefined {
  const key = findKey(obj, canonical);
  if (key === undefined) return undefined;
  if (key !== canonical) {
    obj[canonical] = obj[key];
    delete obj[key];
  }
  return obj[canonical];
}

export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The password is write-only (RFC 7643 §4.1.1) and Scimitar never stores one. */
export const isPassword = (resolved: ResolvedAttribute): boolean =>
  resolved.schema === URN.user && resolved.def.name === 'password';

/** What one key of a client's attribute object (a path-less PATCH value, a POST/PUT body) names. */
export type KeyTarget =
  | { kind: 'schemas' }
  /** A known extension schema URN whose value is an object of that schema's attributes. */
  | { kind: 'extension'; urn: string }
  /** The resource type's own core URN used as a key: its value holds core attributes. */
  | { kind: 'core'; urn: string }
  /** A known attribute, possibly dotted (`name.givenName`), URN-qualified or filtered. */
  | { kind: 'attribute'; path: PatchPath; resolved: ResolvedAttribute }
  /**
   * A `urn:` key we have no schema for (custom extensions such as Okta's or Entra's). An object
   * value is kept as a whole extension object under `container`; a scalar is one attribute
   * (`urn:…:User:costCenter`) kept as `resource[container][attr]`, the RFC 7643 §3.3 form.
   */
  | { kind: 'unknownUrn'; container: string; attr?: string; sub?: string }
  | { kind: 'unknown' };

export function classifyKey(resourceType: ResourceTypeName, key: string, value: JsonValue | undefined): KeyTarget {
  if (sameName(key, 'schemas')) return { kind: 'schemas' };
  const core = RESOURCE_SCHEMAS[resourceType].core.id;
  if (sameName(key, core)) return { kind: 'core', urn: core };
  if (isExtensionUrn(resourceType, key)) return { kind: 'extension', urn: schemaOf(resourceType, key)?.id ?? key };

  const parsed = parsePatchPath(key);
  if (!parsed.ok) return /^urn:/i.test(key) ? { kind: 'unknownUrn', container: key } : { kind: 'unknown' };
  const path = parsed.value;
  const resolved = resolveAttribute(resourceType, path.attr);
  if (resolved) {
    if (path.sub !== undefined) {
      // `emails[type eq "work"].value`: the sub-attribute follows the filter.
      const subDef = resolved.def.subAttributes?.find((d) => sameName(d.name, path.sub ?? ''));
      if (!subDef) return { kind: 'unknown' };
      return { kind: 'attribute', path, resolved: { ...resolved, subDef } };
    }
    return { kind: 'attribute', path, resolved };
  }
  return classifyUnknownUrn(resourceType, key, path, value);
}

/** See KeyTarget.unknownUrn; shared with PATCH paths so both name the same storage. */
export function classifyUnknownUrn(
  resourceType: ResourceTypeName,
  text: string,
  path: PatchPath,
  value: JsonValue | undefined,
): KeyTarget {
  const uri = path.attr.uri;
  // A known schema with an unknown attribute is a client error, not a custom extension.
  if (uri === undefined || schemaOf(resourceType, uri) || path.filter) return { kind: 'unknown' };
  if (path.attr.sub === undefined && isObject(value)) return { kind: 'unknownUrn', container: text };
  const target: KeyTarget = { kind: 'unknownUrn', container: uri, attr: path.attr.attr };
  if (path.attr.sub !== undefined) target.sub = path.attr.sub;
  return target;
}

/**
 * Checks `value` against `def` and returns it in canonical form: sub-attribute names in the
 * schema's case, unknown and readOnly sub-attributes dropped (the server owns those, e.g.
 * manager.displayName), the Entra quirks applied. `undefined` means unassigned: RFC 7643 §2.5
 * treats null, an empty array and an empty complex value as "no value".
 * `element` checks one value of a multi-valued attribute instead of the whole list.
 */
export function coerceValue(
  def: AttributeDefinition,
  value: JsonValue,
  label: string,
  element = false,
): Result<JsonValue | undefined, Problem> {
  if (value === null) return ok(undefined);
  if (def.multiValued && !element) {
    // A single value where a list is expected is accepted as a one-element list.
    const list = Array.isArray(value) ? value : [value];
    const out: JsonValue[] = [];
    for (const item of list) {
      const r = coerceValue(def, item, label, true);
      if (!r.ok) return r;
      if (r.value !== undefined) out.push(r.value);
    }
    return ok(out.length > 0 ? settlePrimary(out, []) : undefined);
  }
  if (Array.isArray(value)) return err(problem('invalid_value', `Attribute "${label}" must be a single value, not an array`));
  if (def.type === 'complex') return coerceComplex(def, value, label);
  return coerceSimple(def, value, label);
}

function coerceComplex(def: AttributeDefinition, raw: JsonValue, label: string): Result<JsonValue | undefined, Problem> {
  const value = def.name === 'manager' ? normalizeEntraManager(raw) : raw;
  if (!isObject(value)) return err(problem('invalid_value', `Attribute "${label}" must be a complex value (an object)`));
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = def.subAttributes?.find((d) => sameName(d.name, key));
    if (!sub || sub.mutability === 'readOnly') continue;
    const r = coerceValue(sub, v, `${label}.${sub.name}`);
    if (!r.ok) return r;
    if (r.value !== undefined) out[sub.name] = r.value;
  }
  return ok(Object.keys(out).length > 0 ? out : undefined);
}

function coerceSimple(def: AttributeDefinition, raw: JsonValue, label: string): Result<JsonValue | undefined, Problem> {
  const wrong = (what: string) => err(problem('invalid_value', `Attribute "${label}" must be ${what}`));
  switch (def.type) {
    case 'boolean': {
      const value = normalizeEntraBoolean(raw);
      return typeof value === 'boolean' ? ok(value) : wrong('a boolean');
    }
    case 'integer':
      return typeof raw === 'number' && Number.isInteger(raw) ? ok(raw) : wrong('an integer');
    case 'decimal':
      return typeof raw === 'number' && Number.isFinite(raw) ? ok(raw) : wrong('a number');
    case 'dateTime':
      // RFC 7643 §2.3.5: an xsd:dateTime; Date.parse accepts every such string.
      return typeof raw === 'string' && !Number.isNaN(Date.parse(raw)) ? ok(raw) : wrong('a dateTime string');
    case 'complex':
      return wrong('a complex value');
    default:
      return typeof raw === 'string' ? ok(raw) : wrong('a string');
  }
}

/**
 * RFC 7643 §2.4: "primary" is true for at most one value. Among `preferred` indices (the values
 * just written) the first with primary true wins; otherwise the first existing primary wins.
 * Mutates and returns `list`.
 */
export function settlePrimary(list: JsonValue[], preferred: number[]): JsonValue[] {
  const primaries = list.flatMap((v, i) => (isObject(v) && v.primary === true ? [i] : []));
  if (primaries.length === 0) return list;
  const winner = preferred.find((i) => primaries.includes(i)) ?? primaries[0];
  for (const i of primaries) if (i !== winner) (list[i] as JsonObject).primary = false;
  return list;
}

/** The object holding a schema's attributes: the resource for the core schema, else `resource[urn]`. */
export function containerFor(
  resourceType: ResourceTypeName,
  resource: JsonObject,
  schema: string,
  create: boolean,
): JsonObject | undefined {
  if (sameName(schema, RESOURCE_SCHEMAS[resourceType].core.id)) return resource;
  const existing = canonicalizeKey(resource, schema);
  if (isObject(existing)) return existing;
  if (!create) return undefined;
  const made: JsonObject = {};
  resource[schema] = made;
  return made;
}

/**
 * RFC 7643 §3: `schemas` lists the core URN and each extension present. Empty extension objects
 * are removed first so a removed last extension attribute also drops its URN.
 */
export function syncSchemas(resourceType: ResourceTypeName, resource: JsonObject): void {
  const { core } = RESOURCE_SCHEMAS[resourceType];
  const present: string[] = [];
  for (const key of Object.keys(resource)) {
    if (!/^urn:/i.test(key) || !isObject(resource[key])) continue;
    if (Object.keys(resource[key] as JsonObject).length === 0) delete resource[key];
    else present.push(key);
  }
  const schemasKey = findKey(resource, 'schemas');
  if (schemasKey !== undefined) delete resource[schemasKey];
  // `schemas` first, the way every RFC example and IdP writes it.
  const rest = { ...resource };
  for (const k of Object.keys(resource)) delete resource[k];
  Object.assign(resource, { schemas: [core.id, ...present] }, rest);
}

/** RFC 7643 §2.2 "required": userName (§4.1.1) and Group displayName must hold a non-blank string. */
export function checkRequired(resourceType: ResourceTypeName, resource: JsonObject): Result<void, Problem> {
  for (const def of RESOURCE_SCHEMAS[resourceType].core.attributes) {
    if (!def.required) continue;
    const value = resource[def.name];
    if (typeof value !== 'string' || value.trim() === '') {
      return err(problem('invalid_value', `Attribute "${def.name}" is required and must be a non-empty string`));
    }
  }
  return ok(undefined);
}
