import { existsSync, mkdirSync, readdirSync, readFileSync, watch, writeFileSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { stagingDir, upcastBakDir, upcastErrDir, upcastSrcDir } from './turnkey-folders';
import { taipeiTimestamp } from '../../domain/taipei-time';
import { TURNKEY_ERROR, TurnkeyGateway } from './turnkey.gateway';
import { ScratchDatabase, createScratchDatabase, f0401Xml, scratchFolder } from '../../dev/turnkey-test-kit';

describe('TurnkeyGateway', () => {
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
  beforeEach(() => {
    folder = scratchFolder();
    gateway = new TurnkeyGateway(folder.path, ds);
  });
  afterEach(() => folder.remove());

  describe('deliver', () => {
    it('creates the folders and writes the UTF-8 file into SRC', async () => {
      const xml = f0401Xml({ number: 'AB00000001' });
      const { path } = await gateway.deliver({ messageType: 'F0401', fileName: 'AB00000001.xml', xml });
      expect(path).toBe(join(upcastSrcDir(folder.path, 'F0401'), 'AB00000001.xml'));
      expect(readFileSync(path, 'utf8')).toBe(xml);
      expect(readdirSync(stagingDir(folder.path))).toEqual([]);
    });

    it('never shows a partial file in SRC: the temp file lives outside it and is renamed in whole', async () => {
      const src = upcastSrcDir(folder.path, 'F0401');
      mkdirSync(src, { recursive: true });
      const messages = ['big-1.xml', 'big-2.xml', 'big-3.xml'].map((fileName, i) => ({
        messageType: 'F0401' as const,
        fileName,
        // A few MB each, so a non-atomic write would be caught half way by the reader below.
        xml: f0401Xml({ number: `AB1000000${i}` }) + `<!-- ${'填'.repeat(1_500_000)} -->`,
      }));
      const expected = new Map(messages.map((m) => [m.fileName, Buffer.from(m.xml, 'utf8')]));
      const seenInSrc = new Set<string>();
      const watcher = watch(src, (_event, name) => {
        if (name) seenInSrc.add(String(name));
      });
      let delivering = true;
      let incomplete = 0;
      let reads = 0;
      const reader = (async () => {
        while (delivering) {
          for (const name of await fsp.readdir(src)) {
            seenInSrc.add(name);
            const content = await fsp.readFile(join(src, name));
            reads++;
            if (!content.equals(expected.get(name) ?? Buffer.alloc(0))) incomplete++;
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      try {
        for (const message of messages) await gateway.deliver(message);
      } finally {
        delivering = false;
        await reader;
        watcher.close();
      }
      expect(incomplete).toBe(0);
      expect(reads).toBeGreaterThan(0);
      expect([...seenInSrc].sort()).toEqual(['big-1.xml', 'big-2.xml', 'big-3.xml']);
      expect(readdirSync(src).sort()).toEqual(['big-1.xml', 'big-2.xml', 'big-3.xml']);
      expect(existsSync(stagingDir(folder.path))).toBe(true);
      expect(stagingDir(folder.path).startsWith(src)).toBe(false);
    });

    it('is idempotent: the same name and content again is a no-op, in SRC, BAK or ERR', async () => {
      const xml = f0401Xml({ number: 'AB00000002' });
      const message = { messageType: 'F0401' as const, fileName: 'AB00000002.xml', xml };
      const first = await gateway.deliver(message);
      const second = await gateway.deliver(message);
      expect(second).toEqual(first);
      expect(readdirSync(upcastSrcDir(folder.path, 'F0401'))).toEqual(['AB00000002.xml']);

      // Turnkey took it (BAK/<day>/<HH>/, its real layout): a retried activity must not drop it in SRC again.
      const bakHour = join(upcastBakDir(folder.path, 'F0401'), '20990101', '13');
      mkdirSync(bakHour, { recursive: true });
      await fsp.rename(first.path, join(bakHour, 'AB00000002.xml'));
      const gatewayIn2099 = new TurnkeyGateway(folder.path, ds, { now: () => new Date('2099-01-02T00:00:00Z') });
      expect(await gatewayIn2099.deliver(message)).toEqual({ path: join(bakHour, 'AB00000002.xml') });
      expect(readdirSync(upcastSrcDir(folder.path, 'F0401'))).toEqual([]);

      // And the same after a rejection into ERR/<day>/.
      const errDay = join(upcastErrDir(folder.path, 'F0401'), '20990101');
      mkdirSync(errDay, { recursive: true });
      writeFileSync(join(errDay, 'bad.xml'), 'not xml');
      expect(await gatewayIn2099.deliver({ messageType: 'F0401', fileName: 'bad.xml', xml: 'not xml' })).toEqual({ path: join(errDay, 'bad.xml') });
      expect(readdirSync(upcastSrcDir(folder.path, 'F0401'))).toEqual([]);
    });

    it('takes a name the caller has just reserved as new: no folder is searched, so only its own file counts', async () => {
      const bakDay = join(upcastBakDir(folder.path, 'F0401'), '20990101');
      mkdirSync(bakDay, { recursive: true });
      writeFileSync(join(bakDay, 'AB00000003.xml'), '<old/>');
      const gatewayIn2099 = new TurnkeyGateway(folder.path, ds, { now: () => new Date('2099-01-02T00:00:00Z') });
      const message = { messageType: 'F0401' as const, fileName: 'AB00000003.xml', xml: f0401Xml({ number: 'AB00000003' }) };
      await expect(gatewayIn2099.deliver(message)).rejects.toMatchObject({ code: TURNKEY_ERROR.fileNameConflict });
      const src = join(upcastSrcDir(folder.path, 'F0401'), 'AB00000003.xml');
      expect(await gatewayIn2099.deliver({ ...message, newName: true })).toEqual({ path: src });
      expect(readFileSync(src, 'utf8')).toBe(message.xml);
    });

    it('refuses the same file name with different content, and names that are not plain file names', async () => {
      await gateway.deliver({ messageType: 'F0501', fileName: 'x.xml', xml: '<a/>' });
      await expect(gateway.deliver({ messageType: 'F0501', fileName: 'x.xml', xml: '<b/>' })).rejects.toMatchObject({ code: TURNKEY_ERROR.fileNameConflict });
      for (const fileName of ['../x.xml', 'a/b.xml', '', '.hidden.xml']) {
        await expect(gateway.deliver({ messageType: 'F0501', fileName, xml: '<a/>' })).rejects.toMatchObject({ code: TURNKEY_ERROR.badFileName });
      }
      expect(readFileSync(join(upcastSrcDir(folder.path, 'F0501'), 'x.xml'), 'utf8')).toBe('<a/>');
    });
  });

  describe('outcome', () => {
    let seq = 90_000_000;
    const since = new Date('2025-01-15T00:00:00Z'); // 08:00 Taipei
    const at = (iso: string) => taipeiTimestamp(new Date(iso));

    async function logRow(identifier: string, status: string, dts: string, error?: { code: string; messages: string[] }): Promise<void> {
      const seqno = String(++seq);
      await ds.query(
        `INSERT INTO turnkey_message_log (seqno, subseqno, message_type, message_dts, status, invoice_identifier)
         VALUES ($1, '00001', $2, $3, $4, $5)`,
        [seqno, identifier.slice(0, 5), dts, status, identifier],
      );
      if (error) {
        const m = [...error.messages, null, null, null, null, null, null].slice(0, 6);
        await ds.query(
          `INSERT INTO turnkey_sysevent_log (eventdts, seqno, subseqno, errorcode, message1, message2, message3, message4, message5, message6)
           VALUES ($1, $2, '00001', $3, $4, $5, $6, $7, $8, $9)`,
          [`${dts.slice(0, 14)}${String(seq % 1000).padStart(3, '0')}`, seqno, error.code, ...m],
        );
      }
    }

    it('is pending without a row, and for P', async () => {
      expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: 'F0401ZZ0000000120250115', since })).toEqual({ state: 'pending' });
      await logRow('F0401ZZ0000000220250115', 'P', at('2025-01-15T01:00:00Z'));
      expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: 'F0401ZZ0000000220250115', since })).toEqual({ state: 'pending' });
    });

    it('treats G as sent at MESSAGE_DTS, and only C as accepted, when it was seen', async () => {
      const seenAt = new Date('2025-01-16T00:00:00Z');
      const watching = new TurnkeyGateway(folder.path, ds, { now: () => seenAt });
      await logRow('F0401ZZ0000000320250115', 'G', at('2025-01-15T01:00:00.123Z'));
      await logRow('F0401ZZ0000000420250115', 'C', at('2025-01-15T02:00:00Z'));
      expect(await watching.outcome({ messageType: 'F0401', invoiceIdentifier: 'F0401ZZ0000000320250115', since })).toEqual({
        state: 'sent',
        at: new Date('2025-01-15T01:00:00.123Z'),
      });
      expect(await watching.outcome({ messageType: 'F0401', invoiceIdentifier: 'F0401ZZ0000000420250115', since })).toEqual({ state: 'accepted', at: seenAt });
    });

    it('treats I as rejected too, dated when it was seen when no event row explains it', async () => {
      const seenAt = new Date('2025-01-16T00:00:00Z');
      const watching = new TurnkeyGateway(folder.path, ds, { now: () => seenAt });
      await logRow('F0401ZZ0000000920250115', 'I', at('2025-01-15T01:00:00Z'));
      expect(await watching.outcome({ messageType: 'F0401', invoiceIdentifier: 'F0401ZZ0000000920250115', since })).toEqual({
        state: 'rejected',
        at: seenAt,
        errorCode: 'I',
        errorMessage: 'Turnkey reported status I without a message',
      });
    });

    it('reports E with the event log error code and messages', async () => {
      await logRow('F0401ZZ0000000520250115', 'E', at('2025-01-15T03:00:00Z'), { code: '-007', messages: ['platform said 5011', 'buyer missing'] });
      expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: 'F0401ZZ0000000520250115', since })).toEqual({
        state: 'rejected',
        // Dated by its event row (EVENTDTS), in the same second here.
        at: expect.any(Date),
        errorCode: '-007',
        errorMessage: 'platform said 5011 buyer missing',
      });
      // A code carried in STATUS itself, with no event row.
      await logRow('F0401ZZ0000000620250115', 'E1234', at('2025-01-15T03:00:00Z'));
      expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: 'F0401ZZ0000000620250115', since })).toMatchObject({
        state: 'rejected',
        errorCode: '1234',
      });
    });

    it('ignores rows older than since, and lets the latest row win', async () => {
      const id = 'F0401ZZ0000000720250115';
      await logRow(id, 'G', at('2025-01-14T23:59:59.999Z')); // before since: an earlier, unrelated send
      expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: id, since })).toEqual({ state: 'pending' });
      await logRow(id, 'E', at('2025-01-15T04:00:00Z'), { code: 'S099', messages: ['rejected'] });
      expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: id, since })).toMatchObject({ state: 'rejected', errorCode: 'S099' });
      await logRow(id, 'G', at('2025-01-15T05:00:00Z'));
      expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: id, since })).toEqual({
        state: 'sent',
        at: new Date('2025-01-15T05:00:00Z'),
      });
      await logRow(id, 'C', at('2025-01-15T06:00:00Z'));
      expect(await gateway.outcome({ messageType: 'F0401', invoiceIdentifier: id, since })).toMatchObject({ state: 'accepted' });
      // Another message type with the same identifier string does not count.
      expect(await gateway.outcome({ messageType: 'F0501', invoiceIdentifier: id, since })).toEqual({ state: 'pending' });
    });
  });
});
