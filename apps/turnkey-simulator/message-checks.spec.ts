import { partyProblem, schemaProblem } from './message-checks';
import { messageFacts } from './message-facts';
import { ParsedMessage, parseMessage } from './message-parser';
import { TurnkeyMessageType } from '../../libs/adapters/turnkey/turnkey-folders';
import { f0401Xml } from '../../libs/dev/turnkey-test-kit';

const parsed = (xml: string, type: TurnkeyMessageType = 'F0401'): ParsedMessage => {
  const result = parseMessage(type, Buffer.from(xml, 'utf8'));
  if ('problem' in result) throw new Error(result.problem.message);
  return result;
};

describe('schemaProblem', () => {
  it('passes a valid F0401', () => {
    expect(schemaProblem('F0401', parsed(f0401Xml({ number: 'AB12345678' })))).toBeUndefined();
  });

  it('names the first problem and lists the rest', () => {
    expect(schemaProblem('F0401', parsed(f0401Xml({ number: 'AB12345678', omit: ['InvoiceNumber', 'PrintMark'] })))).toEqual({
      message: 'F0401: Invoice/Main/InvoiceNumber is missing',
      more: 'Invoice/Main/PrintMark is missing',
    });
    expect(schemaProblem('F0401', parsed(f0401Xml({ number: 'AB12345678', date: '20250230' })))).toEqual({
      message: "F0401: Invoice/Main/InvoiceDate must be a date yyyyMMdd, got '20250230'",
      more: undefined,
    });
  });

  it('checks the root element and the namespace before the elements', () => {
    expect(schemaProblem('F0501', parsed(f0401Xml({ number: 'AB12345678' }), 'F0501'))).toEqual({
      message: 'F0501: root element must be CancelInvoice, got Invoice',
    });
    expect(schemaProblem('F0401', parsed(f0401Xml({ number: 'AB12345678', namespace: 'urn:x' })))).toEqual({
      message: 'F0401: namespace must be urn:GEINV:eInvoiceMessage:F0401:4.1',
      more: "got 'urn:x'",
    });
  });
});

describe('partyProblem', () => {
  const facts = (seller: string, buyer: string) => messageFacts('F0401', parsed(f0401Xml({ number: 'AB12345678', seller, buyer })).root);

  it('wants a valid seller BAN and a valid buyer BAN or the B2C placeholder', () => {
    expect(partyProblem('F0401', facts('12345675', '0000000000'))).toBeUndefined();
    expect(partyProblem('F0401', facts('12345675', '04595257'))).toBeUndefined();
    expect(partyProblem('F0401', facts('12345678', '0000000000'))).toEqual({ message: 'F0401: seller identifier 12345678 is not a valid BAN' });
    expect(partyProblem('F0401', facts('12345675', '12345678'))).toEqual({
      message: 'F0401: buyer identifier 12345678 is neither 0000000000 nor a valid BAN',
    });
  });

  it('does not check allowances and blank reports', () => {
    expect(partyProblem('G0401', { identifier: null, fromParty: '12345678' })).toBeUndefined();
  });
});
