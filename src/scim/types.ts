/**
 * Shared shapes of the SCIM wire protocol: JSON values, attribute definitions (RFC 7643 §2, §7),
 * the filter AST (RFC 7644 §3.4.2.2) and PATCH paths (RFC 7644 §3.5.2). Types only.
 */

import type { JsonPrimitive, JsonValue } from '../domain/json.js';

export type { JsonObject, JsonPrimitive, JsonValue } from '../domain/json.js';

/** RFC 7643 §2.3 data types. */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';

/** RFC 7643 §7 attribute definition, as served by /Schemas. */
export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
}

export interface SchemaDefinition {
  id: string; // the schema URN
  name: string;
  description: string;
  attributes: AttributeDefinition[];
}

export type ResourceTypeName = 'User' | 'Group';

/**
 * An attribute path as written in a filter or PATCH path: `[uri:]attr[.sub]`.
 * `uri` is set when the path is prefixed by a schema URN
 * (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department` gives
 * uri = the enterprise URN, attr = 'department'). Names keep the case the client wrote;
 * resolution against a schema is case-insensitive (RFC 7643 §2.1).
 */
export interface AttrPath {
  uri?: string;
  attr: string;
  sub?: string;
}

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** The filter AST. Comparison values are JSON literals: string, number, true, false, null. */
export type Filter =
  | { op: CompareOp; path: AttrPath; value: JsonPrimitive }
  | { op: 'pr'; path: AttrPath }
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  /**
   * `emails[type eq "work" and value co "@x.com"]`: `path` names the multi-valued attribute
   * (never has `sub`); paths inside `filter` are relative to its elements (`{attr: 'type'}`).
   */
  | { op: 'valuePath'; path: AttrPath; filter: Filter };

/**
 * A PATCH path (RFC 7644 §3.5.2): `attrPath` or `valuePath [ "." subAttr ]`.
 * `members[value eq "2819c223"]` gives { attr: {attr:'members'}, filter, sub: undefined };
 * `emails[type eq "work"].value` gives { attr: {attr:'emails'}, filter, sub: 'value' };
 * `name.givenName` gives { attr: {attr:'name', sub:'givenName'} }.
 */
export interface PatchPath {
  attr: AttrPath;
  filter?: Filter;
  sub?: string;
}

export type PatchOpName = 'add' | 'replace' | 'remove';

export interface PatchOperation {
  op: PatchOpName;
  path?: PatchPath;
  /** The raw path text, kept for error messages. */
  pathText?: string;
  value?: JsonValue;
}
