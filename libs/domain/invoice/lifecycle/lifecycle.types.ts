import { DomainError } from '../../domain-error';
import { AllowanceLine, AllowanceLineFact, AllowanceRequest } from '../allowances';
import { LifecycleState, VoidAsk } from '../operation-rules';

/** The lifecycle's state, the events it decides on and the commands it gives (see decide.ts). */

export type DeadlineMark = 'due_soon' | 'overdue' | 'past_legal';

export type LifecycleDeadlineState = 'on_time' | DeadlineMark | 'done';

/** Absolute instants (ISO 8601) a message is due by. */
export interface Deadlines {
  warnAt: string;
  dueAt: string;
  legalDueAt: string;
}

/** A void, allowance or allowance void waiting for its own upload. */
export interface LifecycleMessage extends Deadlines {
  messageId: string;
}

export interface LifecycleAllowance {
  number: string;
  live: boolean;
  lines?: AllowanceLine[];
  requestKey: string;
  voidRequestKey: string | null;
}

export type Verdict = { state: 'accepted' } | { state: 'rejected'; errorCode: string; errorMessage: string };

export type VoidAskOf = VoidAsk & { verdictRecorded?: boolean };

export type AllowanceAsk = { key: string; whole?: boolean; lines?: { lineIndex: number; quantity?: number; amount: number }[]; reason?: string };

export type AllowanceVoidAsk = { key: string; allowanceNumber: string; reason: string };

export type LifecycleRequest = { kind: 'resend' } | { kind: 'void'; ask: VoidAskOf } | { kind: 'allowance'; ask: AllowanceAsk } | { kind: 'allowance_void'; ask: AllowanceVoidAsk };

/**
 * Where a request stands: `uploaded` waits for the F0401's acceptance (refused if it is rejected instead), `verdict`
 * for the verdict already in the database to reach the workflow, `settled` (resend) for the upload in flight to be
 * judged, `turn` for the operation before it; `running` has its activity under way.
 */
export type Gate = 'uploaded' | 'verdict' | 'settled' | 'turn' | 'running';

export interface PendingRequest {
  id: number;
  request: LifecycleRequest;
  gate: Gate;
  /** Set when its turn came and the request was not a repeat: it has an effect of its own. */
  fresh?: boolean;
}

/** The deadline clock of the F0401 (`messageId` null) or of one message: the next mark, and what it waits on. */
export interface DeadlineWatch extends Deadlines {
  messageId: string | null;
  next: number;
  waiting: 'timer' | 'mark' | null;
}

export type UploadPhase = 'delivering' | 'quick' | 'polling';

export interface Lifecycle {
  invoiceNumber: string;
  filingDeadline: string;
  /** Only in runs started before the lines left the input: those plan allowances here, as their histories did. */
  lines?: AllowanceLineFact[];
  state: LifecycleState;
  attempts: number;
  deadlineState: LifecycleDeadlineState;
  lastError?: { code: string; message: string };
  f0401Accepted: boolean;
  voidRequestKey: string | null;
  allowances: LifecycleAllowance[];
  /** Follow-up messages in the order entered; the first is the one being uploaded. */
  queue: LifecycleMessage[];
  deadlines: DeadlineWatch[];
  upload: { messageId: string | null; attempt: number; phase: UploadPhase } | null;
  /** Uploads of the follow-up message at the head of the queue so far. */
  headAttempts: number;
  /** The follow-up message at the head of the queue was rejected and waits for a resend. */
  messageRejected: boolean;
  /** A resend applying its corrections, or answered and waiting for the upload it asked for: in flight either way. */
  resend: 'none' | 'correcting' | 'requested';
  /**
   * Voids and allowances take turns, each checked again once its turn comes: two requests validated against the
   * same state (e.g. two whole allowances) must not both pass. Those that arrive together, or wait together for the
   * turn to be free, start together (the recorded runs did; the service's row lock refuses the excess); the turn is
   * taken once all of them are decided (`drained`) and free again when one of them ends.
   */
  turn: 'free' | 'starting' | 'taken';
  /** The buyer's notice: `due` until the run starts it, `sending` until it is sent or given up. */
  notice: 'due' | 'sending' | 'settled';
  /** A new invoice's F0401 deadlines, until `started` sets its clock going. */
  f0401?: Deadlines;
  requests: PendingRequest[];
}

export type LifecycleCommand =
  | { kind: 'deliver'; messageId: string | null; attempt: number }
  | { kind: 'await_verdict' }
  | { kind: 'poll_verdict' }
  | { kind: 'start_timer'; messageId: string | null; ms: number }
  | { kind: 'cancel_timer'; messageId: string | null }
  | { kind: 'mark_deadline'; messageId: string | null; state: DeadlineMark }
  | { kind: 'notify_buyer' }
  | { kind: 'apply_corrections'; id: number }
  | { kind: 'record_void'; id: number; ask: VoidAskOf }
  | { kind: 'record_allowance'; id: number; ask: { key: string; request: AllowanceRequest; reason?: string } }
  | { kind: 'record_allowance_void'; id: number; ask: AllowanceVoidAsk }
  | { kind: 'reply'; id: number; value: unknown }
  | { kind: 'refuse'; id: number; error: DomainError }
  /** An operation's activity failed: its request fails with that failure. */
  | { kind: 'fail'; id: number; failure: unknown };

/** What reaches the workflow; as decided, each also carries the workflow's time (`now`, ms) when it did. */
export type LifecycleEventBody =
  /** The run has begun and its Updates are being taken: the first upload, its deadline clock, the buyer's notice. */
  | { kind: 'started' }
  /** Every event that arrived together has been decided: the operations they started now hold the turn. */
  | { kind: 'drained' }
  | { kind: 'delivered'; quickVerdict: boolean }
  | { kind: 'verdict'; verdict: Verdict | { state: 'pending' } }
  | { kind: 'deadline_due'; messageId: string | null }
  | { kind: 'deadline_marked'; messageId: string | null }
  | { kind: 'notice_settled' }
  | { kind: 'requested'; id: number; request: LifecycleRequest }
  | { kind: 'corrected'; id: number }
  | { kind: 'void_recorded'; id: number; message: LifecycleMessage | null; voidedAt: string }
  | { kind: 'allowance_recorded'; id: number; allowanceNumber: string; message: LifecycleMessage; lines: AllowanceLine[]; allowanceDate: string }
  | { kind: 'allowance_void_recorded'; id: number; message: LifecycleMessage }
  | { kind: 'operation_failed'; id: number; failure: unknown };

export type LifecycleEvent = LifecycleEventBody & { now: number };

export interface Decision {
  lifecycle: Lifecycle;
  commands: LifecycleCommand[];
}

export interface LifecycleStart extends Deadlines {
  invoiceNumber: string;
  notifyBuyer: boolean;
  filingDeadline: string;
  lines?: AllowanceLineFact[];
  resume?: { state: LifecycleState; voidRequestKey: string | null; allowances: LifecycleAllowance[]; openMessages: LifecycleMessage[] };
}
