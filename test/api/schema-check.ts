/**
 * A small checker for the JSON Schema subset the OpenAPI document uses (type, properties,
 * required, items, enum, oneOf, $ref, additionalProperties: false), so tests can hold live
 * responses to the published schemas without another dependency.
 */
type Schema = Record<string, any>;

export function schemaErrors(value: unknown, schema: Schema, components: Record<string, Schema>, path = '$'): string[] {
  if (typeof schema['$ref'] === 'string') {
    const name = schema['$ref'].replace('#/components/schemas/', '');
    const target = components[name];
    return target ? schemaErrors(value, target, components, path) : [`${path}: unresolved $ref ${schema['$ref']}`];
  }
  if (Array.isArray(schema['oneOf'])) {
    const matching = schema['oneOf'].filter((s: Schema) => schemaErrors(value, s, components, path).length === 0);
    return matching.length === 1 ? [] : [`${path}: matches ${matching.length} of oneOf, not exactly one (${JSON.stringify(value)?.slice(0, 80)})`];
  }
  const errors: string[] = [];
  if (schema['type'] !== undefined) {
    const types: string[] = Array.isArray(schema['type']) ? schema['type'] : [schema['type']];
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    const ok = types.some((t) => t === actual || (t === 'integer' && actual === 'number' && Number.isInteger(value)));
    if (!ok) return [`${path}: expected ${types.join('|')}, got ${actual}`];
  }
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const key of schema['required'] ?? []) if (!(key in object)) errors.push(`${path}: missing ${key}`);
    const properties: Record<string, Schema> = schema['properties'] ?? {};
    for (const [key, child] of Object.entries(object)) {
      if (properties[key]) errors.push(...schemaErrors(child, properties[key]!, components, `${path}.${key}`));
      else if (schema['properties'] && schema['additionalProperties'] !== true) errors.push(`${path}: undocumented property ${key}`);
    }
  }
  if (Array.isArray(value) && schema['items']) value.forEach((item, i) => errors.push(...schemaErrors(item, schema['items'], components, `${path}[${i}]`)));
  return errors;
}
