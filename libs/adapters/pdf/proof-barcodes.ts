import bwipjs from 'bwip-js';
import { QR_MIN_VERSION } from '../../domain/invoice-proof/proof-codes';

/** A QR symbol as a square grid of modules, row by row (true = dark). */
export interface QrMatrix {
  size: number;
  version: number;
  dark: (row: number, column: number) => boolean;
}

function qrMatrix(text: string, version?: number): QrMatrix {
  // bwip-js encodes the text's characters as UTF-8 bytes, which is what the encoding flag `1` of the left code says.
  const [symbol] = bwipjs.raw('qrcode', text, version ? `eclevel=L version=${version}` : 'eclevel=L');
  if (!('pixs' in symbol)) throw new Error('bwip-js answered a QR code with a linear symbol');
  const size = symbol.pixx;
  return { size, version: (size - 17) / 4, dark: (row, column) => symbol.pixs[row * size + column] === 1 };
}

/**
 * The left and right QR codes, encoded at one version so they print the same size (the spec: side by side, top
 * aligned, of one size), and at least version 6, the spec's smallest left code.
 */
export function qrPair(left: string, right: string): [QrMatrix, QrMatrix] {
  const texts = [left, right];
  const chosen = texts.map((text) => qrMatrix(text));
  const version = Math.max(QR_MIN_VERSION, ...chosen.map((matrix) => matrix.version));
  // A symbol bwip-js chose that version for is the one it encodes at it: only the other is encoded again.
  const [leftMatrix, rightMatrix] = chosen.map((matrix, i) => (matrix.version === version ? matrix : qrMatrix(texts[i], version)));
  return [leftMatrix, rightMatrix];
}

/** Code 39 without a check character: the widths of bars and spaces in narrow modules, starting with a bar. */
export function code39Widths(text: string): number[] {
  const [symbol] = bwipjs.raw('code39', text, '');
  if (!('sbs' in symbol)) throw new Error('bwip-js answered Code 39 with a matrix symbol');
  // bwip-js ends with the inter-character gap after the stop character: it is no part of the symbol.
  return symbol.sbs.length % 2 === 0 ? symbol.sbs.slice(0, -1) : symbol.sbs;
}
