/**
 * Splits a Group PATCH into attribute operations (for applyPatch) and the net change to
 * `members`, which is never applied in memory: a group may have 100,000 members and the store
 * applies the change as set operations without loading them (RFC 7644 §3.5.2, RFC 7643 §4.2).
 */
import { err, ok, type Result } from '../domain/result.js';
import { problem, type Problem } from '../domain/errors.js';
import type { Filter, JsonObject, JsonValue, PatchOperation } from './types.js';
import { URN } from './urns.js';

/**
 * The net effect of every member operation, in request order.
 * When `replaceAll` is non-null the group's members become exactly that list and `add` and
 * `remove` are empty; otherwise members = (current − remove) ∪ add, with add ∩ remove = ∅.
 */
export interface MembershipChange {
  replaceAll: string[] | null;
  add: string[];
  remove: string[];
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Accumulates member operations; insertion-ordered sets keep the output deterministic. */
class MembershipAccumulator {
  private replaceAll: Set<string> | null = null;
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();

  add(ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.replaceAll) this.replaceAll.add(id);
      else {
        this.removed.delete(id);
        this.added.add(id);
      }
    }
  }

  remove(ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.replaceAll) this.replaceAll.delete(id);
      else {
        this.added.delete(id);
        this.removed.add(id);
      }
    }
  }

  replace(ids: Iterable<string>): void {
    this.replaceAll = new Set(ids);
    this.added.clear();
    this.removed.clear();
  }

  result(): MembershipChange {
    return {
      replaceAll: this.replaceAll ? [...this.replaceAll] : null,
      add: [...this.added],
      remove: [...this.removed],
    };
  }
}

const isMembersName = (name: string): boolean => name.toLowerCase() === 'members';

/** A path naming `members`, bare or qualified by the Group core URN. */
function isMembersPath(op: PatchOperation): boolean {
  const attr = op.path?.attr;
  if (!attr || !isMembersName(attr.attr)) return false;
  return attr.uri === undefined || attr.uri.toLowerCase() === URN.group.toLowerCase();
}

/**
 * Member values are `{ "value": "<id>", "display"?: ..., "$ref"?: ... }` (RFC 7643 §4.2); returns
 * the ids, deduplicated in first-seen order. Also used for POST/PUT bodies by resource-input.ts.
 */
export function memberIds(value: JsonValue | undefined, where: string): Result<string[], Problem> {
  // A single member object is accepted as a one-element list; clients differ here.
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const ids: string[] = [];
  for (const entry of list) {
    const id = isObject(entry) ? valueOf(entry) : undefined;
    if (typeof id !== 'string' || id.length === 0) {
      return err(problem('invalid_value', `${where}: each member must be an object with a non-empty string "value"`));
    }
    ids.push(id);
  }
  return ok([...new Set(ids)]);
}

function valueOf(entry: JsonObject): JsonValue | undefined {
  for (const key of Object.keys(entry)) if (key.toLowerCase() === 'value') return entry[key];
  return undefined;
}

/**
 * `members[value eq "a" or value eq "b"]` → ["a", "b"]. Okta removes members one filter per
 * operation; other filters cannot be evaluated without loading every member, so they are refused.
 */
function idsFromFilter(filter: Filter, where: string): Result<string[], Problem> {
  if (filter.op === 'or') {
    const left = idsFromFilter(filter.left, where);
    if (!left.ok) return left;
    const right = idsFromFilter(filter.right, where);
    if (!right.ok) return right;
    return ok([...new Set([...left.value, ...right.value])]);
  }
  if (
    filter.op === 'eq' &&
    filter.path.attr.toLowerCase() === 'value' &&
    filter.path.sub === undefined &&
    typeof filter.value === 'string'
  ) {
    return ok([filter.value]);
  }
  return err(
    problem('invalid_filter', `${where}: only value filters ("value eq \\"id\\"", optionally joined with "or") are supported on members`),
  );
}

export function splitGroupPatch(
  ops: PatchOperation[],
): Result<{ attributeOps: PatchOperation[]; membership: MembershipChange }, Problem> {
  const acc = new MembershipAccumulator();
  const attributeOps: PatchOperation[] = [];

  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const where = `Operations[${i}]`;

    if (op.path === undefined) {
      const split = splitPathless(op, where, acc);
      if (!split.ok) return split;
      if (split.value) attributeOps.push(split.value);
      continue;
    }
    if (!isMembersPath(op)) {
      attributeOps.push(op);
      continue;
    }

    const path = op.path;
    if (path.sub !== undefined || path.attr.sub !== undefined) {
      return err(problem('invalid_path', `${where}: member sub-attributes cannot be patched; add or remove the member instead`));
    }
    const filtered = path.filter ? idsFromFilter(path.filter, where) : undefined;
    if (filtered && !filtered.ok) return filtered;

    if (op.op === 'remove') {
      if (filtered) acc.remove(filtered.value);
      else if (op.value === undefined || op.value === null) acc.replace([]); // RFC 7644 §3.5.2.2: remove all
      else {
        // Entra: {"op":"Remove","path":"members","value":[{"value":"id"}]}
        const ids = memberIds(op.value, where);
        if (!ids.ok) return ids;
        acc.remove(ids.value);
      }
      continue;
    }

    const ids = memberIds(op.value, where);
    if (!ids.ok) return ids;
    if (filtered) {
      // `replace members[value eq "a"]` with a new member: swap a for the new id(s).
      acc.remove(filtered.value);
      acc.add(ids.value);
    } else if (op.op === 'add') acc.add(ids.value);
    else acc.replace(ids.value); // RFC 7644 §3.5.2.3: replace of a multi-valued attribute replaces all
  }

  return ok({ attributeOps, membership: acc.result() });
}

/**
 * A path-less add/replace may carry members among other attributes
 * (`{"op":"replace","value":{"id":"g1","displayName":"Eng","members":[...]}}`):
 * the members part goes to the accumulator, the rest stays an attribute operation.
 */
function splitPathless(
  op: PatchOperation,
  where: string,
  acc: MembershipAccumulator,
): Result<PatchOperation | undefined, Problem> {
  if (op.op === 'remove' || !isObject(op.value)) return ok(op);
  const memberKeys = Object.keys(op.value).filter(isMembersName);
  if (memberKeys.length === 0) return ok(op);

  const rest: JsonObject = {};
  for (const [key, v] of Object.entries(op.value)) if (!isMembersName(key)) rest[key] = v;

  for (const key of memberKeys) {
    const ids = memberIds(op.value[key], where);
    if (!ids.ok) return ids;
    if (op.op === 'add') acc.add(ids.value);
    else acc.replace(ids.value);
  }
  return ok(Object.keys(rest).length > 0 ? { ...op, value: rest } : undefined);
}
