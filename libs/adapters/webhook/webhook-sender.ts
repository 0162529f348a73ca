import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Einvoice-Signature';
export const TIMESTAMP_HEADER = 'X-Einvoice-Timestamp';
export const DELIVERY_HEADER = 'X-Einvoice-Delivery';

/**
 * `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"): the receiver recomputes it over the raw body it got,
 * and the timestamp inside the signature lets it refuse an old request replayed.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** For receivers (and the tests): constant-time comparison of a received signature. */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export interface WebhookResult {
  ok: boolean;
  /** What staff see as the last delivery state: `HTTP 200`, `HTTP 500`, `timeout`, `ECONNREFUSED`… */
  result: string;
}

/** The webhook port: POSTs signed JSON; any answer but 2xx, and any network failure, is a failed attempt. */
export class WebhookSender {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(deliveryId: string, payload: unknown, at: Date): Promise<WebhookResult> {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(at.getTime() / 1000));
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [SIGNATURE_HEADER]: webhookSignature(this.secret, timestamp, body),
          [TIMESTAMP_HEADER]: timestamp,
          [DELIVERY_HEADER]: deliveryId,
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      await response.arrayBuffer().catch(() => undefined);
      return { ok: response.ok, result: `HTTP ${response.status}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const name = (error as Error).name;
      return { ok: false, result: name === 'TimeoutError' ? 'timeout' : (cause ?? (error as Error).message) };
    }
  }
}
