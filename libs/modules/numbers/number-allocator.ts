import { EntityManager } from 'typeorm';
import { BOOKLET_SIZE, DomainError, InvoiceType, formatInvoiceNumber, periodOf } from '../../domain';

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
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('allocate:' || $1 || ':' || $2, 0))`, [sellerId, period]);
    const candidates = await this.candidates(manager, sellerId, period, invoiceType, channelId);
    const left = candidates.reduce((sum, booklet) => sum + BOOKLET_SIZE - booklet.next_seq, 0);
    if (left < count) {
      throw new DomainError(
        'conflict',
        'NUMBERS.INSUFFICIENT',
        `not enough invoice numbers for period ${period}: ${count} needed, ${left} left` +
          (channelId ? ' for this channel and the unassigned pool' : ' in the unassigned pool'),
        [{ field: 'count', code: 'NUMBERS.INSUFFICIENT', message: `${left} number(s) left` }],
      );
    }
    const numbers: AllocatedNumber[] = [];
    for (const booklet of candidates) {
      const take = Math.min(BOOKLET_SIZE - booklet.next_seq, count - numbers.length);
      for (let seq = booklet.next_seq; seq < booklet.next_seq + take; seq++) {
        numbers.push({
          invoiceNumber: formatInvoiceNumber(booklet.track, booklet.start_no + seq),
          period,
          bookletId: booklet.id,
          seq,
        });
      }
      await manager.query(`UPDATE booklets SET next_seq = next_seq + $2 WHERE id = $1`, [booklet.id, take]);
      if (numbers.length === count) break;
    }
    await manager.query(
      // clock_timestamp, not now(): the ledger's time order is the order numbers were handed out under the lock.
      `INSERT INTO allocated_numbers (booklet_id, seq, seller_id, period, invoice_number, channel_id, allocated_at)
       SELECT booklet_id, seq, $1, $2, invoice_number, $3, clock_timestamp()
         FROM unnest($4::uuid[], $5::smallint[], $6::text[]) AS n(booklet_id, seq, invoice_number)`,
      [sellerId, period, channelId, numbers.map((n) => n.bookletId), numbers.map((n) => n.seq), numbers.map((n) => n.invoiceNumber)],
    );
    return numbers;
  }

  /** Numbers a channel could still take for an invoice dated `invoiceDate` (its booklets and the unassigned pool). */
  async remaining(manager: EntityManager, request: Omit<AllocationRequest, 'count'>): Promise<number> {
    const candidates = await this.candidates(manager, request.sellerId, periodOf(request.invoiceDate).code, request.invoiceType ?? '07', request.channelId ?? null);
    return candidates.reduce((sum, booklet) => sum + BOOKLET_SIZE - booklet.next_seq, 0);
  }

  /** The channel's booklets first, then the unassigned pool; each in track and number order. */
  private candidates(manager: EntityManager, sellerId: string, period: string, invoiceType: InvoiceType, channelId: string | null): Promise<Candidate[]> {
    return manager.query(
      `SELECT id, track, start_no, next_seq
         FROM booklets
        WHERE seller_id = $1 AND period = $2 AND invoice_type = $3 AND third_party IS NULL AND next_seq < ${BOOKLET_SIZE}
          AND (channel_id IS NULL OR channel_id = $4)
        ORDER BY channel_id IS NULL, track, start_no`,
      [sellerId, period, invoiceType, channelId],
    );
  }
}
