import { createHash } from 'node:crypto';
import { canonicalContent } from '../../domain/invoice/canonical-content';

/** Same order ⇒ same hash, whatever the key order or empty optional fields: the basis of idempotent issuing. */
export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonicalContent(payload))).digest('hex');
}
