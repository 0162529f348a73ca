import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';

const SHEET = 'xl/worksheets/sheet1.xml';
const MB = 1024 * 1024;

/** `count` bytes of `pattern` repeated, streamed in 1 MB chunks so that the test never holds them. */
function repeated(pattern: string, count: number): Readable {
  const unit = Buffer.from(pattern);
  const chunk = Buffer.alloc(Math.floor(MB / unit.length) * unit.length, unit);
  return Readable.from(
    (function* () {
      for (let left = count; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
    })(),
  );
}

/** The entries of a real workbook, some replaced by streams, zipped again (deflated, as Excel does). */
async function rezip(workbook: Buffer, replaced: Record<string, () => Readable>): Promise<Buffer> {
  const source = await yauzl.fromBufferPromise(workbook, { lazyEntries: true });
  const target = new yazl.ZipFile();
  for await (const entry of source.eachEntry()) {
    if (entry.fileName.endsWith('/')) {
      target.addEmptyDirectory(entry.fileName);
      continue;
    }
    const replacement = replaced[entry.fileName];
    target.addReadStream(replacement ? replacement() : await source.openReadStreamPromise(entry), entry.fileName);
  }
  target.end();
  const chunks: Buffer[] = [];
  for await (const chunk of target.outputStream as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The sheet XML of a workbook, cut where more rows would go. */
async function sheetAround(workbook: Buffer): Promise<{ before: string; after: string }> {
  const source = await yauzl.fromBufferPromise(workbook, { lazyEntries: true });
  for await (const entry of source.eachEntry()) {
    if (entry.fileName !== SHEET) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of await source.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    const xml = Buffer.concat(chunks).toString('utf8');
    // exceljs writes a <dimension> of the real rows; readers must not trust it, so it stays as written.
    const at = xml.indexOf('</sheetData>');
    return { before: xml.slice(0, at), after: xml.slice(at) };
  }
  throw new Error(`${SHEET} is missing`);
}

/**
 * A workbook whose order sheet goes on for `rows` rows past the given one, each a BillingNo and a description:
 * written as Excel would (one inline string per cell), streamed, never held whole.
 */
export async function manyRowsWorkbook(workbook: Buffer, rows: number, firstRow = 3): Promise<Buffer> {
  const { before, after } = await sheetAround(workbook);
  const rowXml = (r: number) =>
    `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>MILLION-${r}</t></is></c><c r="P${r}" t="inlineStr"><is><t>品</t></is></c></row>`;
  const sheet = () =>
    Readable.from(
      (function* () {
        yield before;
        for (let r = firstRow; r < firstRow + rows; r += 1000) {
          yield Array.from({ length: Math.min(1000, firstRow + rows - r) }, (_, i) => rowXml(r + i)).join('');
        }
        yield after;
      })(),
    );
  return rezip(workbook, { [SHEET]: sheet });
}

/** A zip bomb in the order sheet: `bytes` of blank rows, which no row limit stops, after the real ones. */
export async function blankRowsBomb(workbook: Buffer, bytes: number): Promise<Buffer> {
  const { before, after } = await sheetAround(workbook);
  const sheet = () => Readable.from((async function* () {
    yield before;
    yield* repeated('<row r="3"/>', bytes);
    yield after;
  })());
  return rezip(workbook, { [SHEET]: sheet });
}

/** A zip bomb in the shared strings: one string of `bytes` letters. */
export async function sharedStringsBomb(workbook: Buffer, bytes: number): Promise<Buffer> {
  const sst = () =>
    Readable.from((async function* () {
      yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>';
      yield* repeated('A', bytes);
      yield '</t></si></sst>';
    })());
  return rezip(workbook, { 'xl/sharedStrings.xml': sst });
}
