import { findText, parseMessage } from './message-parser';

describe('parseMessage', () => {
  it('rejects bytes that are not UTF-8, and XML that is not well-formed', () => {
    expect(parseMessage('F0401', Buffer.from([0x3c, 0xff, 0x3e]))).toEqual({ problem: { message: 'F0401: file is not valid UTF-8' } });
    expect(parseMessage('F0401', Buffer.from('<Invoice><Main></Invoice>'))).toMatchObject({
      problem: { message: expect.stringContaining('F0401: XML not well-formed'), more: expect.any(String) },
    });
  });

  it('accepts a BOM and strips a namespace prefix from element names', () => {
    const xml = '\uFEFF<a:CancelAllowance xmlns:a="urn:GEINV:eInvoiceMessage:G0501:4.1"><a:CancelDate>20250120</a:CancelDate></a:CancelAllowance>';
    const result = parseMessage('G0501', Buffer.from(xml, 'utf8'));
    if ('problem' in result) throw new Error(result.problem.message);
    const { root, prefix } = result;
    expect(prefix).toBe('a');
    expect(root.name).toBe('CancelAllowance');
    expect(root.children.map((child) => child.name)).toEqual(['CancelDate']);
  });
});

describe('findText', () => {
  it('reads a simple element by path, and nothing for a missing or complex one', () => {
    const result = parseMessage('F0401', Buffer.from('<Invoice><Main><InvoiceNumber> AB12345678 </InvoiceNumber><Seller><Name>x</Name></Seller></Main></Invoice>'));
    if ('problem' in result) throw new Error(result.problem.message);
    expect(findText(result.root, 'Main/InvoiceNumber')).toBe('AB12345678');
    expect(findText(result.root, 'Main/Seller')).toBeUndefined();
    expect(findText(result.root, 'Main/Buyer/Name')).toBeUndefined();
  });
});
