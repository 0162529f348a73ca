import { openQrVerification, qrVerification } from './qr-verification';

const KEY = 'FE05F029154F6AA67A78B338ED2F6601';

describe('qrVerification', () => {
  it('matches the MOF test vector', () => {
    expect(qrVerification(KEY, 'XF00001234', '9876')).toBe('CamotDNRUN8bVyY5S1BhFQ==');
  });

  it('reads a key in either case and opens back to number + random', () => {
    const verification = qrVerification(KEY.toLowerCase(), 'AB12345678', '0123');
    expect(verification).toHaveLength(24);
    expect(openQrVerification(KEY, verification)).toBe('AB123456780123');
  });

  it('differs under another key, and refuses a key that is not 32 hex digits', () => {
    expect(qrVerification('00000000000000000000000000000001', 'XF00001234', '9876')).not.toBe('CamotDNRUN8bVyY5S1BhFQ==');
    expect(() => qrVerification('FE05F029154F6AA67A78B338ED2F66', 'XF00001234', '9876')).toThrow('32 hexadecimal digits');
    expect(() => qrVerification('GE05F029154F6AA67A78B338ED2F6601', 'XF00001234', '9876')).toThrow('32 hexadecimal digits');
  });
});
