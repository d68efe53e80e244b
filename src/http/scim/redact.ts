/** Request bodies as the request log keeps them: secrets removed, size capped. */
const SECRET_KEYS = /^(password|secret|token|access_token|client_secret)$/i;
const MAX_LOGGED_BODY = 64 * 1024;

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEYS.test(key) ? '[redacted]' : scrub(v);
    return out;
  }
  return value;
}

export function redactBody(parsed: unknown, raw: string | undefined): string | null {
  if (raw === undefined || raw.length === 0) return null;
  const text = parsed === undefined ? '[unparseable body omitted]' : JSON.stringify(scrub(parsed));
  return text.length > MAX_LOGGED_BODY ? text.slice(0, MAX_LOGGED_BODY) + '…[truncated]' : text;
}
