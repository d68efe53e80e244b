/**
 * Writes one value to one resolved attribute target, with the add/replace/remove semantics of
 * RFC 7644 §3.5.2.1-3: whole attributes, sub-attributes and value-path filtered elements.
 * Used by patch-apply.ts (PATCH) and resource-input.ts (POST/PUT bodies, as path-less adds).
 */
import { err, ok, type Result } from '../domain/result.js';
import { problem, type Problem } from '../domain/errors.js';
import {
  canonicalizeKey,
  classifyKey,
  coerceValue,
  containerFor,
  deepEqual,
  findKey,
  isObject,
  isPassword,
  sameName,
  settlePrimary,
  type KeyTarget,
} from './attribute-values.js';
import { matchesFilter } from './filter-eval.js';
import { findSubAttribute, resolveAttribute, type ResolvedAttribute } from './schemas.js';
import type { AttributeDefinition, Filter, JsonObject, JsonValue, PatchOpName, ResourceTypeName } from './types.js';

export interface Target {
  resolved: ResolvedAttribute;
  /** Value-path filter on a multi-valued attribute (`emails[type eq "work"]`). */
  filter?: Filter;
}

type Unit = Result<void, Problem>;
const done: Unit = ok(undefined);
const fail = (code: Problem['code'], detail: string): Unit => err(problem(code, detail));

/** How readOnly attributes in an attribute object are treated: PATCH refuses, POST/PUT ignore (RFC 7644 §3.5.1). */
export type ReadOnlyPolicy = 'reject' | 'drop';

/**
 * Applies an object of attributes (a path-less add/replace value, RFC 7644 §3.5.2.1/§3.5.2.3, or a
 * POST/PUT body) to `resource`. Keys are case-insensitive and may be dotted (`name.givenName`)
 * or URN-qualified, both of which Entra sends. Unknown non-URN keys are ignored: a path-less
 * value names no single target to report, and IdPs send attributes a server may not support.
 */
export function assignAttributes(
  resourceType: ResourceTypeName,
  resource: JsonObject,
  op: 'add' | 'replace',
  value: JsonObject,
  readOnly: ReadOnlyPolicy,
): Unit {
  for (const [key, v] of Object.entries(value)) {
    const r = assignKey(resourceType, resource, op, key, v, classifyKey(resourceType, key, v), readOnly);
    if (!r.ok) return r;
  }
  return done;
}

function assignKey(
  resourceType: ResourceTypeName,
  resource: JsonObject,
  op: 'add' | 'replace',
  key: string,
  v: JsonValue,
  target: KeyTarget,
  readOnly: ReadOnlyPolicy,
): Unit {
  switch (target.kind) {
    case 'schemas':
    case 'unknown':
      return done;
    case 'core':
      if (!isObject(v)) return fail('invalid_value', `"${key}" must be an object of attributes`);
      return assignAttributes(resourceType, resource, op, v, readOnly);
    case 'extension':
      return assignExtension(resourceType, resource, op, target.urn, v, readOnly);
    case 'unknownUrn':
      return writeUnknownUrn(resource, op, target, v);
    case 'attribute': {
      const { resolved } = target;
      if (isPassword(resolved)) return done;
      if (resolved.def.mutability === 'readOnly') {
        // Okta renames a group with {"op":"replace","value":{"id":"<same id>","displayName":"New"}}.
        const harmless = resolved.def.name === 'id' && v === resource.id;
        if (readOnly === 'drop' || harmless) return done;
        return fail('mutability', `Attribute "${resolved.def.name}" is readOnly`);
      }
      if (resolved.subDef?.mutability === 'readOnly') {
        if (readOnly === 'drop') return done;
        return fail('mutability', `Attribute "${resolved.def.name}.${resolved.subDef.name}" is readOnly`);
      }
      const t: Target = { resolved };
      if (target.path.filter) t.filter = target.path.filter;
      return applyTarget(resourceType, resource, op, t, v);
    }
  }
}

/** An extension object (`"urn:…:enterprise:2.0:User": {...}`): each attribute is added/replaced. */
export function assignExtension(
  resourceType: ResourceTypeName,
  resource: JsonObject,
  op: 'add' | 'replace',
  urn: string,
  v: JsonValue | undefined,
  readOnly: ReadOnlyPolicy,
): Unit {
  if (v === null || v === undefined) {
    // RFC 7643 §2.5: null is unassigned; replacing the extension with null clears it.
    if (op === 'replace') removeKey(resource, urn);
    return done;
  }
  if (!isObject(v)) return fail('invalid_value', `"${urn}" must be an object of extension attributes`);
  for (const [key, sv] of Object.entries(v)) {
    const resolved = resolveAttribute(resourceType, { uri: urn, attr: key });
    if (!resolved) continue;
    const r = assignKey(resourceType, resource, op, key, sv, { kind: 'attribute', path: { attr: { uri: urn, attr: key } }, resolved }, readOnly);
    if (!r.ok) return r;
  }
  return done;
}

export function removeKey(obj: JsonObject, name: string): void {
  const key = findKey(obj, name);
  if (key !== undefined) delete obj[key];
}

/** Custom extension data we have no schema for is kept as sent (see KeyTarget.unknownUrn). */
export function writeUnknownUrn(
  resource: JsonObject,
  op: PatchOpName,
  target: Extract<KeyTarget, { kind: 'unknownUrn' }>,
  value: JsonValue | undefined,
): Unit {
  const key = findKey(resource, target.container) ?? target.container;
  const existing = resource[key];
  const clear = op === 'remove' || value === null || value === undefined;
  if (target.attr === undefined) {
    if (clear) delete resource[key];
    else resource[key] = isObject(existing) && isObject(value) ? { ...existing, ...value } : (value as JsonValue);
    return done;
  }
  const container: JsonObject = isObject(existing) ? existing : {};
  if (!isObject(existing)) {
    if (clear) return done;
    resource[key] = container;
  }
  if (target.sub === undefined) {
    if (clear) delete container[target.attr];
    else container[target.attr] = value as JsonValue;
    return done;
  }
  const inner = container[target.attr];
  if (clear) {
    if (isObject(inner)) delete inner[target.sub];
    return done;
  }
  container[target.attr] = { ...(isObject(inner) ? inner : {}), [target.sub]: value as JsonValue };
  return done;
}

export function applyTarget(
  resourceType: ResourceTypeName,
  resource: JsonObject,
  op: PatchOpName,
  target: Target,
  value: JsonValue | undefined,
): Unit {
  const { schema, def, subDef } = target.resolved;
  if (resourceType === 'Group' && def.name === 'members') {
    // Group members are split out by group-membership-patch.ts and applied by the store.
    return fail('internal', 'Group members must be applied through splitGroupPatch, not as an attribute');
  }
  const container = containerFor(resourceType, resource, schema, op !== 'remove');
  if (!container) return done; // removing from an extension that is not there
  const current = canonicalizeKey(container, def.name);
  const label = subDef ? `${def.name}.${subDef.name}` : def.name;
  if (target.filter) return applyFiltered(resourceType, container, def, subDef, target.filter, op, value, label);
  if (subDef) return applySub(container, def, subDef, op, value, label);

  if (op === 'remove') {
    if (def.multiValued && value !== undefined && value !== null) return removeListed(container, def, value, label);
    delete container[def.name];
    return done;
  }
  const r = coerceValue(def, value ?? null, label);
  if (!r.ok) return r;
  const next = r.value;
  if (next === undefined) {
    // RFC 7643 §2.5: assigning null (or []) leaves the attribute unassigned.
    if (op === 'replace') delete container[def.name];
    return done;
  }
  if (def.mutability === 'immutable' && current !== undefined && !deepEqual(current, next)) {
    return fail('mutability', `Attribute "${label}" is immutable`);
  }
  if (def.multiValued) {
    // RFC 7644 §3.5.2.1: add appends values not already present; §3.5.2.3: replace replaces all.
    container[def.name] = op === 'add' && Array.isArray(current) ? mergeList(current, next as JsonValue[]) : next;
  } else if (def.type === 'complex' && isObject(current) && isObject(next) && !replacesReference(def, op, next)) {
    // RFC 7644 §3.5.2.3: sub-attributes not named in the value are left unchanged.
    container[def.name] = { ...current, ...next };
  } else {
    container[def.name] = next;
  }
  return done;
}

/**
 * A complex value with a `value` sub-attribute (manager) points at another resource; replacing
 * that pointer must not keep the old `$ref` or display name, so it is replaced whole.
 */
const replacesReference = (def: AttributeDefinition, op: PatchOpName, next: JsonObject): boolean =>
  op === 'replace' && findSubAttribute(def, 'value') !== undefined && next.value !== undefined;

const withoutPrimary = (v: JsonValue): JsonValue => {
  if (!isObject(v)) return v;
  const { primary: _primary, ...rest } = v;
  return rest;
};

/** Appends the values not already present; a re-sent value may still become primary. */
function mergeList(current: JsonValue[], incoming: JsonValue[]): JsonValue[] {
  const list = [...current];
  const written: number[] = [];
  for (const value of incoming) {
    const at = list.findIndex((e) => deepEqual(withoutPrimary(e), withoutPrimary(value)));
    if (at < 0) {
      list.push(value);
      written.push(list.length - 1);
    } else if (isObject(value) && value.primary === true && isObject(list[at])) {
      (list[at] as JsonObject).primary = true;
      written.push(at);
    }
  }
  return settlePrimary(list, written);
}

/** `remove` with a value list on a multi-valued attribute removes the listed values. */
function removeListed(container: JsonObject, def: AttributeDefinition, value: JsonValue, label: string): Unit {
  const r = coerceValue(def, value, label);
  if (!r.ok) return r;
  const listed = (r.value ?? []) as JsonValue[];
  const current = container[def.name];
  if (!Array.isArray(current)) return done;
  const matches = (e: JsonValue, item: JsonValue): boolean =>
    isObject(item) && isObject(e) ? Object.keys(item).every((k) => deepEqual(e[k], item[k])) : deepEqual(e, item);
  setList(container, def, current.filter((e) => !listed.some((item) => matches(e, item))));
  return done;
}

/** RFC 7644 §3.5.2.2: a multi-valued attribute left with no values is unassigned. */
function setList(container: JsonObject, def: AttributeDefinition, list: JsonValue[]): void {
  if (list.length === 0) delete container[def.name];
  else container[def.name] = list;
}

/** `name.givenName` (complex) or `emails.value` (every element of a multi-valued attribute). */
function applySub(
  container: JsonObject,
  def: AttributeDefinition,
  subDef: AttributeDefinition,
  op: PatchOpName,
  value: JsonValue | undefined,
  label: string,
): Unit {
  const current = container[def.name];
  let next: JsonValue | undefined;
  if (op !== 'remove') {
    const r = coerceValue(subDef, value ?? null, label);
    if (!r.ok) return r;
    next = r.value;
  }
  const write = (obj: JsonObject) => {
    if (next === undefined) delete obj[subDef.name];
    else obj[subDef.name] = next;
  };
  if (def.multiValued) {
    const list = Array.isArray(current) ? current : [];
    if (list.length === 0 && next !== undefined) {
      container[def.name] = [{ [subDef.name]: next }];
      return done;
    }
    for (const e of list) if (isObject(e)) write(e);
    setList(container, def, settlePrimary(list.filter((e) => !isObject(e) || Object.keys(e).length > 0), []));
    return done;
  }
  if (isObject(current)) {
    write(current);
    if (Object.keys(current).length === 0) delete container[def.name];
  } else if (next !== undefined) {
    container[def.name] = { [subDef.name]: next };
  }
  return done;
}

/** `emails[type eq "work"]` and `emails[type eq "work"].value`. */
function applyFiltered(
  resourceType: ResourceTypeName,
  container: JsonObject,
  def: AttributeDefinition,
  subDef: AttributeDefinition | undefined,
  filter: Filter,
  op: PatchOpName,
  value: JsonValue | undefined,
  label: string,
): Unit {
  const current = container[def.name];
  const list = Array.isArray(current) ? [...current] : [];
  const matched = list.flatMap((e, i) => (isObject(e) && matchesFilter(resourceType, e, filter, def) ? [i] : []));

  let next: JsonValue | undefined;
  if (op !== 'remove') {
    const r = subDef ? coerceValue(subDef, value ?? null, label) : coerceValue(def, value ?? null, label, true);
    if (!r.ok) return r;
    next = r.value;
  }
  if (next === undefined) {
    // remove, or add/replace with null: RFC 7644 §3.5.2.2 removes the matched values (or the
    // matched sub-attribute); matching nothing removes nothing.
    if (subDef) for (const i of matched) delete (list[i] as JsonObject)[subDef.name];
    setList(container, def, subDef ? list : list.filter((_, i) => !matched.includes(i)));
    return done;
  }
  const patch: JsonObject = subDef ? { [subDef.name]: next } : (next as JsonObject);

  if (matched.length > 0) {
    for (const i of matched) list[i] = { ...(list[i] as JsonObject), ...patch };
    container[def.name] = settlePrimary(list, matched);
    return done;
  }
  // RFC 7644 §3.5.2.3: a replace whose filter matches nothing fails with noTarget.
  // Entra adds `emails[type eq "work"].value` for a user without a work email: create the element
  // from the filter's equality constraints when the filter is nothing but `eq` joined by `and`.
  const template = op === 'add' ? templateFromFilter(filter, def) : undefined;
  if (!template) return fail('no_target', `No value of "${def.name}" matches the filter`);
  list.push({ ...template, ...patch });
  container[def.name] = settlePrimary(list, [list.length - 1]);
  return done;
}

function templateFromFilter(filter: Filter, def: AttributeDefinition): JsonObject | undefined {
  if (filter.op === 'and') {
    const left = templateFromFilter(filter.left, def);
    const right = templateFromFilter(filter.right, def);
    return left && right ? { ...left, ...right } : undefined;
  }
  if (filter.op !== 'eq' || filter.path.sub !== undefined || filter.value === null) return undefined;
  const sub = def.subAttributes?.find((d) => sameName(d.name, filter.path.attr));
  if (!sub || sub.type === 'complex') return undefined;
  const r = coerceValue(sub, filter.value, `${def.name}.${sub.name}`);
  return r.ok && r.value !== undefined ? { [sub.name]: r.value } : undefined;
}
