import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BlankPart, BlankRange, BlankTotals, BlankViolation } from '../domain/blank/compute-blank-ranges';
import type { ReconciliationStage, RunHold } from '../domain/blank/reconciliation-rules';

export type { ReconciliationStage, RunHold };

/** Workflow types as registered by the worker; never renamed, recorded histories name them. */
export const RECONCILIATION_WORKFLOW_TYPES = {
  reconciliation: 'reconciliation',
  scheduledReconciliations: 'scheduledReconciliations',
} as const;

export type ReconciliationMode = 'report' | 'check';

/** One run per seller, period and mode: starting it again finds the same run. */
export const reconciliationWorkflowId = (sellerBan: string, period: string, mode: ReconciliationMode = 'report') =>
  `${mode === 'report' ? 'reconciliation' : 'reconciliation-check'}:${sellerBan}:${period}`;

export interface ReconciliationInput {
  sellerBan: string;
  /** Canonical `yyyMM`. */
  period: string;
  mode: ReconciliationMode;
  /** Who started it: a staff key's name, or `schedule`. */
  startedBy: string;
  /**
   * Started by the monthly Schedule, the one run that uploads unattended. A flag of its own, since a staff key may be
   * named anything, `schedule` too. Absent in runs recorded before it, which went by `startedBy`.
   */
  scheduled?: boolean;
  /** ISO instants: upload time (the 6th, 06:00), late warning, and when the run stops taking reruns. */
  uploadAt: string;
  lateWarnAt: string;
  closeAt: string;
}

export interface ReconciliationStatus {
  stage: ReconciliationStage;
  progress: { done: number; total: number };
  draftVersion: number;
  violations: number;
  held: boolean;
  /** Who held it, when and why; absent once released (or never held). */
  hold?: RunHold;
  approved: boolean;
  uploads: number;
  accepted: boolean;
}

/** A chunk of booklets computed by one activity; `next` is where the next chunk starts, null after the last. */
export interface BlankChunk {
  part: BlankPart;
  next: { invoiceType: string; track: string; start: number } | null;
}

export interface BlankDraft {
  ranges: BlankRange[];
  totals: BlankTotals;
  violations: BlankViolation[];
}

/** A staff action on a run, named after the key that took it; a hold says why. */
export interface ReconciliationAction {
  by: string;
  reason?: string;
}

export const reconciliationStatusQuery = defineQuery<ReconciliationStatus>('reconciliationStatus');
export const holdUpdate = defineUpdate<ReconciliationStatus, [ReconciliationAction]>('hold');
export const approveUpdate = defineUpdate<ReconciliationStatus, [ReconciliationAction]>('approve');
export const releaseUpdate = defineUpdate<ReconciliationStatus, [ReconciliationAction]>('release');
export const rerunUpdate = defineUpdate<ReconciliationStatus, [ReconciliationAction]>('rerun');
