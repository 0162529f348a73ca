import { Transaction } from '../../infra/persistence/transaction';
import { AlertsService } from '../alerts';
import { DeadlineState } from '../../contracts/workflows';
import { LifecycleSubject, RecordedOutcome } from './invoice-lifecycle.service';

const DEADLINE_ALERTS = {
  due_soon: { kind: 'invoice.due_soon', severity: 'info', says: 'is due for upload soon' },
  overdue: { kind: 'invoice.overdue', severity: 'warning', says: 'is overdue for upload' },
  past_legal: { kind: 'invoice.past_legal', severity: 'critical', says: 'is past its legal upload limit' },
} as const;

const DEADLINE_KINDS = Object.values(DEADLINE_ALERTS).map((a) => a.kind);

/** One cause per message: the F0401 of an invoice, or one follow-up message (void, allowance, allowance void). */
const causeOf = (s: LifecycleSubject) => (s.messageId ? `message:${s.messageId}` : `invoice:${s.invoiceId}:F0401`);
const subjectOf = (s: LifecycleSubject) => (s.messageId ? { type: 'message' as const, id: s.messageId } : { type: 'invoice' as const, id: s.invoiceId });

/**
 * The lifecycle's alerts: due soon, overdue and past the legal limit as the deadlines pass, a rejected upload with
 * the platform's code, Turnkey silent on a delivered message; all of a message resolved once the platform accepts it.
 */
export class InvoiceAlerts {
  constructor(private readonly alerts: AlertsService) {}

  async deadlineReached(manager: Transaction, subject: LifecycleSubject, state: Exclude<DeadlineState, 'on_time' | 'done'>): Promise<void> {
    const { kind, severity, says } = DEADLINE_ALERTS[state];
    await this.alerts.raise(
      {
        kind, severity, sellerId: subject.sellerId, channelId: subject.channelId, subject: subjectOf(subject), causeKey: causeOf(subject),
        message: `${subject.messageType} of invoice ${subject.invoiceNumber} ${says}`,
        detail: { invoiceNumber: subject.invoiceNumber, messageType: subject.messageType },
      },
      manager,
    );
    // The states follow one another: the later one replaces the earlier on the dashboard.
    for (const earlier of DEADLINE_KINDS.slice(0, DEADLINE_KINDS.indexOf(kind))) await this.alerts.resolve(earlier, causeOf(subject), manager);
  }

  async uploadSilent(manager: Transaction, subject: LifecycleSubject, deliveredAt: Date): Promise<void> {
    await this.alerts.raise(
      {
        kind: 'turnkey.silent', severity: 'warning', sellerId: subject.sellerId, channelId: subject.channelId, subject: subjectOf(subject),
        causeKey: causeOf(subject),
        message: `${subject.messageType} of invoice ${subject.invoiceNumber} was handed to Turnkey at ${deliveredAt.toISOString()} and has no platform verdict yet`,
        detail: { invoiceNumber: subject.invoiceNumber, messageType: subject.messageType, deliveredAt: deliveredAt.toISOString() },
      },
      manager,
    );
  }

  async outcomeRecorded(manager: Transaction, subject: LifecycleSubject, outcome: RecordedOutcome): Promise<void> {
    // An acceptance ends every alert of the upload at once: silence, deadlines, an earlier rejection.
    if (outcome.state === 'accepted') {
      await this.alerts.resolveCauses(['turnkey.silent', ...DEADLINE_KINDS, 'upload.rejected'], causeOf(subject), manager);
      return;
    }
    await this.alerts.resolve('turnkey.silent', causeOf(subject), manager);
    await this.alerts.raise(
      {
        kind: 'upload.rejected', severity: 'critical', sellerId: subject.sellerId, channelId: subject.channelId, subject: subjectOf(subject),
        causeKey: causeOf(subject),
        message: `${subject.messageType} of invoice ${subject.invoiceNumber} was rejected: ${outcome.errorCode} ${outcome.errorMessage}`,
        detail: { invoiceNumber: subject.invoiceNumber, messageType: subject.messageType, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage },
      },
      manager,
    );
  }
}
