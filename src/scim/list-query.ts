/**
 * The query of a SCIM list or .search request (RFC 7644 §3.4.2, §3.4.3): filter, paging and
 * projection, parsed into a Result. Paging is 1-based; count is capped by the server maximum.
 */
import { err, ok, type Result } from '../domain/result.js';
import { problem, type Problem } from '../domain/errors.js';
import { parseFilter } from './filter-parser.js';
import { parseProjection, type Projection } from './projection.js';
import type { Filter } from './types.js';

export interface ListQuery {
  filter?: Filter;
  startIndex: number;
  count: number;
  projection: Projection;
}

export interface RawListQuery {
  filter?: unknown;
  startIndex?: unknown;
  count?: unknown;
  attributes?: unknown;
  excludedAttributes?: unknown;
}

function integer(value: unknown, name: string): Result<number | undefined, Problem> {
  if (value === undefined || value === null || value === '') return ok(undefined);
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n)) return err(problem('invalid_value', `${name} must be an integer (got ${JSON.stringify(value)})`));
  return ok(n);
}

/** A list of names: `a,b` in a query string, or a JSON array in a .search body. */
function names(value: unknown, name: string): Result<string | undefined, Problem> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value === 'string') return ok(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return ok(value.join(','));
  return err(problem('invalid_value', `${name} must be a list of attribute names`));
}

export function parseListQuery(raw: RawListQuery, options: { defaultCount: number; maxCount: number }): Result<ListQuery, Problem> {
  const startIndex = integer(raw.startIndex, 'startIndex');
  if (!startIndex.ok) return startIndex;
  // Past 2^53 the offset is no longer exact and the databases refuse it (it was a 500).
  if (startIndex.value !== undefined && startIndex.value > Number.MAX_SAFE_INTEGER) {
    return err(problem('invalid_value', `startIndex must be at most ${Number.MAX_SAFE_INTEGER} (got ${JSON.stringify(raw.startIndex)})`));
  }
  const count = integer(raw.count, 'count');
  if (!count.ok) return count;
  const attributes = names(raw.attributes, 'attributes');
  if (!attributes.ok) return attributes;
  const excluded = names(raw.excludedAttributes, 'excludedAttributes');
  if (!excluded.ok) return excluded;
  if (attributes.value !== undefined && excluded.value !== undefined) {
    return err(problem('invalid_value', 'attributes and excludedAttributes cannot be used together'));
  }
  const projection = parseProjection(attributes.value, excluded.value);
  if (!projection.ok) return projection;

  let filter: Filter | undefined;
  if (raw.filter !== undefined && raw.filter !== null && raw.filter !== '') {
    if (typeof raw.filter !== 'string') return err(problem('invalid_filter', 'filter must be a string'));
    const parsed = parseFilter(raw.filter);
    if (!parsed.ok) return parsed;
    filter = parsed.value;
  }
  return ok({
    filter,
    // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
    startIndex: Math.max(1, startIndex.value ?? 1),
    count: Math.min(options.maxCount, Math.max(0, count.value ?? options.defaultCount)),
    projection: projection.value,
  });
}
