import { blankReportIdentifier, invoiceIdentifier, upcastBakDir, upcastErrDir, upcastSrcDir } from './turnkey-folders';
import { parseTaipeiTimestamp, taipeiTimestamp } from '../../domain/taipei-time';

describe('turnkey folders', () => {
  it('puts storage messages under B2SSTORAGE and E0402 under B2PMESSAGE', () => {
    expect(upcastSrcDir('/tk', 'F0401')).toBe('/tk/UpCast/B2SSTORAGE/F0401/SRC');
    expect(upcastSrcDir('/tk', 'G0501')).toBe('/tk/UpCast/B2SSTORAGE/G0501/SRC');
    expect(upcastSrcDir('/tk', 'E0402')).toBe('/tk/UpCast/B2PMESSAGE/E0402/SRC');
    expect(upcastBakDir('/tk', 'F0501')).toBe('/tk/UpCast/B2SSTORAGE/F0501/BAK');
    expect(upcastErrDir('/tk', 'E0402')).toBe('/tk/UpCast/B2PMESSAGE/E0402/ERR');
  });

  it('builds identifiers from the Asia/Taipei calendar day', () => {
    // 16:30 UTC on 1 January is 00:30 on 2 January in Taipei.
    expect(invoiceIdentifier('F0401', 'AB12345678', new Date('2025-01-01T16:30:00Z'))).toBe('F0401AB1234567820250102');
    expect(invoiceIdentifier('F0401', 'AB12345678', new Date('2025-01-01T15:59:59.999Z'))).toBe('F0401AB1234567820250101');
    expect(blankReportIdentifier('12345675', 'AB', '11402')).toBe('E040212345675AB11402');
    expect(() => invoiceIdentifier('G0401', 'X'.repeat(20), new Date())).toThrow(/longer than 30/);
  });

  it('round-trips Turnkey timestamps in Asia/Taipei', () => {
    const at = new Date('2025-03-04T23:05:06.789Z');
    expect(taipeiTimestamp(at)).toBe('20250305070506789');
    expect(parseTaipeiTimestamp('20250305070506789')).toEqual(at);
    expect(parseTaipeiTimestamp('20250305070506')).toEqual(new Date('2025-03-04T23:05:06.000Z'));
  });
});
