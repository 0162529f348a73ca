import { DataSource } from 'typeorm';
import { Transaction } from '../../infra/persistence/transaction';
import { Clock } from '../../adapters/clock/clock';
import { Mailer } from '../../adapters/mail/mailer';
import { TurnkeyGateway } from '../../adapters/turnkey/turnkey.gateway';
import { TurnkeyMessageType, invoiceIdentifier } from '../../adapters/turnkey/turnkey-folders';
import { DeadlineState, FollowUpMessage, FollowUpMessageType, ResendCorrections, VoidRequest } from '../../contracts/workflows';
import { DomainError, filingDeadline, tryParsePeriod } from '../../domain';
import { AllowanceLine, AllowanceRequest, allowanceItemMoney, allowanceLinesOf, planAllowance } from '../../domain/invoice/allowances';
import { lineTaxType } from '../../domain/invoice/compute-amounts';
import { uploadDeadlines } from '../../domain/invoice/deadlines';
import { InvoiceInput } from '../../domain/invoice/invoice.types';
import { OperationState, checkAllowance, checkAllowanceVoid, checkVoid } from '../../domain/invoice/operation-rules';
import { AllowanceRecord, InvoiceWithSeller, followUpOf } from './invoice.records';
import { renderInvoiceMessage } from './invoice-message.renderer';
import type { InvoiceProofs } from './invoice-proofs.service';
import { InvoiceRepositories } from './invoice-repositories';

export type DeliveredUpload = {
  uploadId: string;
  messageType: TurnkeyMessageType;
  messageId: string | null;
  fileName: string;
  invoiceIdentifier: string;
  deliveredAt: string;
  /**
   * When the verdict on the subject's previous attempt arrived (null: none), known at delivery: a new attempt is made
   * only once every earlier one has its verdict. Absent from uploads recorded before it was carried: read then.
   */
  previousVerdictAt?: string | null;
};
export type RecordedOutcome = { state: 'accepted' } | { state: 'rejected'; errorCode: string; errorMessage: string };
export type DeadlineTarget = { invoiceId: string } | { messageId: string };

/** A message of an invoice, as the observer hears of it; messageId null is the F0401 itself. */
export interface LifecycleSubject {
  invoiceId: string;
  sellerId: string;
  channelId: string | null;
  invoiceNumber: string;
  messageType: TurnkeyMessageType;
  messageId: string | null;
}

/**
 * Told of what the lifecycle records (alerts, the reconciliation's watch on reported ranges), inside the transaction
 * that records it where there is one, so the consequence commits with its cause. Every call must be idempotent.
 */
export interface LifecycleObserver {
  deadlineReached(manager: Transaction, subject: LifecycleSubject, state: Exclude<DeadlineState, 'on_time' | 'done'>): Promise<void>;
  outcomeRecorded(manager: Transaction, subject: LifecycleSubject, outcome: RecordedOutcome): Promise<void>;
  /** A message handed to Turnkey has had no verdict for longer than the configured silence. */
  uploadSilent(manager: Transaction, subject: LifecycleSubject, deliveredAt: Date): Promise<void>;
  /** An invoice's number became used (F0401 delivered) or blank (cancelled as blank), or its invoice was voided. */
  numberChanged(
    manager: Transaction | undefined,
    change: { sellerId: string; channelId: string | null; period: string; invoiceNumber: string; issuedAt: Date; change: 'issued' | 'voided' | 'cancelled_blank' },
  ): Promise<void>;
}

export interface LifecycleServiceOptions {
  /** How long before a message's due time staff are warned. */
  warnBeforeMs: number;
  /** How long a delivered message may wait for the platform's verdict before Turnkey counts as silent. */
  silentAfterMs: number;
  /** How long `awaitOutcome` keeps looking for a verdict before it answers `pending`. */
  quickVerdictMs: number;
  mailer?: Mailer;
  observer?: LifecycleObserver;
  /** Attaches the invoice proof to the buyer's notice of a printed invoice. */
  proofs?: Pick<InvoiceProofs, 'mailCopy'>;
}

/** Turnkey cannot answer before it has picked the file up; the first look waits for that. */
const QUICK_VERDICT_FIRST_LOOK_MS = 100;
/** Half of the worker's 40 workflow task slots, at most, wait for quick verdicts. */
const QUICK_VERDICT_WAITS = 20;

const notFound = (invoiceId: string) => new DomainError('not_found', 'INVOICE.NOT_FOUND', `no invoice ${invoiceId}`);

/** Idempotency keys are per seller: one already spent on another invoice or allowance is a caller's mistake. */
const reusedKey = (key: string, usedFor: string) =>
  new DomainError('conflict', 'IDEMPOTENCY_KEY.REUSED', `Idempotency-Key '${key}' was already used for ${usedFor}; use a new key for a new request`);

/** The operation rules' view of an invoice as the database has it, under its row lock. */
function storedState(invoice: InvoiceWithSeller, allowances: AllowanceRecord[]): OperationState {
  return {
    invoiceNumber: invoice.invoiceNumber,
    state: invoice.status,
    f0401Accepted: invoice.acceptedAt !== null,
    // Turnkey's G is in flight until the platform answers; any earlier step only the workflow sees, and it checked.
    uploadInFlight: invoice.status === 'sent',
    voidRequestKey: invoice.voidRequestKey,
    allowances: allowances.map((a) => ({ number: a.allowanceNumber, live: a.status === 'live', requestKey: a.requestKey, voidRequestKey: a.voidRequestKey })),
    filingDeadline: filingDeadline(tryParsePeriod(invoice.period)!),
  };
}

/**
 * What the invoice lifecycle workflow does to the world: hand messages to Turnkey, record the platform's verdicts and
 * deadline states, mail the buyer, and record voids and allowances — each re-checked under the invoice's row lock.
 */
export class InvoiceLifecycleService {
  /**
   * Uploads this process has reported silent: during an outage every waiting message is polled every few seconds,
   * and one alert per message is enough (another worker, or this one after a restart, raises it again harmlessly).
   */
  private readonly reportedSilent = new Set<string>();
  /** Quick-verdict waits running in this worker. */
  private quickWaits = 0;

  constructor(
    private readonly db: DataSource,
    private readonly repos: InvoiceRepositories,
    private readonly gateway: TurnkeyGateway,
    private readonly clock: Clock,
    private readonly options: LifecycleServiceOptions,
  ) {}

  private async load(invoiceId: string, manager: DataSource | Transaction = this.db, lock = false): Promise<InvoiceWithSeller> {
    const invoice = await this.repos.invoices.withSeller(invoiceId, manager, lock);
    if (!invoice) throw notFound(invoiceId);
    return invoice;
  }

  /** A follow-up message with deadlines counted from its own time, as the law counts them. */
  private async insertMessage(manager: Transaction, invoiceId: string, type: FollowUpMessageType, at: Date, b2b: boolean, allowanceId: string | null): Promise<FollowUpMessage> {
    const { dueAt, legalDueAt, warnAt } = uploadDeadlines(at, b2b, this.options.warnBeforeMs);
    return followUpOf(await this.repos.messages.insert(manager, { invoiceId, allowanceId, messageType: type, occurredAt: at, warnAt, dueAt, legalDueAt }));
  }

  /**
   * Renders the message (F0401 when messageId is null) and hands it to Turnkey. A retry after a crash finds the
   * upload it had recorded and delivers the same file again (a no-op for Turnkey): one attempt is one file. With the
   * workflow's `attempt` (1 for the first upload of the message, 2 after a resend…), an attempt whose upload exists
   * already gets that upload back even when its verdict is recorded: the workflow task that delivered it and heard
   * the quick verdict was lost and is run again, and a second file would be the platform's duplicate.
   */
  async deliverMessage(invoiceId: string, messageId: string | null, attempt?: number): Promise<DeliveredUpload> {
    const invoice = await this.load(invoiceId);
    // A number cancelled as blank is reported blank: its F0401 must never reach the platform.
    if (!messageId && invoice.voidedAt) {
      throw new DomainError('conflict', 'INVOICE.NOT_UPLOADABLE', `invoice ${invoice.invoiceNumber} is cancelled; its F0401 is not sent`);
    }
    const message = messageId ? await this.repos.messages.findById(messageId) : undefined;
    const allowance = message?.allowanceId ? await this.repos.allowances.findById(message.allowanceId) : undefined;
    const rendered = renderInvoiceMessage(invoice, message, allowance);
    const identifier = invoiceIdentifier(rendered.type, rendered.subject, rendered.date);
    const subject = { invoiceId, messageType: rendered.type, messageId };
    const attempts = await this.repos.uploads.attemptsOf(subject);
    const earlier =
      attempts.find((u) => u.outcome === 'pending') ?? (attempt !== undefined && attempts.length >= attempt ? attempts[0] : undefined);
    // A retried delivery may have written its file before it failed; a new row's name (unique) never has been.
    const upload = earlier ?? (await this.repos.uploads.insert(subject, `${rendered.type}-${invoice.seller.ban}-${rendered.subject}-${attempts.length + 1}.xml`, identifier));
    await this.gateway.deliver({ messageType: rendered.type, fileName: upload.fileName, xml: rendered.xml, newName: !earlier });
    await this.repos.uploads.recordDelivered(subject, { messageType: rendered.type, fileName: upload.fileName });
    if (!messageId) await this.options.observer?.numberChanged(undefined, { ...invoice, change: 'issued' });
    const verdicts = attempts.filter((u) => u.id !== upload.id && u.outcome !== 'pending' && u.outcomeAt).map((u) => u.outcomeAt!.getTime());
    return {
      uploadId: upload.id,
      messageType: rendered.type,
      messageId,
      fileName: upload.fileName,
      invoiceIdentifier: identifier,
      deliveredAt: upload.deliveredAt.toISOString(),
      previousVerdictAt: verdicts.length > 0 ? new Date(Math.max(...verdicts)).toISOString() : null,
    };
  }

  /** One look at Turnkey's log for the verdict on an upload; `pending` while there is none. */
  async checkOutcome(upload: DeliveredUpload): Promise<RecordedOutcome | { state: 'pending' }> {
    return this.lookFor(upload, await this.verdictsSince(upload));
  }

  /**
   * Turnkey's log names the message, not the file: a verdict counts for this upload only if it is newer than the
   * verdict on the previous attempt (a resend can follow a rejection within the same second).
   */
  private async verdictsSince(upload: DeliveredUpload): Promise<Date> {
    const previous =
      upload.previousVerdictAt === undefined
        ? await this.repos.uploads.previousVerdictAt(upload.uploadId, upload)
        : upload.previousVerdictAt && new Date(upload.previousVerdictAt);
    return new Date(Math.max(new Date(upload.deliveredAt).getTime() - 1000, previous ? previous.getTime() + 1 : 0));
  }

  private async lookFor(upload: DeliveredUpload, since: Date): Promise<RecordedOutcome | { state: 'pending' }> {
    const outcome = await this.gateway.outcome({ messageType: upload.messageType, invoiceIdentifier: upload.invoiceIdentifier, since });
    if (outcome.state === 'sent') {
      // G is not an upload yet: the platform may still answer E. Record it once and keep watching.
      await this.repos.uploads.recordSent(upload.uploadId, upload.messageId, outcome.at, { messageType: upload.messageType, fileName: upload.fileName });
    }
    if (outcome.state === 'pending' || outcome.state === 'sent') {
      await this.watchSilence(upload);
      return { state: 'pending' };
    }
    this.reportedSilent.delete(upload.uploadId);
    return this.db.transaction(async (manager) => {
      const error = outcome.state === 'rejected' ? { code: outcome.errorCode, message: outcome.errorMessage } : null;
      const detail = { messageType: upload.messageType, fileName: upload.fileName, ...(error ?? {}) };
      const recordedFor = await this.repos.uploads.recordOutcome(manager, upload, outcome.state, error, outcome.at, detail);
      if (!recordedFor) return this.recordedOutcome(manager, upload.uploadId);
      const recorded: RecordedOutcome = error ? { state: 'rejected', errorCode: error.code, errorMessage: error.message } : { state: 'accepted' };
      await this.options.observer?.outcomeRecorded(manager, { ...recordedFor, messageType: upload.messageType, messageId: upload.messageId }, recorded);
      return recorded;
    });
  }

  /** The verdict recorded before (by a look whose workflow task was lost), answered again without recording it twice. */
  private async recordedOutcome(manager: Transaction, uploadId: string): Promise<RecordedOutcome> {
    const { outcome, error } = await this.repos.uploads.outcomeOf(manager, uploadId);
    return outcome === 'rejected' && error ? { state: 'rejected', errorCode: error.code, errorMessage: error.message } : { state: 'accepted' };
  }

  /**
   * Looks for the verdict for up to `quickVerdictMs`, at widening intervals (a platform that answers at once is seen
   * within ~100 ms; one that does not costs a handful of looks): `pending` when none came in that time, or at once
   * when QUICK_VERDICT_WAITS are already waiting — each holds a workflow task slot of the worker, and the rest must
   * stay free for other workflows' tasks (an import's next chunk must not queue behind a thousand uploads).
   */
  async awaitOutcome(upload: DeliveredUpload): Promise<RecordedOutcome | { state: 'pending' }> {
    if (this.quickWaits >= QUICK_VERDICT_WAITS) return { state: 'pending' };
    this.quickWaits++;
    try {
      const giveUpAt = Date.now() + this.options.quickVerdictMs;
      // The previous attempt's verdict does not change while this one waits: taken once, then one query per look.
      const since = await this.verdictsSince(upload);
      for (let pause = QUICK_VERDICT_FIRST_LOOK_MS; ; pause = Math.ceil(pause * 1.5)) {
        const wait = Math.min(pause, giveUpAt - Date.now());
        if (wait <= 0) return { state: 'pending' };
        await new Promise((resolve) => setTimeout(resolve, wait));
        const outcome = await this.lookFor(upload, since);
        if (outcome.state !== 'pending') return outcome;
      }
    } finally {
      this.quickWaits--;
    }
  }

  private async watchSilence(upload: DeliveredUpload): Promise<void> {
    const observer = this.options.observer;
    const deliveredAt = new Date(upload.deliveredAt);
    if (!observer || this.reportedSilent.has(upload.uploadId) || this.clock.now().getTime() - deliveredAt.getTime() < this.options.silentAfterMs) return;
    await this.db.transaction(async (manager) => {
      const invoiceId = (await this.repos.uploads.invoiceOf(manager, upload.uploadId))!;
      await observer.uploadSilent(manager, await this.subjectOf(manager, invoiceId, upload.messageType, upload.messageId), deliveredAt);
    });
    this.reportedSilent.add(upload.uploadId);
  }

  async markDeadline(target: DeadlineTarget, state: Exclude<DeadlineState, 'on_time' | 'done'>): Promise<void> {
    await this.db.transaction(async (manager) => {
      if ('invoiceId' in target) {
        if (await this.repos.invoices.markDeadline(manager, target.invoiceId, state)) {
          await this.repos.invoices.addEvent(manager, target.invoiceId, 'deadline', { state, messageType: 'F0401' });
          await this.options.observer?.deadlineReached(manager, await this.subjectOf(manager, target.invoiceId, 'F0401', null), state);
        }
        return;
      }
      const changed = await this.repos.messages.markDeadline(manager, target.messageId, state);
      if (changed) await this.repos.invoices.addEvent(manager, changed.invoiceId, 'deadline', { state, messageType: changed.messageType });
      if (changed) await this.options.observer?.deadlineReached(manager, await this.subjectOf(manager, changed.invoiceId, changed.messageType, target.messageId), state);
    });
  }

  private async subjectOf(manager: Transaction, invoiceId: string, messageType: TurnkeyMessageType, messageId: string | null): Promise<LifecycleSubject> {
    const { sellerId, channelId, invoiceNumber } = await this.load(invoiceId, manager);
    return { invoiceId, sellerId, channelId, invoiceNumber, messageType, messageId };
  }

  /** Sends the buyer's notice once: the row is written after a successful send and checked before any send. */
  async notifyBuyer(invoiceId: string): Promise<'sent' | 'already sent' | 'no address' | 'no mail server'> {
    const invoice = await this.load(invoiceId);
    if (!invoice.buyerEmail) return 'no address';
    if (await this.repos.invoices.notificationSent(invoiceId)) return 'already sent';
    const { mailer } = this.options;
    if (!mailer) {
      await this.repos.invoices.addEvent(this.db, invoiceId, 'mail skipped', { reason: 'no SMTP server configured' });
      return 'no mail server';
    }
    const messageId = `<invoice-${invoiceId}@einvoice.local>`;
    const send = (proof?: { fileName: string; pdf: Buffer }) =>
      mailer
        .sendInvoiceNotice({
          to: invoice.buyerEmail!,
          messageId,
          sellerName: invoice.seller.name,
          invoiceNumber: invoice.invoiceNumber,
          issuedAt: invoice.issuedAt,
          randomNumber: invoice.randomNumber,
          totalAmount: invoice.amounts.total,
          proof,
        })
        .then(() => undefined);
    if (this.options.proofs) await this.options.proofs.mailCopy(invoiceId, send);
    else await send();
    await this.repos.invoices.recordNotification(invoiceId, invoice.buyerEmail, messageId);
    await this.repos.invoices.addEvent(this.db, invoiceId, 'mailed', { to: invoice.buyerEmail });
    return 'sent';
  }

  /** Staff corrections before a resend: descriptive fields only, never numbers or amounts. */
  async applyCorrections(invoiceId: string, corrections: ResendCorrections): Promise<void> {
    const invoice = await this.load(invoiceId);
    const payload: InvoiceInput = structuredClone(invoice.payload);
    if (corrections.buyerName !== undefined) payload.buyer.name = corrections.buyerName;
    if (corrections.buyerAddress !== undefined) payload.buyer.address = corrections.buyerAddress;
    if (corrections.mainRemark !== undefined) payload.mainRemark = corrections.mainRemark;
    for (const { index, description } of corrections.lineDescriptions ?? []) {
      if (!payload.lines[index]) throw new DomainError('invalid', 'INVOICE.NO_SUCH_LINE', `the invoice has no line ${index + 1}`);
      payload.lines[index].description = description;
    }
    await this.repos.invoices.updatePayload(invoiceId, payload);
    await this.repos.invoices.addEvent(this.db, invoiceId, 'corrected', corrections);
  }

  /**
   * Voids the invoice (F0501 to upload) or cancels its number as blank (nothing to upload; the reconciliation
   * reports the number). Idempotent on the request key; the database refuses a second, different void.
   */
  async recordVoid(invoiceId: string, request: VoidRequest & { b2b: boolean }): Promise<{ voidedAt: string; message: FollowUpMessage | null }> {
    return this.db.transaction(async (manager) => {
      const invoice = await this.load(invoiceId, manager, true);
      if (invoice.voidRequestKey === request.key) {
        const existing = await this.repos.messages.findVoidOf(manager, invoiceId);
        return { voidedAt: invoice.voidedAt!.toISOString(), message: existing ? followUpOf(existing) : null };
      }
      const usedBy = await this.repos.invoices.voidKeyUsedBy(manager, invoice.sellerId, request.key);
      if (usedBy) throw reusedKey(request.key, usedBy);
      const voidedAt = this.clock.now();
      // The workflow checked this too; under the row lock the database has the last word.
      checkVoid(storedState(invoice, await this.repos.allowances.ofInvoice(invoiceId, manager)), request, voidedAt);
      const status = request.mode === 'cancel_blank' ? 'cancelled_blank' : 'voided';
      const reason = request.reason.trim();
      await this.repos.invoices.recordVoid(manager, invoiceId, { status, reason, approvalNumber: request.approvalNumber?.trim() || null, voidedAt, requestKey: request.key });
      const message = status === 'voided' ? await this.insertMessage(manager, invoiceId, 'F0501', voidedAt, request.b2b, null) : null;
      await this.repos.invoices.addEvent(manager, invoiceId, status === 'voided' ? 'voided' : 'cancelled as blank', { reason, approvalNumber: request.approvalNumber });
      await this.options.observer?.numberChanged(manager, { ...invoice, change: status });
      return { voidedAt: voidedAt.toISOString(), message };
    });
  }

  /** Records an allowance, planned again from the database; its number comes from a database sequence. */
  async recordAllowance(
    invoiceId: string,
    request: { key: string; request: AllowanceRequest; reason?: string; b2b: boolean },
  ): Promise<{ allowanceNumber: string; allowanceDate: string; lines: AllowanceLine[]; message: FollowUpMessage }> {
    return this.db.transaction(async (manager) => {
      const invoice = await this.load(invoiceId, manager, true);
      const existing = await this.repos.allowances.findByRequestKey(manager, invoice.sellerId, request.key);
      if (existing && existing.invoiceId !== invoiceId) throw reusedKey(request.key, existing.allowanceNumber);
      if (existing) {
        const message = (await this.repos.messages.findOfAllowance(manager, existing.id, 'G0401'))!;
        return { allowanceNumber: existing.allowanceNumber, allowanceDate: existing.allowanceDate.toISOString(), lines: existing.items, message: followUpOf(message) };
      }
      // Under the invoice's row lock: the workflow's own check may have seen an older state (a run started again
      // from a snapshot), the limits must not depend on that.
      const recorded = await this.repos.allowances.ofInvoice(invoiceId, manager);
      checkAllowance(storedState(invoice, recorded), request.key);
      const lines = planAllowance(
        allowanceLinesOf(invoice.payload),
        recorded.map((a) => ({ number: a.allowanceNumber, live: a.status === 'live', lines: a.items })),
        request.request,
      );
      const byType = { '1': 0, '2': 0, '3': 0 };
      let tax = 0;
      for (const line of lines) {
        const taxType = lineTaxType(invoice.payload, invoice.payload.lines[line.lineIndex]);
        const money = allowanceItemMoney(line.amount, taxType, request.b2b);
        byType[taxType] += money.untaxed;
        tax += money.tax;
      }
      const allowanceDate = this.clock.now();
      const allowance = await this.repos.allowances.insert(manager, {
        sellerId: invoice.sellerId,
        invoiceId,
        requestKey: request.key,
        allowanceDate,
        reason: request.reason ?? null,
        items: lines,
        amounts: { taxable: byType['1'], zeroTax: byType['2'], freeTax: byType['3'], tax },
      });
      const message = await this.insertMessage(manager, invoiceId, 'G0401', allowanceDate, request.b2b, allowance.id);
      await this.repos.invoices.addEvent(manager, invoiceId, 'allowance', { allowanceNumber: allowance.allowanceNumber, lines });
      return { allowanceNumber: allowance.allowanceNumber, allowanceDate: allowanceDate.toISOString(), lines, message };
    });
  }

  async recordAllowanceVoid(invoiceId: string, request: { key: string; allowanceNumber: string; reason: string; b2b: boolean }): Promise<FollowUpMessage> {
    return this.db.transaction(async (manager) => {
      const invoice = await this.load(invoiceId, manager, true);
      const allowance = await this.repos.allowances.lockByNumber(manager, invoiceId, request.allowanceNumber);
      if (!allowance) throw new DomainError('not_found', 'ALLOWANCE.NOT_FOUND', `no allowance ${request.allowanceNumber}`);
      if (allowance.voidRequestKey === request.key) return followUpOf((await this.repos.messages.findOfAllowance(manager, allowance.id, 'G0501'))!);
      checkAllowanceVoid(storedState(invoice, [allowance]), request);
      const usedBy = await this.repos.allowances.voidKeyUsedBy(manager, allowance.sellerId, request.key);
      if (usedBy) throw reusedKey(request.key, usedBy);
      const voidedAt = this.clock.now();
      const reason = request.reason.trim();
      await this.repos.allowances.markVoided(manager, allowance.id, { reason, voidedAt, requestKey: request.key });
      const message = await this.insertMessage(manager, invoiceId, 'G0501', voidedAt, request.b2b, allowance.id);
      await this.repos.invoices.addEvent(manager, invoiceId, 'allowance voided', { allowanceNumber: request.allowanceNumber, reason });
      return message;
    });
  }
}
