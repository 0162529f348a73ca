import { importsView } from './imports-view.js';
import { invoicesView } from './invoices-view.js';
import { reconciliationView } from './reconciliation-view.js';
import { tracksView } from './tracks-view.js';
import { View } from './view.js';

/** The navigation's views after 總覽 Overview, in tab order; each lives in its own `*-view.ts`. */
export const VIEWS: View[] = [invoicesView, reconciliationView, importsView, tracksView];
