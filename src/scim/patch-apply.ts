/**
 * Applies parsed PATCH operations (RFC 7644 §3.5.2) to a resource, all-or-nothing, on a copy.
 * Owns routing of each operation (path-less, extension URN, attribute path, custom URN) and the
 * mutability rules; the per-target write semantics live in patch-targets.ts.
 * Group `members` never pass through here: see group-membership-patch.ts.
 */
import { err, ok, type Result } from '../domain/result.js';
import { problem, type Problem } from '../domain/errors.js';
import { checkRequired, classifyUnknownUrn, isObject, isPassword, sameName, syncSchemas } from './attribute-values.js';
import { applyTarget, assignAttributes, assignExtension, removeKey, writeUnknownUrn, type Target } from './patch-targets.js';
import { findSubAttribute, isExtensionUrn, RESOURCE_SCHEMAS, resolveAttribute, schemaOf } from './schemas.js';
import type { JsonObject, JsonValue, PatchOpName, PatchOperation, PatchPath, ResourceTypeName } from './types.js';

type Unit = Result<void, Problem>;
const done: Unit = ok(undefined);
const fail = (code: Problem['code'], detail: string): Unit => err(problem(code, detail));

/**
 * Returns the patched copy, or the error of the first failing operation (its detail prefixed with
 * the operation's index). The input is never mutated, so a failure leaves nothing half-applied
 * (RFC 7644 §3.5.2: a PATCH is atomic; if any operation fails the resource stays unmodified).
 */
export function applyPatch(
  resourceType: ResourceTypeName,
  resource: JsonObject,
  ops: PatchOperation[],
): Result<JsonObject, Problem> {
  const working = structuredClone(resource);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const r = applyOperation(resourceType, working, op);
    if (!r.ok) {
      const where = op.pathText !== undefined ? `Operations[${i}] (${op.op} "${op.pathText}")` : `Operations[${i}] (${op.op})`;
      return err(problem(r.error.code, `${where}: ${r.error.detail}`));
    }
  }
  const required = checkRequired(resourceType, working);
  if (!required.ok) return required;
  syncSchemas(resourceType, working);
  return ok(working);
}

function applyOperation(resourceType: ResourceTypeName, resource: JsonObject, op: PatchOperation): Unit {
  if (op.path === undefined) {
    // RFC 7644 §3.5.2.2: remove without a path has no target (parsePatchRequest refuses it too).
    if (op.op === 'remove') return fail('no_target', 'remove requires a path');
    // RFC 7644 §3.5.2.1/§3.5.2.3: without a path the value is an object of attributes to set.
    if (!isObject(op.value)) return fail('invalid_value', `a path-less ${op.op} needs an object of attributes as its value`);
    return assignAttributes(resourceType, resource, op.op, op.value, 'reject');
  }
  return applyPath(resourceType, resource, op.op, op.path, op.pathText ?? renderPath(op.path), op.value);
}

function applyPath(
  resourceType: ResourceTypeName,
  resource: JsonObject,
  op: PatchOpName,
  path: PatchPath,
  text: string,
  value: JsonValue | undefined,
): Unit {
  const bare = path.attr.uri === undefined && path.attr.sub === undefined && !path.filter && path.sub === undefined;
  if (bare) {
    const whole = applySchemaPath(resourceType, resource, op, path.attr.attr, value);
    if (whole) return whole;
  }

  const resolved = resolveAttribute(resourceType, path.attr);
  if (!resolved) {
    const custom = classifyUnknownUrn(resourceType, text, path, value);
    if (custom.kind === 'unknownUrn') return writeUnknownUrn(resource, op, custom, value);
    return fail('invalid_path', `"${text}" does not name an attribute of ${resourceType}`);
  }
  if (isPassword(resolved)) return done; // never stored (RFC 7643 §4.1.1 password is writeOnly)
  const { def } = resolved;
  if (def.mutability === 'readOnly') return fail('mutability', `Attribute "${def.name}" is readOnly`);

  if (path.filter && !def.multiValued) {
    return fail('invalid_path', `"${def.name}" is not multi-valued, so it cannot take a value filter`);
  }
  let subDef = resolved.subDef;
  if (path.sub !== undefined) {
    subDef = findSubAttribute(def, path.sub);
    if (!subDef) return fail('invalid_path', `"${path.sub}" is not a sub-attribute of "${def.name}"`);
  }
  if (subDef?.mutability === 'readOnly') return fail('mutability', `Attribute "${def.name}.${subDef.name}" is readOnly`);

  const target: Target = { resolved: subDef ? { ...resolved, subDef } : { schema: resolved.schema, def } };
  if (path.filter) target.filter = path.filter;
  return applyTarget(resourceType, resource, op, target, value);
}

/**
 * A path that is exactly a schema URN: the extension object as a whole (Entra sends
 * `"path":"urn:…:enterprise:2.0:User"` with an object of enterprise attributes). Returns
 * undefined when `name` is no schema URN of this resource type.
 */
function applySchemaPath(
  resourceType: ResourceTypeName,
  resource: JsonObject,
  op: PatchOpName,
  name: string,
  value: JsonValue | undefined,
): Unit | undefined {
  if (isExtensionUrn(resourceType, name)) {
    const urn = schemaOf(resourceType, name)?.id ?? name;
    if (op === 'remove') {
      removeKey(resource, urn);
      return done;
    }
    return assignExtension(resourceType, resource, op, urn, value, 'reject');
  }
  if (sameName(name, RESOURCE_SCHEMAS[resourceType].core.id)) {
    if (op === 'remove') return fail('mutability', 'the core schema of a resource cannot be removed');
    if (!isObject(value)) return fail('invalid_value', `"${name}" must be an object of attributes`);
    return assignAttributes(resourceType, resource, op, value, 'reject');
  }
  return undefined;
}

function renderPath(path: PatchPath): string {
  const attr = `${path.attr.uri ? `${path.attr.uri}:` : ''}${path.attr.attr}${path.attr.sub ? `.${path.attr.sub}` : ''}`;
  return `${attr}${path.filter ? '[…]' : ''}${path.sub ? `.${path.sub}` : ''}`;
}
