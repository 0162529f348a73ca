import { ApplicationFailure, Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { UpdateDefinition } from '@temporalio/common';
import { DataSource } from 'typeorm';
import {
  AllowanceRequestInput,
  AllowanceResult,
  FollowUpMessage,
  InvoiceLifecycleInput,
  LifecycleState,
  VoidRequest,
  VoidResult,
  allowanceUpdate,
  allowanceVoidUpdate,
  invoiceWorkflowId,
  voidUpdate,
} from '../../contracts/workflows';
import { DomainError, ErrorKind } from '../../domain';
import { AllowanceLine } from '../../domain/invoice/allowances';
import { SellerEntity } from '../../infra/persistence/entities';
import { invoiceFacts } from '../../contracts/invoice-facts';
import { InvoiceRow, InvoicesService } from './invoices.service';

/** The refusal behind an Update failure: thrown by a validator directly, or by an activity the handler ran. */
function coded(failure: Error | undefined): ApplicationFailure | undefined {
  for (let cause = failure; cause; cause = (cause as { cause?: Error }).cause) {
    if (cause instanceof ApplicationFailure && cause.type) return cause;
  }
  return undefined;
}

const KIND_BY_CODE: Record<string, ErrorKind> = {
  'VOID.REASON_INVALID': 'invalid',
  'VOID.APPROVAL_REQUIRED': 'invalid',
  'ALLOWANCE.INVALID': 'invalid',
  'ALLOWANCE.REASON_INVALID': 'invalid',
  'ALLOWANCE.NOT_FOUND': 'not_found',
};

/**
 * Void, allowance and allowance void as Updates on the invoice's own workflow, for the invoice's whole legal life:
 * update-with-start reaches the running lifecycle, or starts it again from the database state once it has ended.
 * The Update id is the caller's idempotency key, and the activities record by the same key.
 */
export class InvoiceOperations {
  constructor(
    private readonly db: DataSource,
    private readonly invoices: InvoicesService,
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async void(seller: SellerEntity, invoiceNumber: string, request: VoidRequest): Promise<VoidResult> {
    const invoice = await this.invoice(seller, invoiceNumber);
    return this.update(seller, invoice, voidUpdate, request, `void:${request.key}`);
  }

  async allowance(seller: SellerEntity, invoiceNumber: string, request: AllowanceRequestInput): Promise<AllowanceResult> {
    const invoice = await this.invoice(seller, invoiceNumber);
    return this.update(seller, invoice, allowanceUpdate, request, `allowance:${request.key}`);
  }

  async voidAllowance(seller: SellerEntity, allowanceNumber: string, request: { key: string; reason: string }) {
    const [row] = await this.db.query(
      `SELECT i.invoice_number FROM allowances a JOIN invoices i ON i.id = a.invoice_id WHERE a.seller_id = $1 AND a.allowance_number = $2`,
      [seller.id, allowanceNumber],
    );
    if (!row) throw new DomainError('not_found', 'ALLOWANCE.NOT_FOUND', `seller ${seller.ban} has no allowance ${allowanceNumber}`);
    const invoice = await this.invoice(seller, row.invoice_number);
    return this.update(seller, invoice, allowanceVoidUpdate, { ...request, allowanceNumber }, `allowance-void:${request.key}`);
  }

  private async invoice(seller: SellerEntity, invoiceNumber: string): Promise<InvoiceRow> {
    const invoice = await this.invoices.findByNumber(seller, invoiceNumber);
    if (!invoice) throw new DomainError('not_found', 'INVOICE.NOT_FOUND', `seller ${seller.ban} has no invoice ${invoiceNumber}`);
    return invoice;
  }

  private async update<Ret, Arg>(seller: SellerEntity, invoice: InvoiceRow, update: UpdateDefinition<Ret, [Arg]>, arg: Arg, updateId: string): Promise<Ret> {
    const input = await this.resumeInput(seller, invoice);
    // A start operation is single-use.
    const start = () =>
      new WithStartWorkflowOperation('invoiceLifecycle', {
        workflowId: invoiceWorkflowId(seller.ban, invoice.invoice_number),
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    try {
      try {
        return await this.client.workflow.executeUpdateWithStart(update, { args: [arg], updateId, startWorkflowOperation: start() });
      } catch (error) {
        // The run ended between taking the request and handling it; the next attempt starts a new run.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        return await this.client.workflow.executeUpdateWithStart(update, { args: [arg], updateId, startWorkflowOperation: start() });
      }
    } catch (error) {
      const refusal = error instanceof WorkflowUpdateFailedError ? coded(error.cause) : undefined;
      if (refusal?.type) throw new DomainError(KIND_BY_CODE[refusal.type] ?? 'conflict', refusal.type, refusal.message);
      throw error;
    }
  }

  /** The lifecycle input as it stands in the database; used only when the workflow has to start again. */
  private async resumeInput(seller: SellerEntity, invoice: InvoiceRow): Promise<InvoiceLifecycleInput> {
    const [allowances, messages]: [
      { allowance_number: string; status: string; items: AllowanceLine[]; request_key: string; void_request_key: string | null }[],
      { id: string; message_type: FollowUpMessage['messageType']; warn_at: Date; due_at: Date; legal_due_at: Date }[],
    ] = await Promise.all([
      this.db.query(`SELECT allowance_number, status, items, request_key, void_request_key FROM allowances WHERE invoice_id = $1 ORDER BY created_at`, [invoice.id]),
      this.db.query(`SELECT id, message_type, warn_at, due_at, legal_due_at FROM invoice_messages WHERE invoice_id = $1 AND status <> 'accepted' ORDER BY created_at`, [invoice.id]),
    ]);
    return {
      invoiceId: invoice.id,
      sellerBan: seller.ban,
      invoiceNumber: invoice.invoice_number,
      warnAt: invoice.warn_at.toISOString(),
      dueAt: invoice.upload_due_at.toISOString(),
      legalDueAt: invoice.legal_due_at.toISOString(),
      notifyBuyer: false,
      facts: invoiceFacts(invoice.payload, invoice.period),
      // Only an invoice the platform has accepted (or one cancelled as blank) resumes; any other starts from its upload.
      resume: invoice.accepted_at === null && invoice.status !== 'cancelled_blank' ? undefined : {
        state: invoice.status as LifecycleState,
        voidRequestKey: invoice.void_request_key,
        allowances: allowances.map((a) => ({
          number: a.allowance_number,
          live: a.status === 'live',
          lines: a.items,
          requestKey: a.request_key,
          voidRequestKey: a.void_request_key,
        })),
        openMessages: messages.map((m) => ({
          messageId: m.id,
          messageType: m.message_type,
          warnAt: m.warn_at.toISOString(),
          dueAt: m.due_at.toISOString(),
          legalDueAt: m.legal_due_at.toISOString(),
        })),
      },
    };
  }
}
