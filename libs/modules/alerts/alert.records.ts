/** Kinds of alert (SPEC "Alerts"); `area.cause`, stable, since they key the cause and the dashboard's filters. */
export const ALERT_KINDS = [
  'invoice.due_soon',
  'invoice.overdue',
  'invoice.past_legal',
  'upload.rejected',
  'numbers.low',
  'reconciliation.mismatch',
  'reconciliation.late',
  'reconciliation.conflict',
  'reconciliation.held',
  'reconciliation.rejected',
  'turnkey.silent',
  'order.attention',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number] | `${string}.${string}`;

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export type AlertSubjectType = 'invoice' | 'message' | 'import' | 'reconciliation' | 'booklet' | 'channel' | 'order';

/** What a caller raises: one cause (kind + causeKey) is one alert, however often it is raised. */
export interface RaiseAlert {
  kind: AlertKind;
  severity: AlertSeverity;
  sellerId: string | null;
  channelId?: string | null;
  subject: { type: AlertSubjectType; id: string };
  /** Names the cause within its kind, e.g. `invoice:<id>:F0401`; raising it again updates the same alert. */
  causeKey: string;
  message: string;
  detail?: Record<string, unknown>;
  /**
   * `count` (the default): raising an unresolved alert again counts an occurrence. `refresh`: the cause is a level
   * checked again and again (numbers left), so a repeat only refreshes message and detail; an occurrence is counted
   * when the alert opens again or its severity changes.
   */
  repeat?: 'count' | 'refresh';
}

export interface AlertRecord {
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  causeKey: string;
  sellerId: string | null;
  sellerBan: string | null;
  channelId: string | null;
  subject: { type: AlertSubjectType; id: string };
  message: string;
  detail: Record<string, unknown>;
  state: AlertState;
  occurrences: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
}

/** `raise` tells whether this call opened the alert (new, or back after it was resolved): what delivery sends. */
export interface RaisedAlert {
  alert: AlertRecord;
  opened: boolean;
}

export interface AlertFilter {
  states?: AlertState[];
  kinds?: string[];
  sellerId?: string;
  subject?: { type: AlertSubjectType; id: string };
  limit?: number;
  /** Keyset cursor from the previous page. */
  cursor?: string;
}
