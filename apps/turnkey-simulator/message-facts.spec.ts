import { messageFacts } from './message-facts';
import { parseMessage } from './message-parser';
import { TurnkeyMessageType } from '../../libs/adapters/turnkey/turnkey-folders';
import { f0401Xml } from '../../libs/dev/turnkey-test-kit';

const rootOf = (type: TurnkeyMessageType, xml: string) => {
  const result = parseMessage(type, Buffer.from(xml, 'utf8'));
  if ('problem' in result) throw new Error(result.problem.message);
  return result.root;
};

describe('messageFacts', () => {
  it('reads an F0401: identifier from number and InvoiceDate, parties, and the invoice', () => {
    expect(messageFacts('F0401', rootOf('F0401', f0401Xml({ number: 'AB12345678', buyer: '04595257' })))).toEqual({
      identifier: 'F0401AB1234567820250115',
      fromParty: '12345675',
      toParty: '04595257',
      invoice: { number: 'AB12345678', day: '20250115' },
    });
  });

  it('builds an F0501 identifier from CancelDate but names the voided invoice by its InvoiceDate', () => {
    const xml = `<CancelInvoice><CancelInvoiceNumber>AB12345678</CancelInvoiceNumber><InvoiceDate>20250115</InvoiceDate>
      <BuyerId>0000000000</BuyerId><SellerId>12345675</SellerId><CancelDate>20250120</CancelDate></CancelInvoice>`;
    expect(messageFacts('F0501', rootOf('F0501', xml))).toEqual({
      identifier: 'F0501AB1234567820250120',
      fromParty: '12345675',
      toParty: '0000000000',
      invoice: { number: 'AB12345678', day: '20250115' },
    });
  });

  it('has no identifier when its parts are missing, and still the parties', () => {
    expect(messageFacts('F0401', rootOf('F0401', f0401Xml({ number: 'AB12345678', omit: ['InvoiceNumber'] })))).toMatchObject({
      identifier: null,
      fromParty: '12345675',
    });
    const blank = '<BranchTrackBlank><Main><HeadBan>12345675</HeadBan><BranchBan>12345675</BranchBan><YearMonth>11402</YearMonth></Main></BranchTrackBlank>';
    expect(messageFacts('E0402', rootOf('E0402', blank))).toEqual({ identifier: null, fromParty: '12345675' });
  });
});
