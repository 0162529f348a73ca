import { EntityManager } from 'typeorm';
import { BOOKLET_SIZE, DomainError, InvoiceType, periodOf } from '../../domain';

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

interface Candidate {
  id: string;
  track: string;
  start_no: number;
  next_seq: number;
}

/** The channel's booklets first, then the unassigned pool; each in track and number order (as the allocation takes them). */
const CANDIDATES = `
  SELECT id, track, start_no, next_seq, channel_id
    FROM booklets
   WHERE seller_id = $1 AND period = $2 AND invoice_type = $3 AND third_party IS NULL AND next_seq < ${BOOKLET_SIZE}
     AND (channel_id IS NULL OR channel_id = $4)`;
const CANDIDATE_ORDER = 'channel_id IS NULL, track, start_no';

/**
 * Hands out invoice numbers inside the caller's transaction, so a rollback gives them back. Allocations for one
 * seller and period are serialised by a transaction-scoped advisory lock; the ledger table and its deferred
 * trigger make the database refuse a number handed out twice or skipped, whatever the code does.
 */
export class NumberAllocator {
  async allocate(manager: EntityManager, request: AllocationRequest): Promise<AllocatedNumber[]> {
    const { sellerId, channelId = null, count, invoiceType = '07' } = request;
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
      const left = (await this.candidates(manager, sellerId, period, invoiceType, channelId)).reduce((sum, booklet) => sum + BOOKLET_SIZE - booklet.next_seq, 0);
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

  /** Numbers a channel could still take for an invoice dated `invoiceDate` (its booklets and the unassigned pool). */
  async remaining(manager: EntityManager, request: Omit<AllocationRequest, 'count'>): Promise<number> {
    const candidates = await this.candidates(manager, request.sellerId, periodOf(request.invoiceDate).code, request.invoiceType ?? '07', request.channelId ?? null);
    return candidates.reduce((sum, booklet) => sum + BOOKLET_SIZE - booklet.next_seq, 0);
  }

  private candidates(manager: EntityManager, sellerId: string, period: string, invoiceType: InvoiceType, channelId: string | null): Promise<Candidate[]> {
    return manager.query(`${CANDIDATES} ORDER BY ${CANDIDATE_ORDER}`, [sellerId, period, invoiceType, channelId]);
  }
}
