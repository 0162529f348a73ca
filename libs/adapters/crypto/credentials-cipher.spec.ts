import { randomBytes } from 'node:crypto';
import { CredentialsCipher } from './credentials-cipher';

const SECRET = { storeCode: 'S001', aesKey: 'plain-text-aes-key-0123456789', pname: '測試商店' };

describe('CredentialsCipher', () => {
  const cipher = new CredentialsCipher(randomBytes(32));

  test.each([['an object', SECRET], ['a string', 'p@ssw0rd'], ['a number', 42], ['null', null]])(
    'opens what it sealed: %s',
    (_label, value) => {
      expect(cipher.open(cipher.seal(value))).toEqual(value);
    },
  );

  it('does not leave the plaintext in the sealed bytes', () => {
    const sealed = cipher.seal(SECRET);
    for (const text of [SECRET.aesKey, SECRET.storeCode, SECRET.pname, JSON.stringify(SECRET)]) {
      expect(sealed.includes(Buffer.from(text, 'utf8'))).toBe(false);
    }
  });

  it('seals the same value differently each time', () => {
    const first = cipher.seal(SECRET);
    const second = cipher.seal(SECRET);
    expect(first.equals(second)).toBe(false);
    expect(cipher.open(second)).toEqual(cipher.open(first));
  });

  test.each([
    ['the iv', 0],
    ['the auth tag', 12],
    ['the ciphertext', 28],
    ['the last byte', -1],
  ])('refuses to open when one byte of %s is changed', (_label, offset) => {
    const sealed = cipher.seal(SECRET);
    const index = offset < 0 ? sealed.length + offset : offset;
    sealed[index] ^= 0x01;
    expect(() => cipher.open(sealed)).toThrow();
  });

  it('refuses to open with another key', () => {
    expect(() => new CredentialsCipher(randomBytes(32)).open(cipher.seal(SECRET))).toThrow();
  });

  it('refuses a truncated value', () => {
    const sealed = cipher.seal(SECRET);
    expect(() => cipher.open(sealed.subarray(0, sealed.length - 1))).toThrow();
  });

  test.each([16, 31, 33])('refuses a key of %i bytes', (length) => {
    expect(() => new CredentialsCipher(randomBytes(length))).toThrow('32 bytes');
  });
});
