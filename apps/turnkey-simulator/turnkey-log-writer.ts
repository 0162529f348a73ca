import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { TurnkeyMessageType, turnkeyRoute } from '../../libs/adapters/turnkey/turnkey-folders';
import { TurnkeyStatus } from '../../libs/adapters/turnkey/turnkey-log';
import { parseTaipeiTimestamp, taipeiTimestamp } from '../../libs/domain/taipei-time';

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
 * Writes Turnkey's result tables as Turnkey itself does: the simulator plays the platform through it. Production
 * code only reads them (TurnkeyLog in the Turnkey adapter), since there Turnkey is their writer.
 */
export class TurnkeyLogWriter {
  constructor(private readonly db: DataSource) {}

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
        return await this.atomically(Boolean(error), async (manager) => {
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
    return this.atomically(change.status === 'E', async (manager) => {
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

  /** A transaction only where a second row goes with the first: one statement is atomic alone, in a round trip. */
  private atomically<T>(twoRows: boolean, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return twoRows ? this.db.transaction(work) : work(this.db.manager);
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
