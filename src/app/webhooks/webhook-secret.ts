/**
 * Webhook signing secrets in the Standard Webhooks format: `whsec_` + base64 key. Lives in app/
 * because creating an endpoint issues one; events/signature.ts re-exports it for the sender.
 */
import { randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** 24 random bytes (192 bits), like the Standard Webhooks reference libraries. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(24).toString('base64');
}
