import { DataSource } from 'typeorm';
import { qrVerification } from '../../adapters/crypto/qr-verification';
import { ProofPdfRenderer } from '../../adapters/pdf/proof-pdf.renderer';
import { DomainError } from '../../domain';
import { computeAmounts } from '../../domain/invoice/compute-amounts';
import { buildProofContent, checkProofPrintable, mayPrintProof } from '../../domain/invoice-proof';
import { SellerRecord, SellersService } from '../sellers';
import { InvoicePrintRecord, InvoicePrintsRepository, PrintLayout } from './invoice-prints.repository';
import { InvoiceRepositories } from './invoice-repositories';

/**
 * The invoice proof (電子發票證明聯) with the MOF's Code 39 and QR codes. The first proof handed out (printed, or
 * mailed to the buyer) is the original; every later one is marked 補印 and recorded with who and when.
 */
export class InvoiceProofs {
  private readonly prints = new InvoicePrintsRepository();

  constructor(
    private readonly db: DataSource,
    private readonly repos: InvoiceRepositories,
    private readonly sellers: SellersService,
    private readonly renderer: ProofPdfRenderer,
  ) {}

  /** The proof as a PDF, recorded in the same transaction: a render that fails records nothing. */
  async print(seller: SellerRecord, invoiceNumber: string, request: { layout: PrintLayout; by: string }): Promise<{ pdf: Buffer; print: InvoicePrintRecord }> {
    const found = await this.repos.invoices.findByNumber(seller.id, invoiceNumber);
    if (!found) throw new DomainError('not_found', 'INVOICE.NOT_FOUND', `seller ${seller.ban} has no invoice ${invoiceNumber}`);
    checkProofPrintable({ number: found.invoiceNumber, state: found.status, input: found.payload });
    const key = await this.sellers.qrKeyOf(seller.id);
    if (!key) {
      throw new DomainError(
        'conflict',
        'PROOF.NO_QR_KEY',
        `seller ${seller.ban} has no QR code AES key: set it with PUT /api/v1/sellers/${seller.ban}/qr-key {"key": "<32 hex digits from the MOF's 密碼種子>"}`,
      );
    }
    return this.render(found.id, key, { ...request, via: 'print' });
  }

  /**
   * The buyer's e-mailed copy of a printed (PrintMark Y) invoice: rendered and recorded (usually as the original),
   * then `send` runs inside the same transaction, so a mail that fails records no copy. Without a proof to give (a
   * carrier, a donation, no QR key yet) `send` gets none.
   */
  async mailCopy(invoiceId: string, send: (proof: { fileName: string; pdf: Buffer } | undefined) => Promise<void>): Promise<'attached' | 'no proof'> {
    const invoice = await this.repos.invoices.withSeller(invoiceId);
    const key = invoice && mayPrintProof(invoice.payload) ? await this.sellers.qrKeyOf(invoice.sellerId) : undefined;
    if (!invoice || !key) {
      await send(undefined);
      return 'no proof';
    }
    await this.render(invoiceId, key, { layout: 'thermal', by: 'e-mail to the buyer', via: 'email' }, (pdf, print) =>
      send({ fileName: `${invoice.invoiceNumber}${print.reprint ? '-reprint' : ''}.pdf`, pdf }),
    );
    return 'attached';
  }

  private async render(
    invoiceId: string,
    key: string,
    request: { layout: PrintLayout; by: string; via: 'print' | 'email' },
    beforeCommit?: (pdf: Buffer, print: InvoicePrintRecord) => Promise<void>,
  ): Promise<{ pdf: Buffer; print: InvoicePrintRecord }> {
    return this.db.transaction(async (manager) => {
      const invoice = (await this.repos.invoices.withSeller(invoiceId, manager, true))!;
      // Under the row lock: a void that came in meanwhile has the last word.
      checkProofPrintable({ number: invoice.invoiceNumber, state: invoice.status, input: invoice.payload });
      const print = await this.prints.record(manager, invoice.id, { layout: request.layout, via: request.via, printedBy: request.by });
      const content = buildProofContent(
        { number: invoice.invoiceNumber, issuedAt: invoice.issuedAt, randomNumber: invoice.randomNumber, seller: invoice.seller, input: invoice.payload, amounts: computeAmounts(invoice.payload) },
        qrVerification(key, invoice.invoiceNumber, invoice.randomNumber),
        { reprint: print.reprint },
      );
      const stamp = request.layout === 'a4' ? (await this.sellers.stampOf(invoice.sellerId))?.image : undefined;
      const pdf = await this.renderer.render(content, { layout: request.layout, stamp });
      await this.repos.invoices.addEvent(manager, invoice.id, print.reprint ? 'proof reprinted' : 'proof printed', { layout: print.layout, via: print.via, by: print.printedBy });
      await beforeCommit?.(pdf, print);
      return { pdf, print };
    });
  }
}
