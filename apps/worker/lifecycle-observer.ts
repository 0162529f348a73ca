import { LifecycleObserver, InvoiceAlerts } from '../../libs/modules/invoices';
import { NumberStock } from '../../libs/modules/numbers';
import { ReportedRangeWatch } from '../../libs/modules/reconciliation';

/** What the lifecycle's records set off: deadline and rejection alerts, low number stock, reported-range conflicts. */
export function lifecycleObserver(parts: { invoiceAlerts: InvoiceAlerts; stock: NumberStock; watch: ReportedRangeWatch }): LifecycleObserver {
  const { invoiceAlerts, stock, watch } = parts;
  return {
    deadlineReached: (manager, subject, state) => invoiceAlerts.deadlineReached(manager, subject, state),
    outcomeRecorded: (manager, subject, outcome) => invoiceAlerts.outcomeRecorded(manager, subject, outcome),
    uploadSilent: (manager, subject, deliveredAt) => invoiceAlerts.uploadSilent(manager, subject, deliveredAt),
    numberChanged: async (manager, change) => {
      await watch.numberChanged(manager, change);
      if (change.change === 'issued') await stock.check({ sellerId: change.sellerId, channelId: change.channelId, at: change.issuedAt }, manager);
    },
  };
}
