import { DataSource } from 'typeorm';
import { TurnkeyMessageType } from './turnkey-folders';
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

/**
 * The reader of Turnkey's result tables TURNKEY_MESSAGE_LOG and TURNKEY_SYSEVENT_LOG: real Turnkey writes them in
 * production (the simulator's TurnkeyLogWriter in development), and the gateway reads outcomes through `latest`.
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

}
