// Every workflow the worker registers is exported from here.
export { invoiceLifecycle } from './invoice-lifecycle.workflow';
export { sweepUnstartedLifecycles } from './maintenance.workflow';
export { orderImport } from './order-import.workflow';
export { reconciliation, scheduledReconciliations } from './reconciliation.workflow';
