/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which attributes a response
 * carries. `schemas` and `id` are always returned; names compare case-insensitively.
 */
import { err, ok, type Result } from '../domain/result.js';
import { problem, type Problem } from '../domain/errors.js';
import { parsePatchPath } from './filter-parser.js';
import type { JsonObject, ResourceTypeName } from './types.js';
import { RESOURCE_SCHEMAS } from './schemas.js';

export interface Projection {
  /** Lower-cased `attr` or `attr.sub` or `urn:attr[.sub]` keys; undefined: no restriction. */
  include?: string[];
  exclude?: string[];
}

const ALWAYS = new Set(['schemas', 'id']);

function keyOf(uri: string | undefined, attr: string, sub?: string): string {
  return `${uri ? uri.toLowerCase() + ':' : ''}${attr.toLowerCase()}${sub ? '.' + sub.toLowerCase() : ''}`;
}

function parseList(text: string | undefined, name: string): Result<string[] | undefined, Problem> {
  if (text === undefined || text.trim() === '') return ok(undefined);
  const keys: string[] = [];
  for (const part of text.split(',')) {
    const parsed = parsePatchPath(part.trim());
    if (!parsed.ok || parsed.value.filter) return err(problem('invalid_value', `${name}: "${part.trim()}" is not an attribute name`));
    const { uri, attr, sub } = parsed.value.attr;
    keys.push(keyOf(uri, attr, sub));
  }
  return ok(keys);
}

export function parseProjection(attributes: string | undefined, excludedAttributes: string | undefined): Result<Projection, Problem> {
  const include = parseList(attributes, 'attributes');
  if (!include.ok) return include;
  const exclude = parseList(excludedAttributes, 'excludedAttributes');
  if (!exclude.ok) return exclude;
  return ok({ include: include.value, exclude: exclude.value });
}

/** Would the projected response contain `attr` (a top-level core attribute)? Lets callers skip loading it. */
export function wantsAttribute(projection: Projection, attr: string): boolean {
  const name = attr.toLowerCase();
  if (projection.include) return projection.include.some((k) => stripCoreUri(k) === name || stripCoreUri(k).startsWith(name + '.'));
  if (projection.exclude) return !projection.exclude.some((k) => stripCoreUri(k) === name);
  return true;
}

function stripCoreUri(key: string): string {
  for (const { core } of Object.values(RESOURCE_SCHEMAS)) {
    const prefix = core.id.toLowerCase() + ':';
    if (key.startsWith(prefix)) return key.slice(prefix.length);
  }
  return key;
}

export function applyProjection(resource: JsonObject, projection: Projection): JsonObject {
  if (!projection.include && !projection.exclude) return resource;
  const include = projection.include?.map(stripCoreUri);
  const exclude = projection.exclude?.map(stripCoreUri);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    const lower = key.toLowerCase();
    if (ALWAYS.has(lower)) {
      out[key] = value;
      continue;
    }
    const isExtension = lower.startsWith('urn:') && value !== null && typeof value === 'object' && !Array.isArray(value);
    const projected = isExtension ? projectExtension(lower, value as JsonObject, include, exclude) : projectAttribute(lower, value, include, exclude);
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

function projectAttribute(lower: string, value: JsonObject[string], include?: string[], exclude?: string[]): JsonObject[string] | undefined {
  if (include) {
    if (include.includes(lower)) return value;
    const subs = include.filter((k) => k.startsWith(lower + '.')).map((k) => k.slice(lower.length + 1));
    if (subs.length === 0) return undefined;
    return pickSubs(value, subs);
  }
  if (exclude?.includes(lower)) return undefined;
  const dropped = (exclude ?? []).filter((k) => k.startsWith(lower + '.')).map((k) => k.slice(lower.length + 1));
  return dropped.length > 0 ? dropSubs(value, dropped) : value;
}

function projectExtension(urn: string, value: JsonObject, include?: string[], exclude?: string[]): JsonObject | undefined {
  if (include) {
    if (include.includes(urn)) return value;
    const inner = include.filter((k) => k.startsWith(urn + ':')).map((k) => k.slice(urn.length + 1));
    if (inner.length === 0) return undefined;
    return applyProjection(value, { include: inner });
  }
  if (exclude?.includes(urn)) return undefined;
  const inner = (exclude ?? []).filter((k) => k.startsWith(urn + ':')).map((k) => k.slice(urn.length + 1));
  return inner.length > 0 ? applyProjection(value, { exclude: inner }) : value;
}

function pickSubs(value: JsonObject[string], subs: string[]): JsonObject[string] | undefined {
  const pick = (obj: JsonObject): JsonObject =>
    Object.fromEntries(Object.entries(obj).filter(([k]) => subs.includes(k.toLowerCase())));
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? pick(v) : v));
  if (value && typeof value === 'object') return pick(value);
  return undefined;
}

function dropSubs(value: JsonObject[string], subs: string[]): JsonObject[string] {
  const drop = (obj: JsonObject): JsonObject =>
    Object.fromEntries(Object.entries(obj).filter(([k]) => !subs.includes(k.toLowerCase())));
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? drop(v) : v));
  if (value && typeof value === 'object') return drop(value);
  return value;
}
