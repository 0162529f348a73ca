import { EntityManager } from 'typeorm';

export type PrintLayout = 'thermal' | 'a4';

export interface InvoicePrintRecord {
  layout: PrintLayout;
  via: 'print' | 'email';
  reprint: boolean;
  printedBy: string;
  printedAt: Date;
}

/** The SQL of `invoice_prints`: every proof handed out, the first the original (one per invoice, by a unique index). */
export class InvoicePrintsRepository {
  /**
   * Records a print: the original when there is none yet, else a reprint. The caller holds the invoice's row lock, so
   * two first prints at once are decided in turn; the unique index is the guarantee behind it.
   */
  async record(manager: EntityManager, invoiceId: string, print: Omit<InvoicePrintRecord, 'reprint' | 'printedAt'>): Promise<InvoicePrintRecord> {
    const [row] = await manager.query(
      `INSERT INTO invoice_prints (invoice_id, layout, via, reprint, printed_by)
       VALUES ($1, $2, $3, EXISTS (SELECT 1 FROM invoice_prints WHERE invoice_id = $1 AND NOT reprint), $4)
       RETURNING layout, via, reprint, printed_by AS "printedBy", printed_at AS "printedAt"`,
      [invoiceId, print.layout, print.via, print.printedBy],
    );
    return row;
  }

  async ofInvoice(manager: EntityManager, invoiceId: string): Promise<InvoicePrintRecord[]> {
    return manager.query(
      `SELECT layout, via, reprint, printed_by AS "printedBy", printed_at AS "printedAt" FROM invoice_prints WHERE invoice_id = $1 ORDER BY printed_at`,
      [invoiceId],
    );
  }
}
