import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../domain';
import { AlertFilter, AlertRecord, RaiseAlert, RaisedAlert } from './alert.records';

type Db = DataSource | EntityManager;

interface AlertRow {
  id: string;
  kind: string;
  severity: AlertRecord['severity'];
  cause_key: string;
  seller_id: string | null;
  seller_ban: string | null;
  channel_id: string | null;
  subject_type: AlertRecord['subject']['type'];
  subject_id: string;
  message: string;
  detail: Record<string, unknown>;
  state: AlertRecord['state'];
  occurrences: number;
  first_seen_at: Date;
  last_seen_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  opened?: boolean;
}

const SELECT = `a.*, s.ban AS seller_ban FROM alerts a LEFT JOIN sellers s ON s.id = a.seller_id`;

function toAlert(row: AlertRow): AlertRecord {
  return {
    id: row.id,
    kind: row.kind as AlertRecord['kind'],
    severity: row.severity,
    causeKey: row.cause_key,
    sellerId: row.seller_id,
    sellerBan: row.seller_ban,
    channelId: row.channel_id,
    subject: { type: row.subject_type, id: row.subject_id },
    message: row.message,
    detail: row.detail,
    state: row.state,
    occurrences: row.occurrences,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
  };
}

/** The one owner of the `alerts` table. */
export class AlertsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Inserts the alert or, for a cause already known, counts the repeat (see RaiseAlert.repeat) and refreshes what it
   * says. A resolved alert whose cause is back opens again (acknowledgement cleared): it is news again.
   */
  async upsert(input: RaiseAlert, at: Date, db: Db = this.db): Promise<RaisedAlert> {
    const rows: AlertRow[] = await db.query(
      `WITH up AS (
         INSERT INTO alerts AS a (kind, cause_key, severity, seller_id, channel_id, subject_type, subject_id, message, detail, first_seen_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
         ON CONFLICT (kind, cause_key) DO UPDATE SET
           severity = EXCLUDED.severity, message = EXCLUDED.message, detail = EXCLUDED.detail,
           last_seen_at = GREATEST(a.last_seen_at, EXCLUDED.last_seen_at),
           occurrences = a.occurrences + CASE WHEN $11 = 'count' OR a.state = 'resolved' OR a.severity <> EXCLUDED.severity THEN 1 ELSE 0 END,
           state = CASE WHEN a.state = 'resolved' THEN 'open' ELSE a.state END,
           resolved_at = CASE WHEN a.state = 'resolved' THEN NULL ELSE a.resolved_at END,
           acknowledged_at = CASE WHEN a.state = 'resolved' THEN NULL ELSE a.acknowledged_at END,
           acknowledged_by = CASE WHEN a.state = 'resolved' THEN NULL ELSE a.acknowledged_by END,
           acknowledged_key_id = CASE WHEN a.state = 'resolved' THEN NULL ELSE a.acknowledged_key_id END
         RETURNING a.*, (xmax = 0) AS inserted,
           (SELECT state FROM alerts o WHERE o.id = a.id) AS previous_state
       )
       SELECT up.*, s.ban AS seller_ban, (up.inserted OR up.previous_state = 'resolved') AS opened
         FROM up LEFT JOIN sellers s ON s.id = up.seller_id`,
      [
        input.kind, input.causeKey, input.severity, input.sellerId, input.channelId ?? null, input.subject.type, input.subject.id,
        input.message, JSON.stringify(input.detail ?? {}), at, input.repeat ?? 'count',
      ],
    );
    return { alert: toAlert(rows[0]), opened: rows[0].opened === true };
  }

  /** Resolves the open or acknowledged alert of a cause; returns it, or undefined when there was none to resolve. */
  async resolve(kind: string, causeKey: string, at: Date, db: Db = this.db): Promise<AlertRecord | undefined> {
    const rows: AlertRow[] = await db.query(
      `WITH up AS (
         UPDATE alerts SET state = 'resolved', resolved_at = $3 WHERE kind = $1 AND cause_key = $2 AND state <> 'resolved' RETURNING *
       )
       SELECT up.*, s.ban AS seller_ban FROM up LEFT JOIN sellers s ON s.id = up.seller_id`,
      [kind, causeKey, at],
    );
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  /** Resolves every unresolved alert of the kinds with one cause, in one statement. */
  async resolveCauses(kinds: string[], causeKey: string, at: Date, db: Db = this.db): Promise<number> {
    const rows: unknown[] = await db.query(
      `UPDATE alerts SET state = 'resolved', resolved_at = $3 WHERE kind = ANY($1) AND cause_key = $2 AND state <> 'resolved' RETURNING id`,
      [kinds, causeKey, at],
    );
    return rows.length;
  }

  /** Resolves every unresolved alert of the kinds about one subject (e.g. an invoice accepted at last). */
  async resolveSubject(kinds: string[], subject: { type: string; id: string }, at: Date, db: Db = this.db): Promise<number> {
    const rows: unknown[] = await db.query(
      `UPDATE alerts SET state = 'resolved', resolved_at = $4
        WHERE kind = ANY($1) AND subject_type = $2 AND subject_id = $3 AND state <> 'resolved' RETURNING id`,
      [kinds, subject.type, subject.id, at],
    );
    return rows.length;
  }

  /** Marks an open alert acknowledged; an acknowledged or resolved one is returned unchanged. */
  async acknowledge(id: string, by: { name: string; keyId: string | null }, at: Date): Promise<AlertRecord | undefined> {
    await this.db.query(
      `UPDATE alerts SET state = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3, acknowledged_key_id = $4 WHERE id = $1 AND state = 'open'`,
      [id, at, by.name, by.keyId],
    );
    return this.findById(id);
  }

  async findById(id: string): Promise<AlertRecord | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const rows: AlertRow[] = await this.db.query(`SELECT ${SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  /** Newest first by last sighting, keyset-paginated on (last_seen_at, id). */
  async list(filter: AlertFilter): Promise<{ alerts: AlertRecord[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.states?.length) add((p) => `a.state = ANY(${p})`, filter.states);
    if (filter.kinds?.length) add((p) => `a.kind = ANY(${p})`, filter.kinds);
    if (filter.sellerId) add((p) => `a.seller_id = ${p}`, filter.sellerId);
    if (filter.subject) {
      add((p) => `a.subject_type = ${p}`, filter.subject.type);
      add((p) => `a.subject_id = ${p}`, filter.subject.id);
    }
    if (filter.cursor) {
      const [at, id] = decodeCursor(filter.cursor);
      params.push(at, id);
      where.push(`(a.last_seen_at, a.id) < ($${params.length - 1}, $${params.length})`);
    }
    const limit = filter.limit ?? 100;
    params.push(limit + 1);
    const rows: AlertRow[] = await this.db.query(
      `SELECT ${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.last_seen_at DESC, a.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit).map(toAlert);
    const last = page[page.length - 1];
    return { alerts: page, nextCursor: rows.length > limit && last ? encodeCursor(last.lastSeenAt, last.id) : null };
  }
}

const encodeCursor = (at: Date, id: string) => Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at))) return [at, id];
  } catch {
    // fall through to the error below
  }
  throw new DomainError('invalid', 'ALERTS.BAD_CURSOR', 'cursor: not a cursor this listing returned', [
    { field: 'cursor', code: 'ALERTS.BAD_CURSOR', message: 'pass nextCursor from the previous page' },
  ]);
}
