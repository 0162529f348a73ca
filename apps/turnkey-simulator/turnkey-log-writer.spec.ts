import { DataSource } from 'typeorm';
import { TurnkeyLog } from '../../libs/adapters/turnkey/turnkey-log';
import { ScratchDatabase, createScratchDatabase } from '../../libs/dev/turnkey-test-kit';
import { TurnkeyLogWriter, TurnkeyMessageEntry } from './turnkey-log-writer';

describe('TurnkeyLogWriter and TurnkeyLog', () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  let log: TurnkeyLogWriter;
  let reader: TurnkeyLog;
  beforeAll(async () => {
    db = await createScratchDatabase();
    ds = db.dataSource;
    log = new TurnkeyLogWriter(ds);
    reader = new TurnkeyLog(ds);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const at = new Date('2025-01-15T05:06:07.089Z'); // 13:06:07.089 Taipei
  const since = new Date('2025-01-15T00:00:00Z');
  const entry = (invoiceIdentifier: string, more: Partial<TurnkeyMessageEntry> = {}): TurnkeyMessageEntry => ({
    messageType: 'F0401',
    at,
    fromPartyId: '12345675',
    toPartyId: '0000000000',
    characterCount: 1234,
    invoiceIdentifier,
    ...more,
  });

  it('records an accepted message under a running SEQNO, with no event row, and reads it back typed', async () => {
    const first = await log.record(entry('F0401LG0000000120250115'));
    const second = await log.record(entry('F0401LG0000000220250115'));
    expect(first).toMatch(/^\d{8}$/);
    expect(Number(second)).toBe(Number(first) + 1);

    const rows = await ds.query(`SELECT * FROM turnkey_message_log WHERE seqno = $1`, [first]);
    expect(rows).toEqual([
      expect.objectContaining({
        subseqno: '00001',
        message_type: 'F0401',
        category_type: 'B2S',
        process_type: 'STORAGE',
        from_party_id: '12345675',
        to_party_id: '0000000000',
        message_dts: '20250115130607089',
        character_count: '1234',
        status: 'G',
        in_out_bound: 'O',
        invoice_identifier: 'F0401LG0000000120250115',
      }),
    ]);
    expect(await ds.query(`SELECT 1 FROM turnkey_sysevent_log WHERE seqno = $1`, [first])).toEqual([]);
    expect(await reader.latest('F0401', 'F0401LG0000000120250115', since)).toEqual({
      seqno: first,
      subseqno: '00001',
      status: 'G',
      messageAt: at,
      errorCode: null,
      errorAt: null,
      errorMessages: [],
    });
  });

  it('records a rejection with its event row, stepping EVENTDTS past an event of the same millisecond', async () => {
    const error = { code: 'S001', information: 'bad.xml', message: 'F0401: broken', more: 'line 3' };
    const a = await log.record(entry('F0401LG0000000320250115', { error }));
    const b = await log.record(entry('F0401LG0000000420250115', { error: { code: 'S099', message: 'simulated' } }));
    const events: Array<Record<string, string | null>> = await ds.query(
      `SELECT eventdts, party_id, seqno, errorcode, information1, message1, message2 FROM turnkey_sysevent_log
        WHERE seqno IN ($1, $2) ORDER BY eventdts`,
      [a, b],
    );
    expect(events).toEqual([
      { eventdts: '20250115130607089', party_id: '12345675', seqno: a, errorcode: 'S001', information1: 'bad.xml', message1: 'F0401: broken', message2: 'line 3' },
      { eventdts: '20250115130607090', party_id: '12345675', seqno: b, errorcode: 'S099', information1: null, message1: 'simulated', message2: null },
    ]);
    expect(await reader.latest('F0401', 'F0401LG0000000320250115', since)).toMatchObject({
      status: 'E',
      errorCode: 'S001',
      errorMessages: ['F0401: broken', 'line 3'],
    });
  });

  it('cuts text to the column width by code point, never splitting a surrogate pair', async () => {
    const message = `${'字'.repeat(99)}𠮷𠮷`;
    const seqno = await log.record(entry('F0401LG0000000520250115', { fromPartyId: '12345675999', error: { code: 'S001', message } }));
    const [row] = await ds.query(`SELECT party_id, message1 FROM turnkey_sysevent_log WHERE seqno = $1`, [seqno]);
    expect(row).toEqual({ party_id: '1234567599', message1: `${'字'.repeat(99)}𠮷` });
  });

  it('tells whether an identifier was accepted (C only), or one of a type within a range reached the platform (G or C)', async () => {
    const sent = await log.record(entry('F0401LG0000000620250201'));
    await log.record(entry('F0401LG0000000720250201', { error: { code: 'S099', message: 'simulated' } }));
    expect(await reader.hasAccepted('F0401LG0000000620250201')).toBe(false);
    expect(await reader.hasReachedPlatformBetween('F0401', 'F0401LG0000000620250101', 'F0401LG0000000620250231')).toBe(true);
    expect(await log.settle(sent, { status: 'C', at })).toBe(true);
    expect(await reader.hasAccepted('F0401LG0000000620250201')).toBe(true);
    expect(await reader.hasAccepted('F0401LG0000000720250201')).toBe(false);
    expect(await reader.hasReachedPlatformBetween('F0401', 'F0401LG0000000620250101', 'F0401LG0000000620250231')).toBe(true);
    expect(await reader.hasReachedPlatformBetween('F0401', 'F0401LG0000000620250301', 'F0401LG0000000620250431')).toBe(false);
    expect(await reader.hasReachedPlatformBetween('F0501', 'F0401LG0000000620250101', 'F0401LG0000000620250231')).toBe(false);
  });

  it('moves a message P → G → E with its event row, lists it while in flight, and never overwrites a verdict', async () => {
    const seqno = await log.record(entry('F0401LG0000000920250115', { status: 'P' }));
    expect(await reader.latest('F0401', 'F0401LG0000000920250115', since)).toMatchObject({ status: 'P' });
    expect((await log.inFlight()).find((row) => row.seqno === seqno)).toMatchObject({ status: 'P' });
    expect(await log.settle(seqno, { status: 'G', at })).toBe(true);
    expect((await log.inFlight()).find((row) => row.seqno === seqno)).toMatchObject({ status: 'G' });
    const later = new Date(at.getTime() + 60_000);
    expect(await log.settle(seqno, { status: 'E', at: later, error: { code: 'S002', message: 'duplicate' } })).toBe(true);
    expect(await reader.latest('F0401', 'F0401LG0000000920250115', since)).toMatchObject({
      status: 'E',
      errorCode: 'S002',
      errorAt: later,
      errorMessages: ['duplicate'],
    });
    expect((await log.inFlight()).map((row) => row.seqno)).not.toContain(seqno);
    expect(await log.settle(seqno, { status: 'C', at: later })).toBe(false);
    expect(await reader.latest('F0401', 'F0401LG0000000920250115', since)).toMatchObject({ status: 'E' });
  });

  it('has no latest row before since or for another message type', async () => {
    await log.record(entry('F0401LG0000000820250115'));
    expect(await reader.latest('F0401', 'F0401LG0000000820250115', new Date(at.getTime() + 1))).toBeUndefined();
    expect(await reader.latest('F0501', 'F0401LG0000000820250115', since)).toBeUndefined();
  });
});
