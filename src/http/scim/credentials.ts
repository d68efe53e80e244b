/**
 * Reads the SCIM credential from Authorization. Accepted: `Bearer <token>` (Okta's OAuth
 * Bearer Token template, Entra), the raw token with no scheme (Okta's Header Auth template
 * sends exactly what the admin typed), and HTTP Basic whose password is the token.
 */
export function credentialFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const space = value.indexOf(' ');
  if (space === -1) return value || undefined;
  const scheme = value.slice(0, space).toLowerCase();
  const rest = value.slice(space + 1).trim();
  if (scheme === 'bearer' || scheme === 'token') return rest || undefined;
  if (scheme === 'basic') {
    const decoded = Buffer.from(rest, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return (colon === -1 ? decoded : decoded.slice(colon + 1)) || undefined;
  }
  return value;
}
