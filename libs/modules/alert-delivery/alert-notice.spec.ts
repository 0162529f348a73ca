import { DeliveryPayload } from './alert-deliveries.repository';
import { alertEmail, retryDelayMs } from './alert-notice';

const alert = (i: number): DeliveryPayload['alerts'][number] => ({
  id: `id-${i}`, kind: 'upload.rejected', severity: 'critical', seller: '12345675', subject: { type: 'invoice', id: `AB100000${String(i).padStart(2, '0')}` },
  message: `rejected: S099 (${i})`, firstSeenAt: '2026-01-05T01:00:00.000Z', lastSeenAt: '2026-01-05T01:00:00.000Z',
});

describe('alert notices', () => {
  it('mails one alert as itself and a burst as one summary listing at most 20', () => {
    const one = alertEmail({ kind: 'upload.rejected', count: 1, summary: false, alerts: [alert(1)] });
    expect(one.subject).toBe('[e-invoice critical] upload.rejected 12345675: rejected: S099 (1)');
    expect(one.text).toContain('invoice AB10000001');
    const burst = alertEmail({ kind: 'upload.rejected', count: 25, summary: true, alerts: Array.from({ length: 25 }, (_, i) => alert(i)) });
    expect(burst.subject).toContain('25 upload.rejected alerts');
    expect(burst.text.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(20);
    expect(burst.text).toContain('and 5 more on the dashboard');
  });

  it('doubles the wait after each failed attempt, up to ten minutes', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 2000))).toEqual([2000, 4000, 8000, 16000]);
    expect(retryDelayMs(30, 2000)).toBe(600_000);
  });
});
