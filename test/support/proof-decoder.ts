import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

export interface Decoded {
  code39: string[];
  /** The QR codes' raw bytes read as UTF-8, as the encoding flag `1` says. */
  qr: string[];
  pages: number;
  /** The page text as poppler's pdftotext reads it. */
  text: string;
}

/**
 * What a scanner sees on a proof: every page rasterised with poppler's pdftoppm, its Code 39 and QR codes decoded with
 * zxing-wasm (the wasm binary the package ships, so nothing is fetched), and the text read by pdftotext.
 */
export function proofDecoder() {
  let scratch = '';
  let serial = 0;
  return {
    async open(): Promise<void> {
      scratch = mkdtempSync(join(tmpdir(), 'proof-'));
      await prepareZXingModule({
        overrides: { wasmBinary: new Uint8Array(readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'))).buffer },
        fireImmediately: true,
      });
    },
    close(): void {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
    async decode(pdf: Buffer, dpi: number): Promise<Decoded> {
      const name = `proof-${++serial}`;
      const file = join(scratch, `${name}.pdf`);
      writeFileSync(file, pdf);
      execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', file, join(scratch, name)]);
      const pages = readdirSync(scratch).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png')).sort();
      const decoded: Decoded = { code39: [], qr: [], pages: pages.length, text: execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }) };
      for (const page of pages) {
        const results = await readBarcodes(readFileSync(join(scratch, page)), { formats: ['Code39', 'QRCode'], tryHarder: true, maxNumberOfSymbols: 8 });
        for (const result of results) {
          if (result.format === 'Code39') decoded.code39.push(result.text);
          else decoded.qr.push(new TextDecoder('utf-8', { fatal: true }).decode(result.bytes));
        }
      }
      return decoded;
    },
  };
}
