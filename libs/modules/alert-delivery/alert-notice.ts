import { DeliveryPayload } from './alert-deliveries.repository';

/** The e-mail of one batch: the alert itself, or a summary of a burst of one kind (at most 20 listed). */
export function alertEmail(payload: DeliveryPayload): { subject: string; text: string } {
  const [first] = payload.alerts;
  if (!payload.summary) {
    return {
      subject: `[e-invoice ${first.severity}] ${first.kind}${first.seller ? ` ${first.seller}` : ''}: ${first.message}`.slice(0, 200),
      text: [
        `警示 Alert: ${first.kind} (${first.severity})`,
        `賣方 Seller: ${first.seller ?? '—'}`,
        `對象 Subject: ${first.subject.type} ${first.subject.id}`,
        `首次 First seen: ${first.firstSeenAt}`,
        '',
        first.message,
      ].join('\n'),
    };
  }
  const listed = payload.alerts.slice(0, 20);
  return {
    subject: `[e-invoice] ${payload.count} 則 ${payload.kind} 警示 (${payload.count} ${payload.kind} alerts)`,
    text: [
      `${payload.count} 則 ${payload.kind} 警示在短時間內發生，合併為一封通知。${payload.count} alerts of kind ${payload.kind} arrived together; summarised in one notice.`,
      '',
      ...listed.map((a) => `- ${a.seller ?? '—'} ${a.subject.type} ${a.subject.id}: ${a.message}`),
      ...(payload.count > listed.length ? [`… and ${payload.count - listed.length} more on the dashboard`] : []),
    ].join('\n'),
  };
}

/** Attempt n (1-based) failed: wait 2^(n-1) × base before the next, capped at 10 minutes. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 10 * 60_000);
}
