import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { TurnkeyMessageType, turnkeyRoute } from './turnkey-folders';
import { parseTaipeiTimestamp, taipeiTimestamp } from '../../domain/taipei-time';

/** A TURNKEY_MESSAGE_LOG row with the latest TURNKEY_SYSEVENT_LOG row of the same SEQNO/SUBSEQNO, if any. */
export interface TurnkeyMessageRecord {
  seqno: string;
  subseqno: string;
  /** STATUS as written (P, G, C, E, I, or E plus a code); null when the column is empty. */
  status: string | null;
  /** MESSAGE_DTS. */
  messageAt: Date;
  /** ERRORCODE of the event row; null without one. */
  errorCode: string | null;
  /** EVENTDTS of the event row: when the error was recorded; null without one. */
  errorAt: Date | null;
  /** MESSAGE1..MESSAGE6 of the event row that are set, in order and as written. */
  errorMessages: string[];
}

/** Turnkey's STATUS values: P being packed/sent, G sent to the platform, C confirmed by it, E an error. */
export type TurnkeyStatus = 'P' | 'G' | 'C' | 'E';

/** An error as Turnkey records it in TURNKEY_SYSEVENT_LOG: ERRORCODE, INFORMATION1 (the file name), MESSAGE1 and MESSAGE2. */
export interface TurnkeyErrorEntry {
  code: string;
  information?: string;
  message: string;
  more?: string;
}

/** A message row still in flight: at P (recorded, not yet sent) or G (sent, not yet confirmed). */
export interface TurnkeyInFlightRecord {
  status: 'P' | 'G';
  seqno: string;
  subseqno: string;
  messageType: string;
  messageAt: Date;
  fromPartyId: string | null;
}

/**
 * One processed message, written the way Turnkey writes it: with its STATUS (G when not given, E when it carries an
 * error), and for an error an event row explaining it.
 */
export interface TurnkeyMessageEntry {
  messageType: TurnkeyMessageType;
  /** MESSAGE_DTS, and EVENTDTS of the event row. */
  at: Date;
  fromPartyId?: string;
  toPartyId?: string;
  characterCount: number;
  invoiceIdentifier: string | null;
  status?: Exclude<TurnkeyStatus, 'E'>;
  /** Makes the row a rejection (STATUS E) with its event row. */
  error?: TurnkeyErrorEntry;
}

interface MessageRow {
  seqno: string;
  subseqno: string;
  status: string | null;
  message_dts: string;
  eventdts: string | null;
  errorcode: string | null;
  message1: string | null;
  message2: string | null;
  message3: string | null;
  message4: string | null;
  message5: string | null;
  message6: string | null;
}

const UNIQUE_VIOLATION = '23505';
const RECORD_ATTEMPTS = 5;

/** PostgreSQL varchar(n) counts characters; slice by code point so a surrogate pair is never split. */
function fit(value: string | null | undefined, max: number): string | null {
  if (!value) return null;
  const chars = Array.from(value);
  return chars.length <= max ? value : chars.slice(0, max).join('');
}

function pgCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.code ?? e?.driverError?.code;
}

/**
 * The one owner of Turnkey's result tables TURNKEY_MESSAGE_LOG and TURNKEY_SYSEVENT_LOG: real Turnkey writes them in
 * production, the simulator through `record` in development, and the gateway reads outcomes through `latest`.
 */
export class TurnkeyLog {
  constructor(private readonly db: DataSource) {}

  /**
   * The latest row for the identifier and message type at or after `since` (a resend after a rejection adds a row,
   * and the newest one counts), with the latest event row of that message.
   */
  async latest(messageType: TurnkeyMessageType, invoiceIdentifier: string, since: Date): Promise<TurnkeyMessageRecord | undefined> {
    const rows: MessageRow[] = await this.db.query(
      `SELECT m.seqno, m.subseqno, m.status, m.message_dts,
              e.eventdts, e.errorcode, e.message1, e.message2, e.message3, e.message4, e.message5, e.message6
         FROM turnkey_message_log m
         LEFT JOIN LATERAL (
           SELECT s.eventdts, s.errorcode, s.message1, s.message2, s.message3, s.message4, s.message5, s.message6
             FROM turnkey_sysevent_log s
            WHERE s.seqno = m.seqno AND s.subseqno = m.subseqno
            ORDER BY s.eventdts DESC
            LIMIT 1
         ) e ON true
        WHERE m.invoice_identifier = $1 AND m.message_type = $2 AND m.message_dts >= $3
        ORDER BY m.message_dts DESC, m.seqno DESC, m.subseqno DESC
        LIMIT 1`,
      [invoiceIdentifier, messageType, taipeiTimestamp(since)],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      seqno: row.seqno,
      subseqno: row.subseqno,
      status: row.status,
      messageAt: parseTaipeiTimestamp(row.message_dts),
      errorCode: row.errorcode,
      errorAt: row.eventdts ? parseTaipeiTimestamp(row.eventdts) : null,
      errorMessages: [row.message1, row.message2, row.message3, row.message4, row.message5, row.message6].filter(
        (part): part is string => part !== null,
      ),
    };
  }

  /**
   * The INVOICE_IDENTIFIER values of the message type written at or after `since` whose text, without `-` and
   * without a leading message type, is one of `forms`: Turnkey versions spell the E0402 identifier differently.
   */
  async identifiersLike(messageType: TurnkeyMessageType, forms: string[], since: Date): Promise<string[]> {
    const rows: { invoice_identifier: string }[] = await this.db.query(
      `SELECT DISTINCT invoice_identifier FROM turnkey_message_log
        WHERE message_type = $1 AND message_dts >= $3
          AND regexp_replace(replace(invoice_identifier, '-', ''), '^' || $1, '') = ANY($2)`,
      [messageType, forms, taipeiTimestamp(since)],
    );
    return rows.map((r) => r.invoice_identifier);
  }

  /** Whether a C row (confirmed by the platform) exists for the identifier, of any message type. */
  async hasAccepted(invoiceIdentifier: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM turnkey_message_log WHERE invoice_identifier = $1 AND status = 'C' LIMIT 1`,
      [invoiceIdentifier],
    );
    return rows.length > 0;
  }

  /**
   * Whether a G or C row (sent to the platform, confirmed or not yet) of the message type exists with an identifier
   * from `from` to `to` (inclusive, as strings).
   */
  async hasReachedPlatformBetween(messageType: TurnkeyMessageType, from: string, to: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM turnkey_message_log
        WHERE message_type = $1 AND invoice_identifier BETWEEN $2 AND $3 AND status IN ('G', 'C') LIMIT 1`,
      [messageType, from, to],
    );
    return rows.length > 0;
  }

  /**
   * Inserts the message row under the next 8-digit SEQNO (SUBSEQNO 00001, outbound) and, for a rejection, its event
   * row; returns the SEQNO. Retries when a concurrent writer took the same SEQNO or EVENTDTS.
   */
  async record(entry: TurnkeyMessageEntry): Promise<string> {
    const { categoryType, processType } = turnkeyRoute(entry.messageType);
    const uuid = randomUUID();
    const messageDts = taipeiTimestamp(entry.at);
    const { error } = entry;
    for (let attemptNo = 1; ; attemptNo++) {
      try {
        return await this.db.transaction(async (manager) => {
          const [{ seqno }]: Array<{ seqno: string }> = await manager.query(
            `INSERT INTO turnkey_message_log (seqno, subseqno, uuid, message_type, category_type, process_type, from_party_id,
                 to_party_id, message_dts, character_count, status, in_out_bound, invoice_identifier)
             SELECT lpad((coalesce((SELECT seqno::bigint FROM turnkey_message_log WHERE seqno ~ '^[0-9]{8}$'
                                     ORDER BY seqno DESC LIMIT 1), 0) + 1)::text, 8, '0'),
                    '00001', $1, $2, $3, $4, $5, $6, $7, $8, $9, 'O', $10
             RETURNING seqno`,
            [
              uuid, entry.messageType, categoryType, processType, fit(entry.fromPartyId, 10), fit(entry.toPartyId, 10), messageDts,
              String(entry.characterCount), error ? 'E' : (entry.status ?? 'G'), entry.invoiceIdentifier,
            ],
          );
          if (error) await insertEvent(manager, { seqno, subseqno: '00001', uuid, partyId: entry.fromPartyId, at: entry.at, error });
          return seqno;
        });
      } catch (caught) {
        if (pgCode(caught) === UNIQUE_VIOLATION && attemptNo < RECORD_ATTEMPTS) continue;
        throw caught;
      }
    }
  }

  /**
   * Moves a recorded message on, as Turnkey does when the platform answers: to G (sent), C (confirmed) or E with the
   * event row explaining it. Only a row not yet at C or E moves, so a verdict is never overwritten.
   */
  async settle(seqno: string, change: { status: 'G' | 'C'; at: Date } | { status: 'E'; at: Date; error: TurnkeyErrorEntry }): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const [rows]: [Array<{ uuid: string | null; from_party_id: string | null }>] = await manager.query(
        `UPDATE turnkey_message_log SET status = $2 WHERE seqno = $1 AND subseqno = '00001' AND status IN ('P', 'G')
         RETURNING uuid, from_party_id`,
        [seqno, change.status],
      );
      const row = rows[0];
      if (!row) return false;
      if (change.status === 'E') {
        await insertEvent(manager, { seqno, subseqno: '00001', uuid: row.uuid, partyId: row.from_party_id, at: change.at, error: change.error });
      }
      return true;
    });
  }

  /** Messages at P or G (no verdict yet), oldest first. */
  async inFlight(limit = 500): Promise<TurnkeyInFlightRecord[]> {
    const rows: Array<{ status: 'P' | 'G'; seqno: string; subseqno: string; message_type: string; message_dts: string; from_party_id: string | null }> = await this.db.query(
      `SELECT status, seqno, subseqno, message_type, message_dts, from_party_id FROM turnkey_message_log
        WHERE status IN ('P', 'G') ORDER BY message_dts, seqno LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      status: row.status,
      seqno: row.seqno,
      subseqno: row.subseqno,
      messageType: row.message_type,
      messageAt: parseTaipeiTimestamp(row.message_dts),
      fromPartyId: row.from_party_id,
    }));
  }
}

/** EVENTDTS (a millisecond timestamp) is the table's primary key: step past any event in the same millisecond. */
async function insertEvent(
  manager: EntityManager,
  event: { seqno: string; subseqno: string; uuid: string | null; partyId: string | null | undefined; at: Date; error: TurnkeyErrorEntry },
): Promise<void> {
  const { error } = event;
  for (let offset = 0; ; offset++) {
    const eventDts = taipeiTimestamp(new Date(event.at.getTime() + offset));
    const inserted: unknown[] = await manager.query(
      `INSERT INTO turnkey_sysevent_log (eventdts, party_id, seqno, subseqno, errorcode, uuid, information1, message1, message2)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (eventdts) DO NOTHING RETURNING eventdts`,
      [eventDts, fit(event.partyId, 10), event.seqno, event.subseqno, error.code, event.uuid, fit(error.information, 100), fit(error.message, 100), fit(error.more, 100)],
    );
    if (inserted.length > 0) return;
  }
}
