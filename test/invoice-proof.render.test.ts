import { execFileSync } from 'node:child_process';
import { openQrVerification, qrVerification } from '../libs/adapters/crypto/qr-verification';
import { ProofLayout, ProofPdfRenderer } from '../libs/adapters/pdf/proof-pdf.renderer';
import { IssuedInvoice } from '../libs/domain/invoice/invoice.types';
import { buildProofContent } from '../libs/domain/invoice-proof/proof-content';
import { hex8, proofAmounts } from '../libs/domain/invoice-proof/proof-codes';
import { proofDecoder } from './support/proof-decoder';
import { numberedLines, proofInvoice } from './support/proof-fixtures';

const KEY = 'FE05F029154F6AA67A78B338ED2F6601';
const renderer = new ProofPdfRenderer();
const decoder = proofDecoder();

beforeAll(() => decoder.open());
afterAll(() => decoder.close());
const decode = (pdf: Buffer, dpi: number) => decoder.decode(pdf, dpi);

async function renderAndDecode(invoice: IssuedInvoice, layout: ProofLayout, reprint = false) {
  const content = buildProofContent(invoice, qrVerification(KEY, invoice.number, invoice.randomNumber), { reprint });
  const pdf = await renderer.render(content, { layout });
  // Thermal: 0.125 mm Code 39 modules are 3 pixels at 600 dpi; the A4 page is larger, the same module 2.4 at 500.
  const decoded = await decode(pdf, layout === 'thermal' ? 600 : 500);
  const left = decoded.qr.find((text) => !text.startsWith('**'));
  const right = decoded.qr.find((text) => text.startsWith('**'));
  return { pdf, content, decoded, left: left ?? '', right: right ?? '' };
}

/** The left code's fields as the MOF's app reads them. */
function readLeft(left: string) {
  const [, sellerArea, recorded, total, encoding, ...items] = left.slice(77).split(':');
  return {
    number: left.slice(0, 10),
    rocDate: left.slice(10, 17),
    random: left.slice(17, 21),
    untaxed: left.slice(21, 29),
    total: left.slice(29, 37),
    buyerBan: left.slice(37, 45),
    sellerBan: left.slice(45, 53),
    verification: left.slice(53, 77),
    sellerArea,
    recorded: Number(recorded),
    itemsOnInvoice: Number(total),
    encoding,
    items,
  };
}

const triples = (fields: string[]) =>
  Array.from({ length: fields.length / 3 }, (_, i) => ({ name: fields[3 * i], quantity: fields[3 * i + 1], unitPrice: fields[3 * i + 2] }));

function expectEveryField(invoice: IssuedInvoice, left: string, code39: string[]) {
  const fields = readLeft(left);
  const { untaxed, total } = proofAmounts(invoice);
  expect(code39).toEqual([`11512${invoice.number}${invoice.randomNumber}`]);
  expect(fields).toMatchObject({
    number: invoice.number,
    rocDate: '1151207',
    random: invoice.randomNumber,
    untaxed: hex8(untaxed),
    total: hex8(total),
    buyerBan: invoice.input.buyer.ban ?? '00000000',
    sellerBan: invoice.seller.ban,
    sellerArea: '**********',
    itemsOnInvoice: invoice.input.lines.length,
    encoding: '1',
  });
  expect(openQrVerification(KEY, fields.verification)).toBe(`${invoice.number}${invoice.randomNumber}`);
  return fields;
}

describe('the invoice proof PDF, rasterised and scanned', () => {
  it('thermal B2C: the Code 39, both QR codes and every field; the page is 57 mm wide; CJK embedded', async () => {
    const invoice = proofInvoice('b2c');
    const { pdf, decoded, left, right } = await renderAndDecode(invoice, 'thermal');
    expect(decoded.pages).toBe(1);
    expect(decoded.qr).toHaveLength(2);
    const fields = expectEveryField(invoice, left, decoded.code39);
    expect(fields.untaxed).toBe('0000008F'); // 150 tax included → 143 untaxed
    expect(fields.recorded).toBe(2);
    expect(triples(fields.items)).toEqual([
      { name: '珍珠奶茶', quantity: '2', unitPrice: '55' },
      { name: 'Cookie', quantity: '1', unitPrice: '40' },
    ]);
    expect(right).toBe('**');
    const info = execFileSync('pdfinfo', ['-'], { input: pdf }).toString();
    expect(info).toMatch(/Page size:\s+161\.57[0-9]* x 255\.1[0-9]* pts/);
    const fonts = execFileSync('pdffonts', ['-'], { input: pdf }).toString();
    expect(fonts).toMatch(/NotoSansCJKtc-Bold\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString();
    for (const field of ['電子發票證明聯', '115年11-12月', 'AB-12345678', '2026-12-07 14:30:05', '隨機碼 0123', '總計 150', '賣方 12345675']) {
      expect(text).toContain(field);
    }
    expect(text).not.toContain('補印');
    expect(text).not.toContain('買方');
  });

  it('thermal B2B reprint: 補印, buyer BAN, format 25, hex amounts untaxed and with tax', async () => {
    const invoice = proofInvoice('b2b');
    const { pdf, decoded, left } = await renderAndDecode(invoice, 'thermal', true);
    const fields = expectEveryField(invoice, left, decoded.code39);
    expect([fields.untaxed, fields.total, fields.buyerBan]).toEqual([hex8(9500), hex8(9975), '53212539']);
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString();
    for (const field of ['電子發票證明聯補印', '格式 25', '買方 53212539', '總計 9975']) expect(text).toContain(field);
  });

  it('thermal mixed-tax B2C: only the taxable part is split into sales and tax', async () => {
    const invoice = proofInvoice('mixed');
    const { decoded, left } = await renderAndDecode(invoice, 'thermal');
    const fields = expectEveryField(invoice, left, decoded.code39);
    expect([fields.untaxed, fields.total]).toEqual([hex8(360), hex8(365)]);
    expect(triples(fields.items).map((item) => item.name)).toEqual(['便當', '鮮奶', '出口品']);
  });

  it('100 items: the left code fills, the right one continues, the count says how many the two carry', async () => {
    const invoice = proofInvoice('b2c', { lines: numberedLines(100) });
    const { decoded, left, right } = await renderAndDecode(invoice, 'thermal');
    expect(decoded.qr).toHaveLength(2);
    const fields = expectEveryField(invoice, left, decoded.code39);
    expect(right.startsWith('**:')).toBe(true);
    const rightItems = triples(right.slice(3).split(':'));
    const items = [...triples(fields.items), ...rightItems];
    expect(rightItems.length).toBeGreaterThan(0);
    expect(fields.recorded).toBe(items.length);
    expect(fields.recorded).toBeLessThan(100);
    expect(items).toEqual(numberedLines(items.length).map((line) => ({ name: line.description, quantity: '1', unitPrice: '10' })));
  });

  it('a4 B2B: the codes scan on the first page, the lines, totals and stamp are printed', async () => {
    const invoice = proofInvoice('b2b');
    const content = buildProofContent(invoice, qrVerification(KEY, invoice.number, invoice.randomNumber), { reprint: false });
    const stamp = execFileSync('pdftoppm', ['-png', '-r', '20', '-singlefile', '-'], {
      input: await renderer.render(content, { layout: 'thermal' }),
    });
    const pdf = await renderer.render(content, { layout: 'a4', stamp });
    const decoded = await decode(pdf, 500);
    expect(decoded.pages).toBe(1);
    const left = decoded.qr.find((text) => !text.startsWith('**')) ?? '';
    const fields = expectEveryField(invoice, left, decoded.code39);
    expect(triples(fields.items).map((item) => item.name)).toEqual(['辦公椅', '桌燈']);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    for (const field of ['電子發票證明聯', '格式 25', '53212539', '買方股份有限公司', '辦公椅', '含組裝', '7,500', '9,500', '475', '9,975']) {
      expect(text).toContain(field);
    }
    const images = execFileSync('pdfimages', ['-list', '-'], { input: pdf }).toString();
    expect(images.trim().split('\n')).toHaveLength(3); // two heading lines, then the stamp: the codes are vectors
  });

  it('names the package to install when the CJK font is missing', async () => {
    const missing = new ProofPdfRenderer({ regular: { path: '/nonexistent/none.ttc' }, bold: { path: '/nonexistent/none.ttc' } });
    const content = buildProofContent(proofInvoice('b2c'), 'CamotDNRUN8bVyY5S1BhFQ==', { reprint: false });
    await expect(missing.render(content, { layout: 'thermal' })).rejects.toThrow('fonts-noto-cjk');
  });

  it('a4 with 9,999 lines paginates, every line printed once, the last page numbered', async () => {
    const lines = Array.from({ length: 9999 }, (_, i) => ({ description: `貨品 ${i + 1}`, quantity: 1, unitPrice: 3, amount: 3 }));
    const invoice = proofInvoice('b2b', { lines });
    const content = buildProofContent(invoice, qrVerification(KEY, invoice.number, invoice.randomNumber), { reprint: false });
    const pdf = await renderer.render(content, { layout: 'a4' });
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString();
    const pages = text.split('\f').filter((page) => page.trim() !== '');
    expect(pages.length).toBeGreaterThan(100);
    const printed = [...text.matchAll(/貨品 (\d+)/g)].map((match) => Number(match[1]));
    expect(printed).toEqual(lines.map((_, i) => i + 1));
    expect(pages[pages.length - 1]).toContain(`第 ${pages.length} / ${pages.length} 頁`);
    expect(pages[1]).toContain('（續）');
    expect(pages[pages.length - 1]).toContain('31,497'); // 29,997 + 1,500 tax
  });
});
