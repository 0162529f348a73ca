import { existsSync, readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { ProofContent } from '../../domain/invoice-proof/proof-content';
import { migDecimal } from '../../domain/mig/mig-xml';
import { code39Widths, qrPair, QrMatrix } from './proof-barcodes';

export type ProofLayout = 'thermal' | 'a4';

/** Debian's fonts-noto-cjk: one collection holds every CJK face; pdfkit picks the Traditional Chinese one by name. */
export const NOTO_CJK_FONTS = {
  regular: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKtc-Regular' },
  bold: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKtc-Bold' },
};

export interface ProofFonts {
  regular: { path: string; family?: string };
  bold: { path: string; family?: string };
}

/** A face as fontkit parses it; pdfkit 0.20 embeds one like a font file ("Accept already-parsed fontkit Font instances"). */
export interface ParsedFont {
  postscriptName: string;
  layout(text: string): unknown;
}

export interface ParsedProofFonts {
  regular: ParsedFont;
  bold: ParsedFont;
}


/**
 * Both faces parsed. registerFont given a path or a buffer parses the collection again in every document, which
 * cost more than everything else a thermal proof draws: a renderer parses them once.
 */
export function parseProofFonts(fonts: ProofFonts): ParsedProofFonts {
  const parse = (font: ProofFonts['regular']): ParsedFont => {
    if (!existsSync(font.path)) throw new Error(`the invoice proof's CJK font ${font.path} is missing: install Debian's fonts-noto-cjk`);
    // fontkit is the parser pdfkit's registerFont would run on the file in every document.
    const face = fontkit.create(readFileSync(font.path), font.family) as ParsedFont | null;
    if (typeof face?.layout !== 'function') throw new Error(`the invoice proof's font ${font.path} has no face ${font.family ?? '(a collection needs a family)'}`);
    return face;
  };
  return { regular: parse(fonts.regular), bold: parse(fonts.bold) };
}

const MM = 72 / 25.4;
const THERMAL = { width: 57 * MM, height: 90 * MM, margin: 4.5 * MM };
/** 42 mm of Code 39 at 0.125 mm a narrow module: one dot of a 203 dpi thermal head. */
const CODE39_MODULE = 0.125 * MM;
const CODE39_HEIGHT = 6 * MM;
/** Each QR code 20 mm square (the spec: at least 15 mm), 4 mm apart, more than the 2 mm quiet zone each needs. */
const QR_SIDE = 20 * MM;
const QR_GAP = 4 * MM;
const A4 = { width: 595.28, height: 841.89, margin: 40 };

type Doc = PDFKit.PDFDocument;
/** The ideographic space Chinese text is spaced with. */
const GAP = '\u3000';

const money = (value: number): string => {
  const [whole, fraction] = migDecimal(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
};

/**
 * Renders the invoice proof (電子發票證明聯) as a PDF: `thermal`, the MOF's 57 × 90 mm proof, or `a4`, the B2B proof
 * with every line item (paginated), sales, tax and total and the seller's stamp. The barcodes are drawn as vectors
 * from bwip-js's encodings, so they stay sharp at any printer resolution.
 */
export class ProofPdfRenderer {
  private parsedFonts?: ParsedProofFonts;

  constructor(private readonly fonts: ProofFonts = NOTO_CJK_FONTS) {}

  async render(content: ProofContent, options: { layout: ProofLayout; stamp?: Buffer }): Promise<Buffer> {
    const fonts = this.loadFonts();
    const thermal = options.layout === 'thermal';
    const doc = new PDFDocument({
      size: thermal ? [THERMAL.width, THERMAL.height] : 'A4',
      margin: thermal ? THERMAL.margin : A4.margin,
      bufferPages: !thermal,
      info: { Title: `${content.title} ${content.numberLabel}`, Creator: 'einvoice-backoffice' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve, reject) => {
      doc.on('end', resolve);
      doc.on('error', reject);
    });
    // @types/pdfkit 0.17 does not list a parsed face among the sources; pdfkit 0.20 takes one (then it ignores the family).
    doc.registerFont('regular', fonts.regular as unknown as PDFKit.Mixins.PDFFontSource);
    doc.registerFont('bold', fonts.bold as unknown as PDFKit.Mixins.PDFFontSource);
    if (thermal) this.thermal(doc, content);
    else this.a4(doc, content, options.stamp);
    doc.end();
    await ended;
    return Buffer.concat(chunks);
  }

  private loadFonts(): ParsedProofFonts {
    this.parsedFonts ??= parseProofFonts(this.fonts);
    return this.parsedFonts;
  }

  private thermal(doc: Doc, c: ProofContent): void {
    const left = THERMAL.margin;
    const width = THERMAL.width - 2 * THERMAL.margin;
    let y = 3 * MM;
    const centred = (text: string, font: string, size: number, gap: number) => {
      doc.font(font).fontSize(size).text(text, left, y, { width, align: 'center', lineBreak: false, ellipsis: true });
      y += size * 1.2 + gap;
    };
    const pair = (first: string, second: string | null) => {
      doc.font('regular').fontSize(7.5);
      doc.text(first, left, y, { width, lineBreak: false });
      if (second) doc.text(second, left, y, { width, align: 'right', lineBreak: false });
      y += 7.5 * 1.35;
    };
    centred(c.sellerName, 'regular', 8, 1);
    centred(c.title, 'bold', 13, 1);
    centred(c.periodLabel, 'bold', 16, 0);
    centred(c.numberLabel, 'bold', 16, 2);
    pair(c.issuedAtLabel, c.formatCode ? `格式 ${c.formatCode}` : null);
    pair(`隨機碼 ${c.randomNumber}`, `總計 ${c.amounts.totalAmount}`);
    pair(`賣方 ${c.sellerBan}`, c.buyerBan ? `買方 ${c.buyerBan}` : null);
    y += 1 * MM;
    const barcodeWidth = drawCode39(doc, c.barcode, 0, y, true);
    drawCode39(doc, c.barcode, (THERMAL.width - barcodeWidth) / 2, y, false);
    y += CODE39_HEIGHT + 2.5 * MM;
    const [leftQr, rightQr] = qrPair(c.qr.left, c.qr.right);
    const qrLeft = (THERMAL.width - 2 * QR_SIDE - QR_GAP) / 2;
    drawQr(doc, leftQr, qrLeft, y);
    drawQr(doc, rightQr, qrLeft + QR_SIDE + QR_GAP, y);
  }

  private a4(doc: Doc, c: ProofContent, stamp: Buffer | undefined): void {
    const left = A4.margin;
    const width = A4.width - 2 * A4.margin;
    const bottom = A4.height - A4.margin - 14;
    doc.font('bold').fontSize(18).text(c.title, left, A4.margin, { width, align: 'center' });
    doc.font('bold').fontSize(13).text(`${c.periodLabel}${GAP}${c.numberLabel}`, left, doc.y + 2, { width, align: 'center' });
    doc.font('regular').fontSize(9);
    const facts = [`開立時間 ${c.issuedAtLabel}`, `隨機碼 ${c.randomNumber}`, c.formatCode ? `格式 ${c.formatCode}` : null];
    doc.text(facts.filter(Boolean).join(GAP.repeat(2)), left, doc.y + 4, { width, align: 'center' });
    let y = doc.y + 10;
    const partyWidth = width / 2 - 10;
    const party = (x: number, label: string, name: string | null, ban: string | null, address: string | null) => {
      doc.font('bold').fontSize(10).text(label, x, y, { width: partyWidth });
      doc.font('regular').fontSize(9);
      doc.text(`名稱：${name ?? ''}`, { width: partyWidth });
      doc.text(`統一編號：${ban ?? ''}`, { width: partyWidth });
      doc.text(`地址：${address ?? ''}`, { width: partyWidth });
      return doc.y;
    };
    y = Math.max(
      party(left, '賣方', c.sellerName, c.sellerBan, c.sellerAddress),
      party(left + width / 2 + 10, '買方', c.buyerName, c.buyerBan, c.buyerAddress),
    );
    y += 10;
    drawCode39(doc, c.barcode, left, y, false);
    const [leftQr, rightQr] = qrPair(c.qr.left, c.qr.right);
    drawQr(doc, leftQr, left + width - 2 * QR_SIDE - QR_GAP, y);
    drawQr(doc, rightQr, left + width - QR_SIDE, y);
    doc.font('regular').fontSize(8).text(c.barcode, left, y + CODE39_HEIGHT + 2, { lineBreak: false });
    y += QR_SIDE + 14;

    const columns = [
      { title: '品名', width: 205, align: 'left' as const, cell: (l: ProofContent['lines'][number]) => l.description },
      { title: '數量', width: 55, align: 'right' as const, cell: (l: ProofContent['lines'][number]) => migDecimal(l.quantity) },
      { title: '單價', width: 70, align: 'right' as const, cell: (l: ProofContent['lines'][number]) => money(l.unitPrice) },
      { title: '金額', width: 80, align: 'right' as const, cell: (l: ProofContent['lines'][number]) => money(l.amount) },
      { title: '備註', width: width - 410, align: 'left' as const, cell: (l: ProofContent['lines'][number]) => l.remark ?? '' },
    ];
    const pad = 3;
    const header = () => {
      doc.font('bold').fontSize(9);
      let x = left;
      for (const column of columns) {
        doc.text(column.title, x + pad, y + pad, { width: column.width - 2 * pad, align: column.align, lineBreak: false });
        x += column.width;
      }
      y += 9 * 1.3 + 2 * pad;
      doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.8).stroke();
    };
    const newPage = () => {
      doc.addPage();
      y = A4.margin;
      doc.font('regular').fontSize(9).text(`${c.title}${GAP}${c.periodLabel}${GAP}${c.numberLabel}（續）`, left, y, { width });
      y = doc.y + 6;
      header();
    };
    header();
    doc.font('regular').fontSize(9);
    for (const line of c.lines) {
      const texts = columns.map((column) => column.cell(line));
      const height = Math.max(...texts.map((text, i) => doc.heightOfString(text, { width: columns[i].width - 2 * pad }))) + 2 * pad;
      if (y + height > bottom) {
        newPage();
        doc.font('regular').fontSize(9);
      }
      let x = left;
      texts.forEach((text, i) => {
        doc.text(text, x + pad, y + pad, { width: columns[i].width - 2 * pad, align: columns[i].align });
        x += columns[i].width;
      });
      y += height;
      doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.3).stroke();
    }

    const stampSide = 110;
    if (y + 70 + (stamp ? stampSide : 0) > bottom) {
      newPage();
    }
    y += 8;
    const { amounts } = c;
    const totals: [string, number][] = [
      ['應稅銷售額', amounts.salesAmount],
      ['零稅率銷售額', amounts.zeroTaxSalesAmount],
      ['免稅銷售額', amounts.freeTaxSalesAmount],
      ['營業稅', amounts.taxAmount],
      ['總計', amounts.totalAmount],
    ];
    for (const [label, value] of totals) {
      doc.font(label === '總計' ? 'bold' : 'regular').fontSize(10);
      doc.text(label, left + width - 220, y, { width: 100, lineBreak: false });
      doc.text(money(value), left + width - 120, y, { width: 120, align: 'right', lineBreak: false });
      y += 14;
    }
    if (stamp) {
      doc.image(stamp, left + width - stampSide, y + 6, { fit: [stampSide, stampSide], align: 'right' });
    }

    const range = doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      // Writing below the bottom margin would make pdfkit open a page of its own.
      const margins = doc.page.margins;
      doc.page.margins = { ...margins, bottom: 0 };
      doc.font('regular').fontSize(8).text(`${c.numberLabel}${GAP}第 ${i + 1} / ${range.count} 頁`, left, A4.height - A4.margin, {
        width,
        align: 'right',
        lineBreak: false,
      });
      doc.page.margins = margins;
    }
  }
}

/** Draws the Code 39 symbol from (x, y); with `measure` only returns its width. */
function drawCode39(doc: Doc, text: string, x: number, y: number, measure: boolean): number {
  const widths = code39Widths(text);
  let cursor = x;
  widths.forEach((modules, i) => {
    const width = modules * CODE39_MODULE;
    if (!measure && i % 2 === 0) doc.rect(cursor, y, width, CODE39_HEIGHT);
    cursor += width;
  });
  if (!measure) doc.fillColor('black').fill();
  return cursor - x;
}

/** Draws a QR symbol QR_SIDE square from (x, y), one rectangle per run of dark modules in a row. */
function drawQr(doc: Doc, matrix: QrMatrix, x: number, y: number): void {
  const module = QR_SIDE / matrix.size;
  for (let row = 0; row < matrix.size; row++) {
    let column = 0;
    while (column < matrix.size) {
      if (!matrix.dark(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < matrix.size && matrix.dark(row, column)) column++;
      doc.rect(x + start * module, y + row * module, (column - start) * module, module);
    }
  }
  doc.fillColor('black').fill();
}
