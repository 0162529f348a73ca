import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { TurnkeyMessageType, upcastBakDir, upcastErrDir, upcastSrcDir } from '../../libs/adapters/turnkey/turnkey-folders';
import { SIMULATOR_ERROR_CODES, SimulatorProcessedFile, TurnkeySimulator, TurnkeySimulatorOptions } from './turnkey-simulator';
import { TurnkeyGateway } from '../../libs/adapters/turnkey/turnkey.gateway';
import { TurnkeyLogWriter } from './turnkey-log-writer';
import { F0401Fixture, ScratchDatabase, createScratchDatabase, f0401Xml, scratchFolder } from '../../libs/dev/turnkey-test-kit';

const INVOICE_DATE = '20250115';

const f0501Xml = (number: string, invoiceDate = INVOICE_DATE) => `<?xml version="1.0" encoding="UTF-8"?>
<CancelInvoice xmlns="urn:GEINV:eInvoiceMessage:F0501:4.1">
  <CancelInvoiceNumber>${number}</CancelInvoiceNumber>
  <InvoiceDate>${invoiceDate}</InvoiceDate>
  <BuyerId>0000000000</BuyerId>
  <SellerId>12345675</SellerId>
  <CancelDate>20250120</CancelDate>
  <CancelTime>10:00:00</CancelTime>
  <CancelReason>訂單取消</CancelReason>
</CancelInvoice>
`;

const g0401Xml = (allowanceNumber: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Allowance xmlns="urn:GEINV:eInvoiceMessage:G0401:4.1">
  <Main>
    <AllowanceNumber>${allowanceNumber}</AllowanceNumber>
    <AllowanceDate>20250120</AllowanceDate>
    <Seller><Identifier>12345675</Identifier><Name>測試商店</Name></Seller>
    <Buyer><Identifier>0000000000</Identifier><Name>消費者</Name></Buyer>
    <AllowanceType>2</AllowanceType>
  </Main>
  <Details>
    <ProductItem>
      <OriginalInvoiceDate>${INVOICE_DATE}</OriginalInvoiceDate>
      <OriginalInvoiceNumber>AB12345678</OriginalInvoiceNumber>
      <OriginalDescription>咖啡豆</OriginalDescription>
      <Quantity>1</Quantity>
      <UnitPrice>500</UnitPrice>
      <Amount>500</Amount>
      <Tax>25</Tax>
      <AllowanceSequenceNumber>001</AllowanceSequenceNumber>
      <TaxType>1</TaxType>
    </ProductItem>
  </Details>
  <Amount><TaxAmount>25</TaxAmount><TotalAmount>500</TotalAmount></Amount>
</Allowance>
`;

const e0402Xml = (track: string | null) => `<?xml version="1.0" encoding="UTF-8"?>
<BranchTrackBlank xmlns="urn:GEINV:eInvoiceMessage:E0402:4.1">
  <Main>
    <HeadBan>12345675</HeadBan>
    <BranchBan>12345675</BranchBan>
    <InvoiceType>07</InvoiceType>
    <YearMonth>11402</YearMonth>
    ${track === null ? '' : `<InvoiceTrack>${track}</InvoiceTrack>`}
  </Main>
  <Details>
    <BranchTrackBlankItem><InvoiceBeginNo>12345650</InvoiceBeginNo><InvoiceEndNo>12345699</InvoiceEndNo></BranchTrackBlankItem>
  </Details>
</BranchTrackBlank>
`;

interface LogRow {
  seqno: string;
  subseqno: string;
  uuid: string;
  message_type: string;
  category_type: string;
  process_type: string;
  from_party_id: string | null;
  to_party_id: string | null;
  message_dts: string;
  status: string;
  in_out_bound: string;
  invoice_identifier: string | null;
  errorcode: string | null;
  message1: string | null;
  message2: string | null;
}

describe('TurnkeySimulator', () => {
  let db: ScratchDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createScratchDatabase();
    ds = db.dataSource;
  });
  afterAll(async () => {
    await db?.drop();
  });

  let folder: ReturnType<typeof scratchFolder>;
  let gateway: TurnkeyGateway;
  let processed: SimulatorProcessedFile[];
  let errors: unknown[];
  let startedAt: Date;
  beforeEach(() => {
    folder = scratchFolder();
    gateway = new TurnkeyGateway(folder.path, ds);
    processed = [];
    errors = [];
    startedAt = new Date();
  });
  afterEach(() => {
    expect(errors).toEqual([]);
    folder.remove();
  });

  const simulator = (options: TurnkeySimulatorOptions = {}) =>
    new TurnkeySimulator(folder.path, ds, { onProcessed: (r) => processed.push(r), onError: (e) => errors.push(e), ...options });

  // Invoice numbers are unique per test so the shared database never turns one test's invoice into another's duplicate.
  let counter = 0;
  const nextNumber = () => `TK${String(++counter).padStart(8, '0')}`;

  const deliverF0401 = (fixture: F0401Fixture, fileName = `${fixture.number}-${++counter}.xml`) =>
    gateway.deliver({ messageType: 'F0401', fileName, xml: f0401Xml(fixture) });

  async function row(seqno: string): Promise<LogRow> {
    const rows: LogRow[] = await ds.query(
      `SELECT m.*, s.errorcode, s.message1, s.message2
         FROM turnkey_message_log m LEFT JOIN turnkey_sysevent_log s ON s.seqno = m.seqno AND s.subseqno = m.subseqno
        WHERE m.seqno = $1`,
      [seqno],
    );
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  function expectMovedTo(result: SimulatorProcessedFile, base: string): void {
    expect(dirname(dirname(result.movedTo))).toBe(base);
    expect(basename(dirname(result.movedTo))).toMatch(/^\d{8}$/);
    expect(existsSync(result.movedTo)).toBe(true);
    expect(existsSync(result.file)).toBe(false);
  }

  const srcFiles = (type: TurnkeyMessageType = 'F0401') =>
    existsSync(upcastSrcDir(folder.path, type)) ? readdirSync(upcastSrcDir(folder.path, type)) : [];

  it('accepts a valid F0401: sent (G), then confirmed (C) as Turnkey writes it, file in BAK/<day>/, gateway outcome accepted', async () => {
    const number = nextNumber();
    await deliverF0401({ number });
    expect(await simulator().processOnce()).toBe(1);

    const [result] = processed;
    expect(result).toMatchObject({ messageType: 'F0401', status: 'G', invoiceIdentifier: `F0401${number}${INVOICE_DATE}` });
    expectMovedTo(result, upcastBakDir(folder.path, 'F0401'));
    const logged = await row(result.seqno);
    expect(logged).toMatchObject({
      subseqno: '00001',
      message_type: 'F0401',
      category_type: 'B2S',
      process_type: 'STORAGE',
      from_party_id: '12345675',
      to_party_id: '0000000000',
      status: 'C',
      in_out_bound: 'O',
      invoice_identifier: `F0401${number}${INVOICE_DATE}`,
      errorcode: null,
    });
    expect(logged.seqno).toMatch(/^\d{8}$/);
    expect(logged.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(logged.message_dts).toMatch(/^\d{17}$/);

    expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: `F0401${number}${INVOICE_DATE}`, since: startedAt })).toMatchObject({
      state: 'accepted',
    });
  });

  it('numbers SEQNO as a running 8-digit sequence', async () => {
    await deliverF0401({ number: nextNumber() });
    await deliverF0401({ number: nextNumber() });
    expect(await simulator().processOnce()).toBe(2);
    const [a, b] = processed.map((p) => Number(p.seqno));
    expect(b).toBe(a + 1);
  });

  describe('schema rejections (S001)', () => {
    it('rejects a missing InvoiceNumber into ERR with code and message', async () => {
      await deliverF0401({ number: nextNumber(), omit: ['InvoiceNumber'] }, 'no-number.xml');
      expect(await simulator().processOnce()).toBe(1);
      const [result] = processed;
      expect(result).toMatchObject({ status: 'E', errorCode: 'S001', invoiceIdentifier: null });
      expectMovedTo(result, upcastErrDir(folder.path, 'F0401'));
      const logged = await row(result.seqno);
      expect(logged).toMatchObject({ status: 'E', errorcode: 'S001', message1: 'F0401: Invoice/Main/InvoiceNumber is missing' });
    });

    it('rejects a wrong namespace, and the gateway reports it', async () => {
      const number = nextNumber();
      await deliverF0401({ number, namespace: 'urn:GEINV:eInvoiceMessage:F0401:4.0' });
      await simulator().processOnce();
      const logged = await row(processed[0].seqno);
      expect(logged).toMatchObject({
        errorcode: 'S001',
        message1: 'F0401: namespace must be urn:GEINV:eInvoiceMessage:F0401:4.1',
        message2: "got 'urn:GEINV:eInvoiceMessage:F0401:4.0'",
      });
      expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: `F0401${number}${INVOICE_DATE}`, since: startedAt })).toMatchObject({
        state: 'rejected',
        errorCode: 'S001',
        errorMessage: expect.stringContaining('namespace must be'),
      });
    });

    it('rejects elements out of order, bad formats, negative amounts, a foreign root and broken XML', async () => {
      const src = upcastSrcDir(folder.path, 'F0401');
      await deliverF0401({ number: nextNumber(), misorder: true }, '1-order.xml');
      await deliverF0401({ number: 'ab1234567' }, '2-number.xml');
      await gateway.deliver({
        messageType: 'F0401',
        fileName: '3-negative.xml',
        xml: f0401Xml({ number: nextNumber() }).replace('<TotalAmount>1050</TotalAmount>', '<TotalAmount>-1050</TotalAmount>'),
      });
      await gateway.deliver({ messageType: 'F0401', fileName: '4-root.xml', xml: f0401Xml({ number: nextNumber() }).replace(/Invoice xmlns/, 'Foo xmlns').replace('</Invoice>', '</Foo>') });
      await gateway.deliver({ messageType: 'F0401', fileName: '5-broken.xml', xml: '<Invoice><Main></Invoice>' });
      await gateway.deliver({
        messageType: 'F0401',
        fileName: '6-no-items.xml',
        xml: f0401Xml({ number: nextNumber() }).replace(/<ProductItem>[\s\S]*<\/ProductItem>/, ''),
      });
      expect(await simulator().processOnce()).toBe(6);
      expect(readdirSync(src)).toEqual([]);
      const messages = await Promise.all(processed.map(async (p) => [basename(p.file), (await row(p.seqno)).errorcode, (await row(p.seqno)).message1]));
      expect(messages.sort()).toEqual([
        ['1-order.xml', 'S001', expect.stringMatching(/InvoiceDate is out of order|InvoiceTime is out of order/)],
        ['2-number.xml', 'S001', "F0401: Invoice/Main/InvoiceNumber must be an invoice number [A-Z]{2}\\d{8}, got 'ab1234567'"],
        ['3-negative.xml', 'S001', "F0401: Invoice/Amount/TotalAmount must be a non-negative number, got '-1050'"],
        ['4-root.xml', 'S001', 'F0401: root element must be Invoice, got Foo'],
        ['5-broken.xml', 'S001', expect.stringContaining('XML not well-formed')],
        ['6-no-items.xml', 'S001', 'F0401: Invoice/Details/ProductItem is missing'],
      ]);
    });
  });

  it('rejects an invalid seller BAN and an invalid buyer BAN (S003)', async () => {
    await deliverF0401({ number: nextNumber(), seller: '12345678' }, 'a.xml');
    await deliverF0401({ number: nextNumber(), buyer: '12345678' }, 'b.xml');
    await deliverF0401({ number: nextNumber(), buyer: '04595257' }, 'c.xml'); // a valid B2B buyer
    await simulator().processOnce();
    const byFile = Object.fromEntries(processed.map((p) => [basename(p.file), p]));
    expect(byFile['a.xml']).toMatchObject({ status: 'E', errorCode: 'S003', errorMessage: 'F0401: seller identifier 12345678 is not a valid BAN' });
    expect(byFile['b.xml']).toMatchObject({ status: 'E', errorCode: 'S003' });
    expect(byFile['c.xml']).toMatchObject({ status: 'G' });
    expect((await row(byFile['a.xml'].seqno)).errorcode).toBe('S003');
  });

  it('rejects an F0401 whose number was already accepted in the period (S002), not one from another period', async () => {
    const number = nextNumber();
    const sim = simulator();
    await deliverF0401({ number }, 'first.xml');
    await sim.processOnce();
    await deliverF0401({ number, date: '20250116' }, 'again.xml');
    await deliverF0401({ number, date: '20250315' }, 'next-period.xml');
    await sim.processOnce();
    const byFile = Object.fromEntries(processed.map((p) => [basename(p.file), p]));
    expect(byFile['first.xml'].status).toBe('G');
    expect(byFile['again.xml']).toMatchObject({ status: 'E', errorCode: 'S002', errorMessage: `F0401: invoice number ${number} was already accepted` });
    expect(byFile['next-period.xml'].status).toBe('G');
  });

  it('rejects an F0501 for an invoice never accepted (S004) and accepts one for an accepted invoice', async () => {
    const accepted = nextNumber();
    const unknown = nextNumber();
    const sim = simulator();
    await deliverF0401({ number: accepted });
    await sim.processOnce();
    await gateway.deliver({ messageType: 'F0501', fileName: 'void-ok.xml', xml: f0501Xml(accepted) });
    await gateway.deliver({ messageType: 'F0501', fileName: 'void-unknown.xml', xml: f0501Xml(unknown) });
    await sim.processOnce();
    expect(await gateway.outcome({ messageType: 'F0501', invoiceIdentifier: `F0501${accepted}20250120`, since: startedAt })).toMatchObject({
      state: 'accepted',
    });
    // The original invoice is matched by number and invoice date: a wrong InvoiceDate is an unknown invoice too.
    await gateway.deliver({ messageType: 'F0501', fileName: 'void-wrong-date.xml', xml: f0501Xml(accepted, '20250114') });
    await sim.processOnce();
    const byFile = Object.fromEntries(processed.map((p) => [basename(p.file), p]));
    expect(byFile['void-ok.xml']).toMatchObject({ status: 'G', invoiceIdentifier: `F0501${accepted}20250120` });
    expect(byFile['void-unknown.xml']).toMatchObject({ status: 'E', errorCode: 'S004' });
    expect(byFile['void-wrong-date.xml']).toMatchObject({ status: 'E', errorCode: 'S004' });
    expect(await gateway.outcome({ messageType: 'F0501', invoiceIdentifier: `F0501${unknown}20250120`, since: startedAt })).toMatchObject({
      state: 'rejected',
      errorCode: 'S004',
    });
  });

  it('checks G0401 and E0402 for their required elements, and routes E0402 as B2P MESSAGE', async () => {
    await gateway.deliver({ messageType: 'G0401', fileName: 'allowance.xml', xml: g0401Xml('AL2025000001') });
    await gateway.deliver({ messageType: 'E0402', fileName: 'blank.xml', xml: e0402Xml('AB') });
    await gateway.deliver({ messageType: 'E0402', fileName: 'blank-no-track.xml', xml: e0402Xml(null) });
    await simulator().processOnce();
    const byFile = Object.fromEntries(processed.map((p) => [basename(p.file), p]));
    expect(byFile['allowance.xml']).toMatchObject({ status: 'G', invoiceIdentifier: 'G0401AL202500000120250120' });
    expect(byFile['blank.xml']).toMatchObject({ status: 'G', invoiceIdentifier: 'E040212345675AB11402' });
    expect(byFile['blank-no-track.xml']).toMatchObject({ status: 'E', errorCode: 'S001', errorMessage: 'E0402: BranchTrackBlank/Main/InvoiceTrack is missing' });
    expect(await row(byFile['blank.xml'].seqno)).toMatchObject({ category_type: 'B2P', process_type: 'MESSAGE', from_party_id: '12345675' });
    expectMovedTo(byFile['blank.xml'], upcastBakDir(folder.path, 'E0402'));
    expect(await gateway.outcome({ messageType: 'E0402', invoiceIdentifier: 'E040212345675AB11402', since: startedAt })).toMatchObject({ state: 'accepted' });
  });

  it('ignores files that are not .xml', async () => {
    await gateway.deliver({ messageType: 'F0401', fileName: 'notes.txt', xml: 'hello' });
    expect(await simulator().processOnce()).toBe(0);
    expect(srcFiles()).toEqual(['notes.txt']);
  });

  describe('switches', () => {
    it('outage: processes nothing and leaves files in SRC until it is switched off', async () => {
      const sim = simulator({ settings: { outage: true } });
      await deliverF0401({ number: nextNumber() }, 'waiting.xml');
      expect(await sim.processOnce()).toBe(0);
      expect(srcFiles()).toEqual(['waiting.xml']);
      sim.settings.outage = false;
      expect(await sim.processOnce()).toBe(1);
      expect(srcFiles()).toEqual([]);
    });

    it('outage through simulator.json, re-read each cycle', async () => {
      const sim = simulator();
      writeFileSync(join(folder.path, 'simulator.json'), JSON.stringify({ outage: true }));
      await deliverF0401({ number: nextNumber() }, 'waiting.xml');
      expect(await sim.processOnce()).toBe(0);
      expect(sim.settings.outage).toBe(true);
      writeFileSync(join(folder.path, 'simulator.json'), JSON.stringify({ outage: false }));
      expect(await sim.processOnce()).toBe(1);
    });

    it('reports an invalid simulator.json once and keeps the current settings', async () => {
      const processedErrors: unknown[] = [];
      const sim = new TurnkeySimulator(folder.path, ds, { onError: (e) => processedErrors.push(e) });
      writeFileSync(join(folder.path, 'simulator.json'), JSON.stringify({ rejectRate: 2 }));
      await sim.processOnce();
      await sim.processOnce();
      expect(processedErrors).toHaveLength(1);
      expect(String(processedErrors[0])).toContain('rejectRate must be a number from 0 to 1');
      expect(sim.settings.rejectRate).toBe(0);
    });

    it('delayMs: a file is processed only once it is old enough', async () => {
      const sim = simulator({ settings: { delayMs: 24 * 60 * 60 * 1000 } });
      await deliverF0401({ number: nextNumber() }, 'young.xml');
      expect(await sim.processOnce()).toBe(0);
      expect(srcFiles()).toEqual(['young.xml']);
      sim.settings.delayMs = 0;
      expect(await sim.processOnce()).toBe(1);
    });

    it('rejectNext: rejects the next N otherwise-valid messages with S099, then counts down to zero', async () => {
      const sim = simulator({ settings: { rejectNext: 2 } });
      await deliverF0401({ number: nextNumber(), seller: '12345678' }, '0-invalid.xml'); // a real error does not use one up
      await deliverF0401({ number: nextNumber() }, '1.xml');
      await deliverF0401({ number: nextNumber() }, '2.xml');
      await deliverF0401({ number: nextNumber() }, '3.xml');
      expect(await sim.processOnce()).toBe(4);
      const codes = Object.fromEntries(processed.map((p) => [basename(p.file), p.errorCode ?? p.status]));
      expect(codes).toEqual({ '0-invalid.xml': 'S003', '1.xml': 'S099', '2.xml': 'S099', '3.xml': 'G' });
      expect(sim.settings.rejectNext).toBe(0);
      const logged = await row(processed.find((p) => basename(p.file) === '1.xml')!.seqno);
      expect(logged).toMatchObject({ errorcode: 'S099', message1: 'F0401: simulated rejection (rejectNext)' });
    });

    it('rejectNext set once through simulator.json is not reset by later cycles', async () => {
      const sim = simulator();
      writeFileSync(join(folder.path, 'simulator.json'), JSON.stringify({ rejectNext: 1 }));
      await deliverF0401({ number: nextNumber() }, '1.xml');
      await sim.processOnce();
      await deliverF0401({ number: nextNumber() }, '2.xml');
      await sim.processOnce();
      expect(processed.map((p) => p.errorCode ?? p.status)).toEqual(['S099', 'G']);
    });

    it('rejectRate 1.0 rejects every valid message and 0.0 none', async () => {
      const sim = simulator({ settings: { rejectRate: 1 } });
      for (let i = 0; i < 5; i++) await deliverF0401({ number: nextNumber() });
      expect(await sim.processOnce()).toBe(5);
      expect(processed.map((p) => p.errorCode)).toEqual(Array(5).fill(SIMULATOR_ERROR_CODES.simulatedRejection));

      processed.length = 0;
      sim.settings.rejectRate = 0;
      for (let i = 0; i < 5; i++) await deliverF0401({ number: nextNumber() });
      expect(await sim.processOnce()).toBe(5);
      expect(processed.map((p) => p.status)).toEqual(Array(5).fill('G'));
    });

    it('rejectRate draws from a seeded PRNG: the same seed gives the same decisions', async () => {
      const decisions: string[][] = [];
      for (let run = 0; run < 2; run++) {
        processed.length = 0;
        const sim = simulator({ settings: { rejectRate: 0.5 }, seed: 42 });
        for (let i = 0; i < 20; i++) {
          await gateway.deliver({ messageType: 'G0401', fileName: `run${run}-${String(i).padStart(2, '0')}.xml`, xml: g0401Xml(`AL${run}${i}`) });
        }
        await sim.processOnce();
        decisions.push(processed.map((p) => p.status));
      }
      expect(decisions[0]).toEqual(decisions[1]);
      expect(decisions[0]).toContain('G');
      expect(decisions[0]).toContain('E');
    });
  });

  it('resend after a rejection: a new row for the resend wins, and the gateway sees it accepted', async () => {
    const number = nextNumber();
    const identifier = `F0401${number}${INVOICE_DATE}`;
    const sim = simulator({ settings: { rejectNext: 1 } });
    await deliverF0401({ number }, `${number}-1.xml`);
    await sim.processOnce();
    expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: identifier, since: startedAt })).toMatchObject({
      state: 'rejected',
      errorCode: 'S099',
      errorMessage: 'F0401: simulated rejection (rejectNext)',
    });
    await deliverF0401({ number }, `${number}-2.xml`);
    await sim.processOnce();
    const rows: Array<{ status: string }> = await ds.query(
      'SELECT status FROM turnkey_message_log WHERE invoice_identifier = $1 ORDER BY seqno',
      [identifier],
    );
    expect(rows.map((r) => r.status)).toEqual(['E', 'C']);
    expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: identifier, since: startedAt })).toMatchObject({ state: 'accepted' });
  });

  describe('after G (sent)', () => {
    const identifier = (number: string) => `F0401${number}${INVOICE_DATE}`;
    const outcome = (number: string) => gateway.outcome({ messageType: 'F0401', invoiceIdentifier: identifier(number), since: startedAt });

    it('holdAtSent keeps a message at G, shown as sent, until it is switched off; then C', async () => {
      const settled: string[] = [];
      const sim = simulator({ settings: { holdAtSent: true }, onSettled: (r) => settled.push(r.status) });
      const number = nextNumber();
      await deliverF0401({ number });
      expect(await sim.processOnce()).toBe(1);
      expect(await sim.processOnce()).toBe(0);
      expect(await outcome(number)).toMatchObject({ state: 'sent' });
      expect((await row(processed[0].seqno)).status).toBe('G');
      sim.settings.holdAtSent = false;
      await sim.processOnce();
      expect(await outcome(number)).toMatchObject({ state: 'accepted' });
      expect(settled).toEqual(['C']);
    });

    it('confirmDelayMs: C only once the message has been at G that long', async () => {
      let now = new Date();
      const sim = simulator({ settings: { confirmDelayMs: 60_000 }, now: () => now });
      const number = nextNumber();
      await deliverF0401({ number });
      await sim.processOnce();
      expect(await outcome(number)).toMatchObject({ state: 'sent' });
      now = new Date(now.getTime() + 59_000);
      await sim.processOnce();
      expect(await outcome(number)).toMatchObject({ state: 'sent' });
      now = new Date(now.getTime() + 1_000);
      await sim.processOnce();
      expect(await outcome(number)).toMatchObject({ state: 'accepted' });
    });

    it('sends a message left at P (the database went away after its file was taken), then confirms it', async () => {
      const number = nextNumber();
      const seqno = await new TurnkeyLogWriter(ds).record({
        messageType: 'F0401', at: new Date(), fromPartyId: '12345675', toPartyId: '0000000000', characterCount: 1, invoiceIdentifier: identifier(number), status: 'P',
      });
      const sim = simulator();
      expect(await outcome(number)).toMatchObject({ state: 'pending' });
      expect(await sim.processOnce()).toBe(0);
      expect((await row(seqno)).status).toBe('G');
      await sim.processOnce();
      expect(await outcome(number)).toMatchObject({ state: 'accepted' });
    });

    it('rejectNextAfterSent: G, then E with S098 and its event row; the file stays in BAK', async () => {
      const sim = simulator({ settings: { rejectNextAfterSent: 1 } });
      const number = nextNumber();
      await deliverF0401({ number });
      await sim.processOnce();
      expect(processed[0]).toMatchObject({ status: 'G' });
      expectMovedTo(processed[0], upcastBakDir(folder.path, 'F0401'));
      expect(await row(processed[0].seqno)).toMatchObject({ status: 'E', errorcode: 'S098', message1: expect.stringContaining('after it was sent') });
      expect(await outcome(number)).toMatchObject({ state: 'rejected', errorCode: 'S098' });
      expect(sim.settings.rejectNextAfterSent).toBe(0);
    });
  });

  describe('gateway checks and field limits', () => {
    const variant = (name: string, edit: (xml: string) => string) =>
      gateway.deliver({ messageType: 'F0401', fileName: `${name}.xml`, xml: edit(f0401Xml({ number: nextNumber() })) });

    it('refuses PrintMark N without a carrier or donation (S006), a description over 500 characters (S005), into ERR', async () => {
      await variant('unprinted', (xml) => xml.replace('<PrintMark>Y</PrintMark>', '<PrintMark>N</PrintMark>'));
      await variant('long', (xml) => xml.replace('咖啡豆 1kg', '豆'.repeat(501)));
      await variant('remark', (xml) => xml.replace('<SequenceNumber>001</SequenceNumber>', `<SequenceNumber>001</SequenceNumber><Remark>${'備'.repeat(121)}</Remark>`));
      await variant('b2b-unprinted', (xml) => xml.replace('<Identifier>0000000000</Identifier>', '<Identifier>04595257</Identifier>').replace('<PrintMark>Y</PrintMark>', '<PrintMark>N</PrintMark>'));
      await variant('carrier', (xml) => xml.replace('<PrintMark>Y</PrintMark>', '<CarrierType>3J0002</CarrierType><CarrierId1>/ABC+123</CarrierId1><CarrierId2>/ABC+123</CarrierId2><PrintMark>N</PrintMark>'));
      await simulator().processOnce();
      const byFile = Object.fromEntries(processed.map((p) => [basename(p.file), p]));
      expect(byFile['unprinted.xml']).toMatchObject({ status: 'E', errorCode: 'S006', errorMessage: expect.stringContaining('PrintMark N needs a carrier') });
      expect(byFile['b2b-unprinted.xml']).toMatchObject({ status: 'E', errorCode: 'S006' });
      expect(byFile['long.xml']).toMatchObject({
        status: 'E',
        errorCode: 'S005',
        errorMessage: 'F0401: Details/ProductItem/Description is 501 characters; the limit is 1–500 characters',
      });
      expect(byFile['remark.xml']).toMatchObject({ status: 'E', errorCode: 'S005', errorMessage: expect.stringContaining('Remark is 121 characters') });
      expect(byFile['carrier.xml']).toMatchObject({ status: 'G' });
      expectMovedTo(byFile['unprinted.xml'], upcastErrDir(folder.path, 'F0401'));
    });

    it('ignores an empty file and refuses one over 20 MB (S007)', async () => {
      await gateway.deliver({ messageType: 'F0401', fileName: 'empty.xml', xml: '' });
      await variant('huge', (xml) => `${xml}<!-- ${'x'.repeat(20 * 1024 * 1024)} -->`);
      expect(await simulator().processOnce()).toBe(1);
      expect(processed).toEqual([expect.objectContaining({ status: 'E', errorCode: 'S007' })]);
      expect(srcFiles()).toEqual(['empty.xml']);
    });
  });

  it('polls with start() and stop() awaits the cycle in progress', async () => {
    let resolveProcessed: (result: SimulatorProcessedFile) => void = () => undefined;
    const done = new Promise<SimulatorProcessedFile>((resolve) => (resolveProcessed = resolve));
    const sim = simulator({ onProcessed: (r) => resolveProcessed(r) });
    sim.start(5);
    sim.start(5); // a second start is ignored, not a second loop
    try {
      await deliverF0401({ number: nextNumber() }, 'polled.xml');
      const result = await done;
      expect(result).toMatchObject({ status: 'G' });
    } finally {
      await sim.stop();
    }
    await sim.stop(); // stopping twice is harmless
  });
});
