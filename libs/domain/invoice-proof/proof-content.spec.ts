import { proofInvoice } from '../../../test/support/proof-fixtures';
import { buildProofContent } from './proof-content';

const VERIFICATION = 'CamotDNRUN8bVyY5S1BhFQ==';

describe('buildProofContent', () => {
  it('B2C: the header fields, no buyer BAN, no format code', () => {
    const content = buildProofContent(proofInvoice('b2c'), VERIFICATION, { reprint: false });
    expect(content).toMatchObject({
      title: '電子發票證明聯',
      reprint: false,
      b2b: false,
      periodLabel: '115年11-12月',
      numberLabel: 'AB-12345678',
      issuedAtLabel: '2026-12-07 14:30:05',
      randomNumber: '0123',
      sellerBan: '12345675',
      buyerBan: null,
      formatCode: null,
      barcode: '11512AB123456780123',
      amounts: { totalAmount: 150 },
    });
    expect(content.qr.left.startsWith('AB1234567811512070123')).toBe(true);
  });

  it('B2B reprint: 補印 in the title, buyer BAN, format 25, the lines with their remarks', () => {
    const content = buildProofContent(proofInvoice('b2b'), VERIFICATION, { reprint: true });
    expect(content).toMatchObject({
      title: '電子發票證明聯補印',
      reprint: true,
      b2b: true,
      buyerBan: '53212539',
      buyerName: '買方股份有限公司',
      formatCode: '25',
      amounts: { salesAmount: 9500, taxAmount: 475, totalAmount: 9975 },
    });
    expect(content.lines).toEqual([
      { description: '辦公椅', quantity: 3, unitPrice: 2500, amount: 7500, remark: '含組裝' },
      { description: '桌燈', quantity: 2, unitPrice: 1000, amount: 2000, remark: null },
    ]);
  });
});
