/**
 * Value normalizers for the ways Microsoft Entra ID's provisioning service departs from
 * RFC 7643 typing. Each function is a no-op on well-typed input, so calling it for every
 * client is safe; it exists so the quirk has one named home instead of ad-hoc coercions.
 */
import type { JsonObject, JsonValue } from '../types.js';

/**
 * Entra sends booleans as the strings "True"/"False" in PATCH values
 * (`{"op":"Replace","path":"active","value":"False"}`), a documented non-compliance of its
 * SCIM client (RFC 7643 §2.3.2 requires a JSON boolean). Accept "true"/"false" in any case.
 */
export function normalizeEntraBoolean(value: JsonValue): JsonValue {
  if (typeof value !== 'string') return value;
  const lowered = value.trim().toLowerCase();
  if (lowered === 'true') return true;
  if (lowered === 'false') return false;
  return value;
}

/**
 * Entra sends the enterprise `manager` (a complex attribute, RFC 7643 §4.3) as a plain string
 * id in add/replace (`"value":"mgr-id"`) and sometimes as `{"value":"mgr-id"}`.
 * Normalize the string form to the complex form; anything else is returned unchanged.
 */
export function normalizeEntraManager(value: JsonValue): JsonValue {
  if (typeof value === 'string') return { value } satisfies JsonObject;
  return value;
}
