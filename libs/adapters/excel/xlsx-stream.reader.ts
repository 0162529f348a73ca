/**
 * Streaming a workbook's sheets row by row with bounded memory. yauzl opens the zip from its central directory
 * (random access, so the parts are read in the order parsing needs, without the temporary files exceljs's own
 * stream reader writes when the shared strings come after the sheets, as Excel and exceljs save them) and fails a
 * part that inflates to more than its declared size; exceljs's stream reader parses the parts. Every byte inflated
 * counts against one budget, so a zip bomb is refused once the budget is spent, and a caller stops reading rows
 * whenever it has seen enough.
 */

import ExcelJS from 'exceljs';
import { Readable, Transform } from 'node:stream';
import yauzl from 'yauzl';
import { DomainError } from '../../domain/domain-error';

/** Inflated bytes a workbook may use (XML of the workbook, styles, shared strings and the sheets read). */
export const MAX_WORKBOOK_UNZIPPED_BYTES = 100 * 1024 * 1024;

const NOT_XLSX = 'the file is not an Excel workbook (.xlsx); save it as "Excel Workbook (*.xlsx)" and upload again';

export interface XlsxSheet {
  name: string;
  /** The sheet's rows in order, empty rows left out; stopping the iteration stops the inflating. */
  rows(): AsyncGenerator<ExcelJS.Row>;
}

/** The parts of exceljs's stream reader used here (not in its typings; exceljs 4.x). */
interface WorkbookReaderParts {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { name: string; rId: string }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: Readable, sheetNo: string): Generator<{ value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

/** WORKBOOK.NOT_XLSX, with what was wrong when it is known. */
export function notXlsxError(reason?: string): DomainError {
  const message = reason ? `${NOT_XLSX} (${reason})` : NOT_XLSX;
  return new DomainError('invalid', 'WORKBOOK.NOT_XLSX', message, [{ code: 'WORKBOOK.NOT_XLSX', message }]);
}

function tooLargeError(limit: number): DomainError {
  const size = limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MB` : `${Math.round(limit / 1024)} KB`;
  const message = `the workbook unpacks to more than ${size} of sheet data (the limit); split it into several files`;
  return new DomainError('invalid', 'WORKBOOK.TOO_LARGE', message, [{ code: 'WORKBOOK.TOO_LARGE', message }]);
}

/** A broken zip or broken XML is not a workbook; the domain errors thrown on purpose pass through. */
function asDomainError(error: unknown): DomainError {
  return error instanceof DomainError ? error : notXlsxError(error instanceof Error ? error.message : String(error));
}

/**
 * The sheets of an xlsx in workbook order, their rows read lazily. Refuses a file that is not a zip, a zip that
 * is damaged, and one that is not a workbook with WORKBOOK.NOT_XLSX, and more than `maxUnzippedBytes` inflated with
 * WORKBOOK.TOO_LARGE.
 */
export async function openXlsxSheets(content: Buffer, maxUnzippedBytes = MAX_WORKBOOK_UNZIPPED_BYTES): Promise<XlsxSheet[]> {
  // An xlsx is a zip archive: anything else (CSV, an old .xls, random bytes) is refused before parsing.
  if (content.length < 4 || content.readUInt32LE(0) !== 0x04034b50) throw notXlsxError();
  let zip: yauzl.ZipFile;
  const entries = new Map<string, yauzl.Entry>();
  try {
    zip = await yauzl.fromBufferPromise(content, { lazyEntries: true, strictFileNames: false });
    for await (const entry of zip.eachEntry()) entries.set(entry.fileName.replace(/^\//, ''), entry);
  } catch (error) {
    throw asDomainError(error);
  }
  let budget = maxUnzippedBytes;
  const open = async (path: string): Promise<Readable> => {
    const entry = entries.get(path)!;
    // Whatever is held whole (shared strings, styles) is refused before inflating; sheets count as they stream.
    if (!path.startsWith('xl/worksheets/') && entry.uncompressedSize > budget) throw tooLargeError(maxUnzippedBytes);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        budget -= chunk.length;
        if (budget < 0) done(tooLargeError(maxUnzippedBytes));
        else done(null, chunk);
      },
    });
    const stream = await zip.openReadStreamPromise(entry);
    stream.on('error', (error) => counter.destroy(error));
    return stream.pipe(counter);
  };

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: 'cache',
    styles: 'cache', // dates are told from numbers by their number format
    hyperlinks: 'ignore',
    worksheets: 'emit',
  }) as unknown as WorkbookReaderParts;
  const sheetPaths: { name: string; path: string }[] = [];
  try {
    if (!entries.has('xl/workbook.xml') || !entries.has('xl/_rels/workbook.xml.rels')) throw notXlsxError('it has no workbook part');
    await reader._parseRels(await open('xl/_rels/workbook.xml.rels'));
    await reader._parseWorkbook(await open('xl/workbook.xml'));
    if (entries.has('xl/sharedStrings.xml')) {
      // In 'cache' mode the generator yields nothing: running it fills the reader's shared strings.
      const strings = reader._parseSharedStrings(await open('xl/sharedStrings.xml'));
      while (!(await strings.next()).done);
    }
    if (entries.has('xl/styles.xml')) await reader._parseStyles(await open('xl/styles.xml'));
    for (const sheet of reader.model?.sheets ?? []) {
      const target = reader.workbookRels?.find((rel) => rel.Id === sheet.rId)?.Target;
      const path = target?.startsWith('/') ? target.slice(1) : `xl/${target}`;
      if (target && entries.has(path)) sheetPaths.push({ name: sheet.name, path });
    }
  } catch (error) {
    throw asDomainError(error);
  }

  // A buffer needs no closing: the zip is left to the garbage collector with the last sheet read.
  return sheetPaths.map(({ name, path }, index) => ({
    name,
    async *rows() {
      try {
        const stream = await open(path);
        const [{ value: worksheet }] = [...reader._parseWorksheet(stream, String(index + 1))];
        for await (const row of worksheet) if (row.hasValues) yield row;
      } catch (error) {
        throw asDomainError(error);
      }
    },
  }));
}
