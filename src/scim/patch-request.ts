/**
 * Validation of a PATCH request body (RFC 7644 §3.5.2) into typed PatchOperations.
 * Owns the message shape only (schemas, Operations, op/path/value); what an operation does
 * to a resource is patch-apply.ts's job, and group members are group-membership-patch.ts's.
 */
import { err, ok, type Result } from '../domain/result.js';
import { problem, type Problem } from '../domain/errors.js';
import { parsePatchPath } from './filter-parser.js';
import type { JsonObject, JsonValue, PatchOpName, PatchOperation } from './types.js';
import { URN } from './urns.js';

/** More operations than this in one request is refused (`too_many`) before any is applied. */
export const MAX_PATCH_OPERATIONS = 1000;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7643 §2.1: attribute names, including the message's own, are case-insensitive. */
function getKey(obj: JsonObject, name: string): JsonValue | undefined {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lowered = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lowered) return obj[key];
  return undefined;
}

const OP_NAMES: Record<string, PatchOpName> = { add: 'add', replace: 'replace', remove: 'remove' };

export function parsePatchRequest(body: unknown): Result<PatchOperation[], Problem> {
  if (!isObject(body)) return err(problem('invalid_syntax', 'PATCH body must be a JSON object'));

  // Okta and Entra both send `schemas`; a body without the PatchOp URN is not a PatchOp message.
  const schemas = getKey(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.patchOp.toLowerCase())) {
    return err(problem('invalid_syntax', `PATCH body must have "schemas" containing "${URN.patchOp}"`));
  }

  const operations = getKey(body, 'Operations');
  if (!Array.isArray(operations)) return err(problem('invalid_syntax', 'PATCH body must have an "Operations" array'));
  if (operations.length === 0) return err(problem('invalid_syntax', '"Operations" must not be empty'));
  if (operations.length > MAX_PATCH_OPERATIONS) {
    return err(problem('too_many', `"Operations" has ${operations.length} entries; at most ${MAX_PATCH_OPERATIONS} are accepted`));
  }

  const parsed: PatchOperation[] = [];
  for (let i = 0; i < operations.length; i++) {
    const result = parseOperation(operations[i], i);
    if (!result.ok) return result;
    parsed.push(result.value);
  }
  return ok(parsed);
}

function parseOperation(raw: JsonValue, index: number): Result<PatchOperation, Problem> {
  const where = `Operations[${index}]`;
  if (!isObject(raw)) return err(problem('invalid_syntax', `${where} must be an object`));

  // Entra sends "Add"/"Replace"/"Remove" (RFC 7644 §3.5.2 spells them lower-case).
  const opRaw = getKey(raw, 'op');
  const op = typeof opRaw === 'string' ? OP_NAMES[opRaw.trim().toLowerCase()] : undefined;
  if (op === undefined) {
    return err(problem('invalid_syntax', `${where}.op must be one of "add", "replace", "remove"`));
  }

  const operation: PatchOperation = { op };

  // A null path is treated as absent: some clients serialize unset fields as null.
  const pathRaw = getKey(raw, 'path');
  if (pathRaw !== undefined && pathRaw !== null) {
    if (typeof pathRaw !== 'string') return err(problem('invalid_path', `${where}.path must be a string`));
    const path = parsePatchPath(pathRaw);
    if (!path.ok) return err(problem('invalid_path', `${where}.path "${pathRaw}": ${path.error.detail}`));
    operation.path = path.value;
    operation.pathText = pathRaw;
  }

  const value = getKey(raw, 'value');
  if (op !== 'remove' && value === undefined) {
    return err(problem('invalid_syntax', `${where}: "${op}" requires a "value"`));
  }
  // RFC 7644 §3.5.2.2: a remove without a path has no target.
  if (op === 'remove' && operation.path === undefined) {
    return err(problem('no_target', `${where}: "remove" requires a "path"`));
  }
  // remove may carry a value: Entra removes group members with path "members" and a value list.
  if (value !== undefined) operation.value = value;
  return ok(operation);
}
