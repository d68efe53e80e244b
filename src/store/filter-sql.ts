/**
 * Compiles a SCIM filter AST (RFC 7644 §3.4.2.2) to a SQL condition over the indexed columns.
 * An attribute without a column here is unsupported: the caller gets invalid_filter, never a
 * scan or a wrong answer. Case-insensitive attributes compare lower-cased columns.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { ServiceError } from '../domain/errors.js';
import { URN } from '../scim/urns.js';
import type { AttrPath, CompareOp, Filter, JsonPrimitive, ResourceTypeName } from '../scim/types.js';
import type { SqlDialect } from './dialects/dialect.js';

type Kind = 'string' | 'boolean' | 'dateTime';

interface Column {
  column: string;
  kind: Kind;
  /** false: the column holds the lower-cased value; compare with a lower-cased operand. */
  caseExact: boolean;
  nullable: boolean;
}

/** A multi-valued attribute kept in a child table, filtered with EXISTS. */
interface ChildTable {
  table: string;
  alias: string;
  /** parent key join: child column = parent.id */
  parentKey: string;
  /** default sub-attribute when the filter names the attribute alone (`emails co "x"`) */
  defaultSub: string;
  subs: Record<string, Column>;
}

interface ResourceColumns {
  table: string;
  alias: string;
  columns: Record<string, Column>;
  children: Record<string, ChildTable>;
}

const str = (column: string, caseExact: boolean, nullable = true): Column => ({ column, kind: 'string', caseExact, nullable });

const RESOURCES: Record<ResourceTypeName, ResourceColumns> = {
  User: {
    table: 'directory_users',
    alias: 'u',
    columns: {
      id: str('id', true, false),
      username: str('user_name_lower', false, false),
      externalid: str('external_id', true),
      displayname: str('display_name_lower', false),
      active: { column: 'active', kind: 'boolean', caseExact: true, nullable: false },
      'meta.lastmodified': { column: 'updated_at', kind: 'dateTime', caseExact: true, nullable: false },
      'meta.created': { column: 'created_at', kind: 'dateTime', caseExact: true, nullable: false },
    },
    children: {
      emails: {
        table: 'directory_user_emails',
        alias: 'ue',
        parentKey: 'user_id',
        defaultSub: 'value',
        subs: {
          value: str('value_lower', false, false),
          type: str('type', false),
          primary: { column: 'is_primary', kind: 'boolean', caseExact: true, nullable: false },
        },
      },
    },
  },
  Group: {
    table: 'directory_groups',
    alias: 'g',
    columns: {
      id: str('id', true, false),
      displayname: str('display_name_lower', false, false),
      externalid: str('external_id', true),
      'meta.lastmodified': { column: 'updated_at', kind: 'dateTime', caseExact: true, nullable: false },
      'meta.created': { column: 'created_at', kind: 'dateTime', caseExact: true, nullable: false },
    },
    children: {
      members: {
        table: 'group_memberships',
        alias: 'gm',
        parentKey: 'group_id',
        defaultSub: 'value',
        subs: { value: str('user_id', true, false) },
      },
    },
  },
};

/** For error messages, in the RFC's spelling. */
const SUPPORTED: Record<ResourceTypeName, string> = {
  User: 'id, userName, externalId, displayName, active, emails (value, type, primary), meta.created, meta.lastModified',
  Group: 'id, displayName, externalId, members.value, meta.created, meta.lastModified',
};

const CORE_URN: Record<ResourceTypeName, string> = { User: URN.user, Group: URN.group };

function unsupported(detail: string): never {
  throw new ServiceError('invalid_filter', detail);
}

function pathText(path: AttrPath): string {
  return `${path.uri ? path.uri + ':' : ''}${path.attr}${path.sub ? '.' + path.sub : ''}`;
}

/** Returns a Kysely condition for `filter`; throws ServiceError('invalid_filter') when unsupported. */
export function compileFilter(
  resourceType: ResourceTypeName,
  filter: Filter,
  dialect: SqlDialect,
): (eb: ExpressionBuilder<any, any>) => Expression<SqlBool> {
  const resource = RESOURCES[resourceType];
  // Validate eagerly so errors surface before any query runs.
  const build = (eb: ExpressionBuilder<any, any>): Expression<SqlBool> => compileNode(eb, filter);

  function resolve(path: AttrPath): { column: Column; ref: string } | { child: ChildTable; sub: string } {
    if (path.uri && path.uri.toLowerCase() !== CORE_URN[resourceType].toLowerCase()) {
      unsupported(`filtering on "${pathText(path)}" is not supported`);
    }
    const attr = path.attr.toLowerCase();
    const child = resource.children[attr];
    if (child) {
      const sub = (path.sub ?? child.defaultSub).toLowerCase();
      if (!child.subs[sub]) unsupported(`filtering on "${pathText(path)}" is not supported`);
      return { child, sub };
    }
    const key = path.sub ? `${attr}.${path.sub.toLowerCase()}` : attr;
    const column = resource.columns[key];
    if (!column) unsupported(`filtering on "${pathText(path)}" is not supported; supported attributes: ${supportedList()}`);
    return { column, ref: `${resource.alias}.${column.column}` };
  }

  function supportedList(): string {
    return SUPPORTED[resourceType];
  }

  function compileNode(eb: ExpressionBuilder<any, any>, node: Filter): Expression<SqlBool> {
    switch (node.op) {
      case 'and':
        return eb.and([compileNode(eb, node.left), compileNode(eb, node.right)]);
      case 'or':
        return eb.or([compileNode(eb, node.left), compileNode(eb, node.right)]);
      case 'not':
        return eb.not(compileNode(eb, node.filter));
      case 'valuePath': {
        const target = resolve({ ...node.path, sub: undefined });
        if (!('child' in target)) unsupported(`"${pathText(node.path)}" is not a multi-valued attribute`);
        return existsChild(eb, target.child, (ceb) => compileChildNode(ceb, target.child, node.filter));
      }
      default: {
        const target = resolve(node.path);
        if ('child' in target) {
          const col = target.child.subs[target.sub]!;
          return existsChild(eb, target.child, (ceb) => comparison(ceb, `${target.child.alias}.${col.column}`, col, node, pathText(node.path)));
        }
        return comparison(eb, target.ref, target.column, node, pathText(node.path));
      }
    }
  }

  function compileChildNode(eb: ExpressionBuilder<any, any>, child: ChildTable, node: Filter): Expression<SqlBool> {
    switch (node.op) {
      case 'and':
        return eb.and([compileChildNode(eb, child, node.left), compileChildNode(eb, child, node.right)]);
      case 'or':
        return eb.or([compileChildNode(eb, child, node.left), compileChildNode(eb, child, node.right)]);
      case 'not':
        return eb.not(compileChildNode(eb, child, node.filter));
      case 'valuePath':
        return unsupported('a value path cannot contain another value path');
      default: {
        const sub = node.path.attr.toLowerCase();
        const col = node.path.sub || node.path.uri ? undefined : child.subs[sub];
        if (!col) unsupported(`filtering on "${pathText(node.path)}" inside a value path is not supported`);
        return comparison(eb, `${child.alias}.${col.column}`, col, node, pathText(node.path));
      }
    }
  }

  function existsChild(
    eb: ExpressionBuilder<any, any>,
    child: ChildTable,
    where: (ceb: ExpressionBuilder<any, any>) => Expression<SqlBool>,
  ): Expression<SqlBool> {
    return eb.exists(
      eb
        .selectFrom(`${child.table} as ${child.alias}`)
        .select(sql`1`.as('one'))
        .whereRef(`${child.alias}.directory_id`, '=', `${resource.alias}.directory_id`)
        .whereRef(`${child.alias}.${child.parentKey}`, '=', `${resource.alias}.id`)
        .where(where),
    );
  }

  function comparison(
    eb: ExpressionBuilder<any, any>,
    ref: string,
    column: Column,
    node: Extract<Filter, { path: AttrPath }> & { op: CompareOp | 'pr' },
    name: string,
  ): Expression<SqlBool> {
    const col = eb.ref(ref);
    if (node.op === 'pr') {
      if (column.kind === 'string') return eb.and([eb(col, 'is not', null), eb(col, '<>', '')]);
      return eb(col, 'is not', null);
    }
    const guard = (cond: Expression<SqlBool>): Expression<SqlBool> =>
      // `col = v` is NULL for a NULL column, and NOT(NULL) is NULL: guard so `not (...)` includes absent values.
      column.nullable ? eb.and([eb(col, 'is not', null), cond]) : cond;
    const value = operand(column, node.op, node.value, name);
    if (value === null) {
      if (node.op === 'eq') return eb(col, 'is', null);
      if (node.op === 'ne') return eb(col, 'is not', null);
      return unsupported(`"${node.op}" cannot compare "${name}" with null`);
    }
    switch (node.op) {
      case 'eq':
        return guard(eb(col, '=', value));
      case 'ne':
        return column.nullable ? eb.or([eb(col, 'is', null), eb(col, '<>', value)]) : eb(col, '<>', value);
      case 'co':
        return guard(dialect.contains(col, String(value)));
      case 'sw':
        return guard(dialect.startsWith(col, String(value)));
      case 'ew':
        return guard(dialect.endsWith(col, String(value)));
      case 'gt':
        return guard(eb(col, '>', value));
      case 'ge':
        return guard(eb(col, '>=', value));
      case 'lt':
        return guard(eb(col, '<', value));
      case 'le':
        return guard(eb(col, '<=', value));
    }
  }

  return build;
}

/** Checks the literal against the attribute's type and returns the SQL operand. */
function operand(column: Column, op: CompareOp, value: JsonPrimitive, name: string): string | number | null {
  if (value === null) return null;
  switch (column.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') unsupported(`"${name}" is a boolean; compare it with true or false`);
      if (op !== 'eq' && op !== 'ne') unsupported(`"${op}" is not defined for the boolean "${name}"`);
      return value ? 1 : 0;
    case 'dateTime': {
      if (typeof value !== 'string') unsupported(`"${name}" is a dateTime; compare it with a quoted ISO 8601 string`);
      const time = Date.parse(value);
      if (Number.isNaN(time)) unsupported(`"${value}" is not a valid dateTime for "${name}"`);
      if (op === 'co' || op === 'sw' || op === 'ew') unsupported(`"${op}" is not defined for the dateTime "${name}"`);
      return new Date(time).toISOString();
    }
    case 'string':
      if (typeof value !== 'string') unsupported(`"${name}" is a string; quote the value`);
      return column.caseExact ? value : value.toLowerCase();
  }
}
