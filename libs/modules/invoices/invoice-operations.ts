import { LifecycleControl, LifecycleOperations } from '../../adapters/temporal/lifecycle-control';
import { lifecycleInput } from '../../contracts/lifecycle-input';
import { AllowanceRequestInput, AllowanceResult, InvoiceLifecycleInput, LifecycleStatus, ResendCorrections, VoidRequest, VoidResult } from '../../contracts/workflows';
import { DomainError } from '../../domain';
import { RecordState, checkAllowanceOnRecord, checkAllowanceVoidOnRecord, checkResend, checkVoidOnRecord } from '../../domain/invoice/operation-rules';
import { SellerRecord } from '../sellers';
import { InvoiceRecord, followUpOf, lifecycleRecordOf } from './invoice.records';
import { InvoiceRepositories } from './invoice-repositories';

/** Corrections cross Temporal as an Update argument and an activity input, each held to Temporal's 2 MB payload limit. */
const MAX_CORRECTIONS_BYTES = 1024 * 1024;

/**
 * Void, allowance, allowance void and resend as Updates on the invoice's own workflow, for the invoice's whole legal
 * life: update-with-start reaches the running lifecycle, or starts it again from the database state once it has
 * ended. The Update id is the caller's idempotency key, and the activities record by the same key.
 */
export class InvoiceOperations {
  constructor(
    private readonly repos: InvoiceRepositories,
    private readonly lifecycles: LifecycleControl,
  ) {}

  async void(seller: SellerRecord, invoiceNumber: string, request: VoidRequest): Promise<VoidResult> {
    const invoice = await this.invoice(seller, invoiceNumber);
    // What the record already rules out is refused now, not after the lifecycle's turn behind a busy worker.
    checkVoidOnRecord(await this.recordState(invoice), request);
    const verdictRecorded = request.mode === 'cancel_blank' && invoice.status === 'rejected';
    return this.operate('void', seller, invoice, verdictRecorded ? { ...request, verdictRecorded } : request, `void:${request.key}`);
  }

  async allowance(seller: SellerRecord, invoiceNumber: string, request: AllowanceRequestInput): Promise<AllowanceResult> {
    const invoice = await this.invoice(seller, invoiceNumber);
    checkAllowanceOnRecord(await this.recordState(invoice), request.key);
    return this.operate('allowance', seller, invoice, request, `allowance:${request.key}`);
  }

  async voidAllowance(seller: SellerRecord, allowanceNumber: string, request: { key: string; reason: string }) {
    const invoiceNumber = await this.repos.allowances.invoiceNumberOf(seller.id, allowanceNumber);
    if (!invoiceNumber) throw new DomainError('not_found', 'ALLOWANCE.NOT_FOUND', `seller ${seller.ban} has no allowance ${allowanceNumber}`);
    const invoice = await this.invoice(seller, invoiceNumber);
    const allowance = (await this.recordState(invoice)).allowances.find((a) => a.number === allowanceNumber);
    if (allowance) checkAllowanceVoidOnRecord(allowance, { ...request, allowanceNumber });
    return this.operate('allowanceVoid', seller, invoice, { ...request, allowanceNumber }, `allowance-void:${request.key}`);
  }

  /** Sends a rejected upload again with the corrections staff made; a finished lifecycle takes no resend. */
  async resend(seller: SellerRecord, invoiceNumber: string, corrections: ResendCorrections): Promise<LifecycleStatus & { number: string }> {
    const size = Buffer.byteLength(JSON.stringify(corrections));
    if (size > MAX_CORRECTIONS_BYTES) {
      throw new DomainError('invalid', 'RESEND.TOO_LARGE', `the corrections are ${size} bytes; at most ${MAX_CORRECTIONS_BYTES} bytes are taken in one resend`, [
        { field: 'lineDescriptions', code: 'RESEND.TOO_LARGE', message: `at most ${MAX_CORRECTIONS_BYTES} bytes of corrections per resend` },
      ]);
    }
    const invoice = await this.invoice(seller, invoiceNumber);
    const messages = await this.repos.messages.openOf(invoice.id);
    // The database says why without asking Temporal.
    checkResend({ invoiceNumber: invoice.invoiceNumber, state: invoice.status }, messages.some((m) => m.status === 'rejected'));
    return { number: invoice.invoiceNumber, ...(await this.lifecycles.resend(seller.ban, invoice.invoiceNumber, corrections)) };
  }

  private async invoice(seller: SellerRecord, invoiceNumber: string): Promise<InvoiceRecord> {
    const invoice = await this.repos.invoices.findByNumber(seller.id, invoiceNumber);
    if (!invoice) throw new DomainError('not_found', 'INVOICE.NOT_FOUND', `seller ${seller.ban} has no invoice ${invoiceNumber}`);
    return invoice;
  }

  /** The invoice as its record stands, without the workflow: what the checks on record judge by. */
  private async recordState(invoice: InvoiceRecord): Promise<RecordState> {
    const allowances = await this.repos.allowances.ofInvoice(invoice.id);
    return {
      invoiceNumber: invoice.invoiceNumber,
      state: invoice.status,
      f0401Accepted: invoice.acceptedAt !== null,
      voidRequestKey: invoice.voidRequestKey,
      allowances: allowances.map((a) => ({ number: a.allowanceNumber, live: a.status === 'live', requestKey: a.requestKey, voidRequestKey: a.voidRequestKey })),
    };
  }

  private operate<K extends keyof LifecycleOperations>(kind: K, seller: SellerRecord, invoice: InvoiceRecord, arg: LifecycleOperations[K][0], updateId: string): Promise<LifecycleOperations[K][1]> {
    return this.lifecycles.operate(kind, seller.ban, invoice.invoiceNumber, () => this.resumeInput(seller, invoice), arg, updateId);
  }

  /** The lifecycle input as it stands in the database; used only when the workflow has to start again. */
  private async resumeInput(seller: SellerRecord, invoice: InvoiceRecord): Promise<InvoiceLifecycleInput> {
    const record = { ...lifecycleRecordOf(invoice), notifyBuyer: false };
    // Only an invoice the platform has accepted (or one cancelled as blank) resumes; any other starts from its upload.
    if (invoice.acceptedAt === null && invoice.status !== 'cancelled_blank') return lifecycleInput(seller.ban, record);
    const [allowances, messages] = await Promise.all([this.repos.allowances.ofInvoice(invoice.id), this.repos.messages.openOf(invoice.id)]);
    return lifecycleInput(seller.ban, record, {
      state: invoice.status,
      voidRequestKey: invoice.voidRequestKey,
      // No lines: the new run plans allowances in recordAllowance, and an allowance can have 9,999 of them.
      allowances: allowances.map((a) => ({
        number: a.allowanceNumber,
        live: a.status === 'live',
        requestKey: a.requestKey,
        voidRequestKey: a.voidRequestKey,
      })),
      openMessages: messages.map(followUpOf),
    });
  }
}
