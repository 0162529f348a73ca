/** The API as the page calls it: same origin, the session cookie goes along by itself; no key is ever held here. */
export interface ErrorDetail {
  row?: number;
  column?: string;
  field?: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; idempotencyKey?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.idempotencyKey) headers['Idempotency-Key'] = init.idempotencyKey;
  const response = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.code ?? `HTTP.${response.status}`, body.message ?? response.statusText, body.details ?? []);
  return body as T;
}

export interface Session {
  role: string;
  name: string;
  /** The Temporal UI's workflow list (TEMPORAL_UI_URL): links to a workflow are shown only with it. */
  temporalUi?: string | null;
}

/** What each staff role may do on the page; the API enforces the same, this only hides what would be refused. */
export const can = (session: Session | null) => ({
  void: session?.role === 'admin',
  allowance: session?.role === 'admin',
  acknowledge: session !== null && session.role !== 'viewer',
  imports: session?.role === 'admin' || session?.role === 'finance',
  /** Reconciliation runs, number files, booklet assignment (`@FinanceActs`). */
  finance: session?.role === 'admin' || session?.role === 'finance',
  /** The invoice proof: printed and reprinted by admin and finance (each print recorded). */
  print: session?.role === 'admin' || session?.role === 'finance',
});

export interface BoardItem {
  kind: 'invoice' | 'message';
  messageType: string;
  sellerBan: string;
  sellerName: string;
  channel: string | null;
  invoiceNumber: string;
  allowanceNumber: string | null;
  bucket: string;
  status: string;
  dueAt: string;
  legalDueAt: string;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface Snapshot {
  generatedAt: string;
  board: {
    items: BoardItem[];
    counts: { sellerBan: string; sellerName: string; channel: string | null; bucket: string; count: number; nextDueAt: string }[];
  };
  dueByHour: { from: string; counts: number[] };
  imports: {
    imports: { id: string; sellerBan: string; sellerName: string; fileName: string | null; state: string; total: number; issued: number; failed: number; pending: number; confirmedAt: string | null; finishedAt: string | null; workflowId: string }[];
  };
  reconciliations: {
    runs: { sellerBan: string; period: string; mode: string; state: string; progress: { done: number; total: number }; violations: number; heldBy: string | null; updatedAt: string; workflowId: string }[];
  };
  alertDelivery: {
    targets: string[];
    last: { target: string; kind: string; alerts: number; state: string; attempts: number; lastResult: string | null; lastAttemptAt: string | null; nextAttemptAt: string | null }[];
  };
  stock: {
    periodRange: string;
    threshold: number;
    rows: { sellerBan: string; track: string; invoiceType: string; channel: string | null; thirdParty: string | null; total: number; used: number; left: number }[];
    channels: { sellerBan: string; channel: string | null; left: number; low: boolean }[];
  };
}

export interface Alert {
  id: string;
  kind: string;
  severity: string;
  seller: string | null;
  message: string;
  state: string;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  acknowledgedBy: string | null;
}
