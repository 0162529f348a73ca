import { DomainError } from '../domain-error';
import { InvoiceInput } from '../invoice/invoice.types';
import { validateDelivery } from '../invoice/validate-delivery';
import { renderF0401 } from '../mig/f0401';
import { proofInvoice } from '../../../test/support/proof-fixtures';
import { checkProofPrintable, mayPrintProof } from './proof-rules';

const deliveries: Partial<InvoiceInput>[] = [
  { buyer: {}, print: true },
  { buyer: {}, carrier: { type: '3J0002', id: '/ABC+123' } },
  { buyer: {}, carrier: { type: 'CQ0001', id: 'AB12345678901234' } },
  { buyer: {}, npoban: '168001' },
  { buyer: { ban: '53212539' } },
  { buyer: { ban: '53212539' }, print: true },
  { buyer: { ban: '53212539' }, carrier: { type: '3J0002', id: '/ABC+123' } },
  { buyer: { ban: '53212539' }, carrier: { type: '3J0002', id: '/ABC+123' }, print: true },
  { buyer: { ban: '53212539' }, carrier: { type: 'CQ0001', id: 'AB12345678901234' }, print: false },
];

describe('the one PrintMark rule', () => {
  it.each(deliveries.map((d) => [JSON.stringify(d), d]))('%s: a proof exactly when the F0401 says PrintMark Y', (_, delivery) => {
    const base = proofInvoice('b2c');
    const input = { ...base.input, print: undefined, ...delivery } as InvoiceInput;
    expect(validateDelivery(input)).toEqual([]);
    const printMark = /<PrintMark>([YN])<\/PrintMark>/.exec(renderF0401({ ...base, input }))?.[1];
    expect(mayPrintProof(input)).toBe(printMark === 'Y');
  });
});

describe('checkProofPrintable', () => {
  const refusal = (invoice: Parameters<typeof checkProofPrintable>[0]) => {
    try {
      checkProofPrintable(invoice);
    } catch (error) {
      return error as DomainError;
    }
    return undefined;
  };

  it('lets a printed invoice through in every live state', () => {
    for (const state of ['issued', 'uploading', 'sent', 'accepted', 'rejected'] as const) {
      expect(refusal({ number: 'AB12345678', state, input: proofInvoice('b2b').input })).toBeUndefined();
    }
  });

  it('refuses a voided or blank-cancelled invoice with a 409 naming why', () => {
    expect(refusal({ number: 'AB12345678', state: 'voided', input: proofInvoice('b2c').input })).toMatchObject({
      kind: 'conflict',
      code: 'PROOF.INVOICE_VOIDED',
      message: expect.stringContaining('AB12345678 is voided'),
    });
    expect(refusal({ number: 'AB12345678', state: 'cancelled_blank', input: proofInvoice('b2c').input })?.code).toBe('PROOF.INVOICE_VOIDED');
  });

  it('refuses an invoice on a carrier or donated (PrintMark N)', () => {
    const onCarrier = { ...proofInvoice('b2c').input, print: undefined, carrier: { type: '3J0002' as const, id: '/ABC+123' } };
    const donated = { ...proofInvoice('b2c').input, print: undefined, npoban: '168001' };
    expect(refusal({ number: 'AB12345678', state: 'accepted', input: onCarrier })).toMatchObject({
      kind: 'conflict',
      code: 'PROOF.NOT_PRINTED',
      message: expect.stringContaining('carrier'),
    });
    expect(refusal({ number: 'AB12345678', state: 'accepted', input: donated })?.message).toContain('donated');
  });
});
