import { DataSource } from 'typeorm';
import { Transaction } from '../../infra/persistence/transaction';
import { periodOf } from '../../domain';
import { AlertsService } from '../alerts';
import { NumberAllocator } from './number-allocator';

/**
 * Warns when a channel is running out of numbers for the current period (its booklets and the unassigned pool it
 * falls back on), and clears the warning once it has enough again. Checked as invoices are issued; answers the
 * numbers left, exact below the threshold and at least the threshold otherwise.
 */
export class NumberStock {
  constructor(
    private readonly db: DataSource,
    private readonly allocator: NumberAllocator,
    private readonly alerts: AlertsService,
    private readonly threshold: number,
  ) {}

  async check(input: { sellerId: string; channelId: string | null; at: Date }, manager: Transaction = this.db.manager): Promise<number> {
    const { sellerId, channelId, at } = input;
    const period = periodOf(at).code;
    // Run on every invoice issued: counted only as far as the threshold, not over all of a large allotment's booklets.
    const left = await this.allocator.remaining(manager, { sellerId, channelId, invoiceDate: at }, this.threshold);
    const causeKey = `${sellerId}:${channelId ?? 'pool'}:${period}`;
    if (left >= this.threshold) {
      await this.alerts.resolve('numbers.low', causeKey, manager);
      return left;
    }
    await this.alerts.raise(
      {
        kind: 'numbers.low', severity: left === 0 ? 'critical' : 'warning', sellerId, channelId,
        subject: channelId ? { type: 'channel', id: channelId } : { type: 'channel', id: `${sellerId}:pool` }, causeKey,
        message: `${left} invoice number(s) left for period ${period}${channelId ? ' for this channel' : ' in the unassigned pool'} (warning below ${this.threshold})`,
        detail: { period, left, threshold: this.threshold },
        // Checked on every invoice issued: one import of 200 would otherwise count 200 occurrences of one shortage.
        repeat: 'refresh',
      },
      manager,
    );
    return left;
  }
}
