/**
 * Evaluates a parsed filter (RFC 7644 §3.4.2.2) against an in-memory JSON resource or against one
 * element of a multi-valued attribute (PATCH value paths, RFC 7644 §3.5.2). Pure: the SQL stores
 * translate filters themselves; this is the reference semantics they are tested against.
 */
import { findSubAttribute, isExtensionUrn, resolveAttribute, schemaOf } from './schemas.js';
import type { AttrPath, AttributeDefinition, CompareOp, Filter, JsonObject, JsonPrimitive, JsonValue, ResourceTypeName } from './types.js';

/**
 * Where paths are resolved: against the resource type's schemas (top level), or among the
 * sub-attributes of one complex attribute (`parent` unknown when the attribute has no definition).
 */
type Scope = { kind: 'resource' } | { kind: 'element'; parent?: AttributeDefinition };

interface Located {
  /** The attribute's values, multi-valued ones flattened; null and absent give none. */
  values: JsonValue[];
  /** The definition of what `values` hold (the sub-attribute when the path has one). */
  def?: AttributeDefinition;
}

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7643 §2.1: attribute names are case-insensitive; an exact key wins over a case-folded one. */
function getCi(obj: JsonObject, name: string): JsonValue | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

const flatten = (v: JsonValue | undefined): JsonValue[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

function locate(resourceType: ResourceTypeName, scope: Scope, element: JsonObject, path: AttrPath): Located {
  let container: JsonValue | undefined = element;
  let attrDef: AttributeDefinition | undefined;
  let subDef: AttributeDefinition | undefined;
  if (scope.kind === 'resource') {
    const resolved = resolveAttribute(resourceType, path);
    attrDef = resolved?.def;
    subDef = resolved?.subDef;
    // RFC 7643 §3.3: extension attributes live under a key equal to the extension's URN.
    const schema = resolved?.schema ?? path.uri;
    if (schema !== undefined && isExtensionUrn(resourceType, schema)) container = getCi(element, schema);
    else if (schema !== undefined && !schemaOf(resourceType, schema)) container = getCi(element, schema);
  } else {
    attrDef = scope.parent ? findSubAttribute(scope.parent, path.attr) : undefined;
    subDef = attrDef && path.sub !== undefined ? findSubAttribute(attrDef, path.sub) : undefined;
  }
  const top = isObject(container) ? flatten(getCi(container, path.attr)) : [];
  if (path.sub === undefined) return { values: top, def: attrDef };
  const sub = path.sub;
  return { values: top.flatMap((item) => (isObject(item) ? flatten(getCi(item, sub)) : [])), def: subDef };
}

/** RFC 7644 §3.4.2.2 "pr": present and not null, not "", not an empty array or object. */
function isPresent(v: JsonValue): boolean {
  if (v === null || v === '') return false;
  if (Array.isArray(v)) return v.some(isPresent);
  if (isObject(v)) return Object.values(v).some(isPresent);
  return true;
}

/**
 * `emails co "x"` names a complex attribute without a sub-attribute: compare its "value"
 * sub-attribute, the one RFC 7643 §2.4 makes the primary content of multi-valued attributes.
 */
function comparable(found: Located): Located {
  if (!found.values.some(isObject)) return found;
  const values = found.values.flatMap((v) => (isObject(v) ? flatten(getCi(v, 'value')) : [v]));
  return { values, def: found.def ? findSubAttribute(found.def, 'value') : undefined };
}

/** Orders two strings as instants when the attribute is a dateTime (RFC 7643 §2.3.5), else by code units. */
function order(a: JsonPrimitive, b: JsonPrimitive, def: AttributeDefinition | undefined): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a !== 'string' || typeof b !== 'string') return undefined;
  if (def?.type === 'dateTime') {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    if (Number.isFinite(ta) && Number.isFinite(tb)) return Math.sign(ta - tb);
  }
  // RFC 7643 §2.2: caseExact defaults to false, so unknown attributes compare case-insensitively.
  const [x, y] = def?.caseExact ? [a, b] : [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareOne(op: CompareOp, actual: JsonValue, expected: JsonPrimitive, def: AttributeDefinition | undefined): boolean {
  if (typeof actual === 'object') return false; // a complex value or nested array never equals a literal
  switch (op) {
    case 'eq':
    case 'ne': {
      const equal = typeof actual === 'boolean' || typeof expected === 'boolean' ? actual === expected : order(actual, expected, def) === 0;
      return op === 'eq' ? equal : !equal;
    }
    case 'co':
    case 'sw':
    case 'ew': {
      if (typeof actual !== 'string' || typeof expected !== 'string') return false;
      const [x, y] = def?.caseExact ? [actual, expected] : [actual.toLowerCase(), expected.toLowerCase()];
      return op === 'co' ? x.includes(y) : op === 'sw' ? x.startsWith(y) : x.endsWith(y);
    }
    default: {
      // RFC 7644 §3.4.2.2: gt/ge/lt/le are undefined for boolean and binary attributes.
      if (def?.type === 'boolean' || def?.type === 'binary') return false;
      const o = order(actual, expected, def);
      if (o === undefined) return false;
      return op === 'gt' ? o > 0 : op === 'ge' ? o >= 0 : op === 'lt' ? o < 0 : o <= 0;
    }
  }
}

function evaluate(resourceType: ResourceTypeName, scope: Scope, element: JsonObject, filter: Filter): boolean {
  switch (filter.op) {
    case 'and':
      return evaluate(resourceType, scope, element, filter.left) && evaluate(resourceType, scope, element, filter.right);
    case 'or':
      return evaluate(resourceType, scope, element, filter.left) || evaluate(resourceType, scope, element, filter.right);
    case 'not':
      return !evaluate(resourceType, scope, element, filter.filter);
    case 'pr':
      return locate(resourceType, scope, element, filter.path).values.some(isPresent);
    case 'valuePath': {
      // `emails[type eq "work"]`: true when some element of the attribute matches the inner filter.
      const found = locate(resourceType, scope, element, filter.path);
      const inner: Scope = { kind: 'element', parent: found.def };
      return found.values.some((v) => isObject(v) && evaluate(resourceType, inner, v, filter.filter));
    }
    default: {
      const found = comparable(locate(resourceType, scope, element, filter.path));
      // RFC 7643 §2.5: unassigned and null are the same state, so `eq null` tests absence.
      if (filter.value === null) {
        const present = found.values.some(isPresent);
        return filter.op === 'eq' ? !present : filter.op === 'ne' ? present : false;
      }
      // `ne` is the negation of `eq` (so an absent attribute is "not equal"); other operators
      // follow §3.4.2.2's multi-valued rule: true when any value matches.
      if (filter.op === 'ne') return !found.values.some((v) => compareOne('eq', v, filter.value, found.def));
      return found.values.some((v) => compareOne(filter.op, v, filter.value, found.def));
    }
  }
}

/**
 * True when `element` matches `filter`. Without `relativeTo`, `element` is a whole resource of
 * `resourceType` and paths resolve against its schemas (extension attributes under their URN key).
 * With `relativeTo`, `element` is one value of that complex attribute and paths name its
 * sub-attributes (as inside `emails[type eq "work"]`).
 */
export function matchesFilter(
  resourceType: ResourceTypeName,
  element: JsonObject,
  filter: Filter,
  relativeTo?: AttributeDefinition,
): boolean {
  const scope: Scope = relativeTo ? { kind: 'element', parent: relativeTo } : { kind: 'resource' };
  return evaluate(resourceType, scope, element, filter);
}
