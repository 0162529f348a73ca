import { generateApiKey, hashApiKey, sameSecret } from './api-key-secret';

describe('generateApiKey', () => {
  it('returns distinct keys with distinct hashes', () => {
    const keys = Array.from({ length: 20 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.key)).size).toBe(20);
    expect(new Set(keys.map((k) => k.hash)).size).toBe(20);
  });

  it('returns the hash of the key and a short prefix of it for display', () => {
    const { key, hash, prefix } = generateApiKey();
    expect(key).toMatch(/^einv_[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(hashApiKey(key));
    expect(prefix).toBe(key.slice(0, 11));
    expect(hash).not.toContain(key.slice(5));
  });
});

describe('hashApiKey', () => {
  it('is 64 lower-case hex characters and deterministic', () => {
    const hash = hashApiKey('einv_example');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey('einv_example')).toBe(hash);
  });

  it('is SHA-256 of the UTF-8 key', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('differs for keys that differ in one character', () => {
    expect(hashApiKey('einv_example1')).not.toBe(hashApiKey('einv_example2'));
  });
});

describe('sameSecret', () => {
  test.each([
    ['einv_abc', 'einv_abc', true],
    ['einv_abc', 'einv_abd', false],
    ['einv_abc', 'einv_abcd', false],
    ['', '', true],
    ['', 'x', false],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(sameSecret(a, b)).toBe(expected);
    expect(sameSecret(b, a)).toBe(expected);
  });
});
