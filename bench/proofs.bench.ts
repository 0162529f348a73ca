import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { qrVerification } from '../libs/adapters/crypto/qr-verification';
import { NOTO_CJK_FONTS, parseProofFonts, ProofLayout, ProofPdfRenderer } from '../libs/adapters/pdf/proof-pdf.renderer';
import { buildProofContent, ProofContent } from '../libs/domain/invoice-proof';
import { computeAmounts } from '../libs/domain/invoice/compute-amounts';
import { InvoiceInput, IssuedInvoice } from '../libs/domain/invoice/invoice.types';
import { migDecimal } from '../libs/domain/mig/mig-xml';
import { fromTaipei } from '../libs/domain/taipei-time';
import { Figure, median, printFigures, sizeFromEnv } from './support/bench-report';

/**
 * Invoice proofs per second: ProofPdfRenderer (the thermal proof of a 5-item B2C invoice; the A4 proof of a 100-item
 * B2B one) against the same page drawn by pdfkit in the same run with the same fonts, parsed once, and the same text
 * calls, but without the Code 39 and the two QR codes: what the codes cost on top of the PDF itself. A third row
 * prices the text-only thermal page with the fonts handed to registerFont as file contents, which makes pdfkit parse
 * the CJK collection again in every document: what the renderer's parsed fonts save.
 *
 *   BENCH_PROOFS (default 100: thermal proofs a batch), BENCH_A4_PROOFS (default 20), BENCH_RUNS (default 5 batches
 *   a side, alternating; the median batch is printed)
 */
const KEY = 'FE05F029154F6AA67A78B338ED2F6601';
const THERMAL_PROOFS = sizeFromEnv('BENCH_PROOFS', 100);
const A4_PROOFS = sizeFromEnv('BENCH_A4_PROOFS', 20);
const RUNS = sizeFromEnv('BENCH_RUNS', 5);

const SELLER = { ban: '12345675', name: '範例股份有限公司', address: '台北市信義區市府路 1 號' };

function invoice(input: InvoiceInput, number: string): IssuedInvoice {
  return { number, issuedAt: fromTaipei(2026, 12, 7, 14, 30, 5), randomNumber: '0123', seller: SELLER, input, amounts: computeAmounts(input) };
}

function content(issued: IssuedInvoice): ProofContent {
  return buildProofContent(issued, qrVerification(KEY, issued.number, issued.randomNumber), { reprint: false });
}

const DRINKS = ['珍珠奶茶', '烏龍綠茶', '芒果冰沙', '黑糖鮮奶', '檸檬愛玉'];
const thermalInvoice = invoice(
  {
    billingNo: 'BENCH-THERMAL',
    taxType: '1',
    buyer: {},
    print: true,
    lines: DRINKS.map((description, i) => ({ description, quantity: i + 1, unitPrice: 55, amount: 55 * (i + 1) })),
  },
  'AB12345678',
);
const a4Invoice = invoice(
  {
    billingNo: 'BENCH-A4',
    taxType: '1',
    buyer: { ban: '53212539', name: '買方股份有限公司', address: '台北市中正區重慶南路一段 2 號' },
    lines: Array.from({ length: 100 }, (_, i) => ({
      description: `辦公用品 第${i + 1}項`,
      quantity: 1 + (i % 4),
      unitPrice: 120,
      amount: 120 * (1 + (i % 4)),
      ...(i % 10 === 0 ? { remark: '含組裝' } : {}),
    })),
  },
  'AB12345679',
);

// ---------------------------------------------------------------------------------------------------------------
// The baseline: the renderer's pages, text and rules only (the renderer's geometry and text calls, copied).
// ---------------------------------------------------------------------------------------------------------------

type Fonts = { regular: unknown; bold: unknown };
type Doc = PDFKit.PDFDocument;
const MM = 72 / 25.4;
const THERMAL = { width: 57 * MM, height: 90 * MM, margin: 4.5 * MM };
const A4 = { width: 595.28, height: 841.89, margin: 40 };
const QR_SIDE = 20 * MM;
const CODE39_HEIGHT = 6 * MM;
const GAP = '\u3000';
const money = (value: number) => {
  const [whole, fraction] = migDecimal(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
};

async function textOnly(c: ProofContent, layout: ProofLayout, fonts: Fonts): Promise<Buffer> {
  const thermal = layout === 'thermal';
  const doc = new PDFDocument({
    size: thermal ? [THERMAL.width, THERMAL.height] : 'A4',
    margin: thermal ? THERMAL.margin : A4.margin,
    bufferPages: !thermal,
    info: { Title: `${c.title} ${c.numberLabel}`, Creator: 'einvoice-backoffice' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  // A parsed face is not among @types/pdfkit's sources yet; pdfkit 0.20 takes one.
  doc.registerFont('regular', fonts.regular as Buffer, NOTO_CJK_FONTS.regular.family);
  doc.registerFont('bold', fonts.bold as Buffer, NOTO_CJK_FONTS.bold.family);
  if (thermal) thermalText(doc, c);
  else a4Text(doc, c);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

function thermalText(doc: Doc, c: ProofContent): void {
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
}

function a4Text(doc: Doc, c: ProofContent): void {
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
  y = Math.max(party(left, '賣方', c.sellerName, c.sellerBan, c.sellerAddress), party(left + width / 2 + 10, '買方', c.buyerName, c.buyerBan, c.buyerAddress));
  y += 10;
  doc.font('regular').fontSize(8).text(c.barcode, left, y + CODE39_HEIGHT + 2, { lineBreak: false });
  y += QR_SIDE + 14;
  type Line = ProofContent['lines'][number];
  const columns = [
    { title: '品名', width: 205, align: 'left' as const, cell: (l: Line) => l.description },
    { title: '數量', width: 55, align: 'right' as const, cell: (l: Line) => migDecimal(l.quantity) },
    { title: '單價', width: 70, align: 'right' as const, cell: (l: Line) => money(l.unitPrice) },
    { title: '金額', width: 80, align: 'right' as const, cell: (l: Line) => money(l.amount) },
    { title: '備註', width: width - 410, align: 'left' as const, cell: (l: Line) => l.remark ?? '' },
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
  header();
  doc.font('regular').fontSize(9);
  const newPage = () => {
    doc.addPage();
    y = A4.margin;
    doc.font('regular').fontSize(9).text(`${c.title}${GAP}${c.periodLabel}${GAP}${c.numberLabel}（續）`, left, y, { width });
    y = doc.y + 6;
    header();
  };
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
  if (y + 70 > bottom) newPage();
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
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, bottom: 0 };
    doc.font('regular').fontSize(8).text(`${c.numberLabel}${GAP}第 ${i + 1} / ${range.count} 頁`, left, A4.height - A4.margin, { width, align: 'right', lineBreak: false });
    doc.page.margins = margins;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The bench.
// ---------------------------------------------------------------------------------------------------------------

const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
const textOf = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();

/** Proofs per second of one batch. */
async function rate(count: number, render: () => Promise<Buffer>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await render();
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Batches of each side in turn, after one warm-up render each; the median rate of each. */
async function alternate(count: number, sides: (() => Promise<Buffer>)[]): Promise<number[]> {
  for (const side of sides) await side();
  const rates: number[][] = sides.map(() => []);
  for (let run = 0; run < RUNS; run++) {
    for (const [i, side] of sides.entries()) rates[i].push(await rate(count, side));
  }
  return rates.map(median);
}

async function main(): Promise<void> {
  const renderer = new ProofPdfRenderer();
  const parsed = parseProofFonts(NOTO_CJK_FONTS);
  const files = { regular: readFileSync(NOTO_CJK_FONTS.regular.path), bold: readFileSync(NOTO_CJK_FONTS.bold.path) };
  const thermal = content(thermalInvoice);
  const a4 = content(a4Invoice);

  const samples = {
    thermal: await renderer.render(thermal, { layout: 'thermal' }),
    thermalText: await textOnly(thermal, 'thermal', parsed),
    a4: await renderer.render(a4, { layout: 'a4' }),
    a4Text: await textOnly(a4, 'a4', parsed),
  };
  for (const [name, pdf] of Object.entries(samples)) console.log(`${name}: ${(pdf.length / 1024).toFixed(0)} KB, ${pages(pdf)} page(s)`);
  // The baseline is a copy of the renderer's text calls: it must still print what the renderer prints.
  if (textOf(samples.thermal) !== textOf(samples.thermalText)) throw new Error('the thermal baseline prints other text than the renderer');
  if (textOf(samples.a4) !== textOf(samples.a4Text)) throw new Error('the A4 baseline prints other text or pages than the renderer');

  const [thermalRate, thermalTextRate, thermalFilesRate] = await alternate(THERMAL_PROOFS, [
    () => renderer.render(thermal, { layout: 'thermal' }),
    () => textOnly(thermal, 'thermal', parsed),
    () => textOnly(thermal, 'thermal', files),
  ]);
  const [a4Rate, a4TextRate] = await alternate(A4_PROOFS, [() => renderer.render(a4, { layout: 'a4' }), () => textOnly(a4, 'a4', parsed)]);

  const figures: Figure[] = [
    { name: 'thermal proof, 5 items (ProofPdfRenderer)', unit: 'proofs/s, ratio = with codes / text only', project: thermalRate, baseline: thermalTextRate },
    { name: `A4 proof, 100 items, ${pages(samples.a4)} pages (ProofPdfRenderer)`, unit: 'proofs/s, ratio = with codes / text only', project: a4Rate, baseline: a4TextRate },
    { name: 'thermal text only, fonts parsed in every document', unit: 'proofs/s, ratio = to fonts parsed once', project: thermalFilesRate, baseline: thermalTextRate },
  ];
  printFigures(`invoice proofs (median of ${RUNS} batches a side: ${THERMAL_PROOFS} thermal, ${A4_PROOFS} A4; baseline = the same page without codes, fonts parsed once)`, figures);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
