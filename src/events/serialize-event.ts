/**
 * The webhook body: the DirectoryEvent envelope serialized once, with `data` spliced in as the
 * JSON text stored in the outbox (never parsed and re-encoded), so every retry and redelivery
 * sends, and signs, byte-identical bodies.
 */
import type { OutboxEvent } from '../app/webhooks/delivery-queue.js';

/** Equals JSON.stringify of the DirectoryEvent {id, type, sequence, occurredAt, organizationId, directoryId, data}. */
export function serializeEvent(event: OutboxEvent): string {
  return (
    `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"sequence":${event.sequence},` +
    `"occurredAt":${JSON.stringify(event.occurredAt)},"organizationId":${JSON.stringify(event.organizationId)},` +
    `"directoryId":${JSON.stringify(event.directoryId)},"data":${event.data}}`
  );
}
