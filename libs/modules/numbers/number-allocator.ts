import { Transaction } from '../../infra/persistence/transaction';
import { DEFAULT_INVOICE_TYPE, DomainError, InvoiceType, periodOf } from '../../domain';

export interface AllocationRequest {
  sellerId: string;
  /** The issuing channel; its booklets are used first, then the seller's unassigned pool. */
  channelId?: string | null;
  invoiceDate: Date;
  count: number;
  invoiceType?: InvoiceType;
}

export interface AllocatedNumber {
  invoiceNumber: string;
  period: string;
  bookletId: string;
  seq: number;
}

/**
 * Hands out invoice numbers inside the caller's transaction, so a rollback gives them back. Allocations for one
 * seller and period are serialised by a transaction-scoped advisory lock, or — where the channel or the seller's pool
 * allows N parallel booklets — run N at once, each on its own booklet under that booklet's row lock. Either way the
 * ledger table and its deferred trigger make the database refuse a number handed out twice or skipped.
 */
export class NumberAllocator {
  async allocate(manager: Transaction, request: AllocationRequest): Promise<AllocatedNumber[]> {
    const { sellerId, channelId = null, count, invoiceType = DEFAULT_INVOICE_TYPE } = request;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('NumberAllocator.allocate must run inside a transaction');
    }
    const period = periodOf(request.invoiceDate).code;
    // The lock and the allocation are one database function (migration AllocateNumbers): one round trip, a cached plan.
    const rows: { booklet_id: string; seq: number; invoice_number: string }[] = await manager.query(
      `SELECT booklet_id, seq, invoice_number FROM allocate_invoice_numbers($1, $2, $3, $4, $5)`,
      [sellerId, period, invoiceType, channelId, count],
    );
    if (rows.length < count) {
      const left = await this.left(manager, sellerId, period, invoiceType, channelId);
      throw new DomainError(
        'conflict',
        'NUMBERS.INSUFFICIENT',
        `not enough invoice numbers for period ${period}: ${count} needed, ${left} left` +
          (channelId ? ' for this channel and the unassigned pool' : ' in the unassigned pool'),
        [{ field: 'count', code: 'NUMBERS.INSUFFICIENT', message: `${left} number(s) left` }],
      );
    }
    return rows.map((row) => ({ invoiceNumber: row.invoice_number, period, bookletId: row.booklet_id, seq: row.seq }));
  }

  /**
   * Numbers a channel could still take for an invoice dated `invoiceDate` (its booklets and the unassigned pool).
   * With `upTo`, counted over no more than `upTo` booklets: each has a number left, so the answer is exact below
   * `upTo` and at least `upTo` otherwise — all a threshold needs, without reading every open booklet.
   */
  async remaining(manager: Transaction, request: Omit<AllocationRequest, 'count'>, upTo?: number): Promise<number> {
    return this.left(manager, request.sellerId, periodOf(request.invoiceDate).code, request.invoiceType ?? DEFAULT_INVOICE_TYPE, request.channelId ?? null, upTo);
  }

  /** Over the same candidates the allocator takes from (migration NumberCandidates), the first `booklets` of them. */
  private async left(manager: Transaction, sellerId: string, period: string, invoiceType: InvoiceType, channelId: string | null, booklets?: number): Promise<number> {
    const [{ left }] = await manager.query(
      `SELECT coalesce(sum(50 - c.next_seq), 0)::int AS "left" FROM (SELECT next_seq FROM invoice_number_candidates($1, $2, $3, $4) LIMIT $5) c`,
      [sellerId, period, invoiceType, channelId, booklets ?? null],
    );
    return left;
  }
}
