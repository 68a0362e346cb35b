import { randomBytes } from 'node:crypto';
import {
  envelopeKid,
  isPiiEnvelope,
  parsePiiKeyring,
  PiiCipher,
  PiiDecryptError,
  PiiKeyError,
  piiAad,
} from './pii-cipher';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const indexKey = randomBytes(32);
const aad = piiAad('20261123000001', 'complainant_phone');

describe('PiiCipher', () => {
  const cipher = new PiiCipher({ keys: [['k1', k1]], indexKey });

  it('round-trips, with a fresh IV each time, in the v1 envelope', () => {
    const a = cipher.encrypt('13800138000', aad);
    const b = cipher.encrypt('13800138000', aad);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1:k1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(a).not.toContain('13800138000');
    expect(isPiiEnvelope(a)).toBe(true);
    expect(envelopeKid(a)).toBe('k1');
    expect(cipher.decrypt(a, aad)).toBe('13800138000');
    expect(cipher.decrypt(cipher.encrypt('张三', aad), aad)).toBe('张三');
    expect(cipher.decrypt(cipher.encrypt('', aad), aad)).toBe('');
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const env = cipher.encrypt('13800138000', aad);
    const parts = env.split(':');
    const flip = (s: string) => {
      const b = Buffer.from(s, 'base64url');
      b[0] ^= 1;
      return b.toString('base64url');
    };
    for (const i of [2, 3, 4]) {
      const bad = [...parts];
      bad[i] = flip(bad[i]);
      expect(() => cipher.decrypt(bad.join(':'), aad)).toThrow(PiiDecryptError);
    }
  });

  it('refuses a value moved to another ticket or another field (wrong AAD)', () => {
    const env = cipher.encrypt('13800138000', aad);
    expect(() => cipher.decrypt(env, piiAad('20261123000002', 'complainant_phone'))).toThrow(/another row/);
    expect(() => cipher.decrypt(env, piiAad('20261123000001', 'complainant_name'))).toThrow(PiiDecryptError);
  });

  it('names an unknown key id clearly', () => {
    const other = new PiiCipher({ keys: [['k9', randomBytes(32)]], indexKey });
    expect(() => cipher.decrypt(other.encrypt('x', aad), aad)).toThrow(
      /key "k9", which HOTLINE_PII_KEYS does not hold/,
    );
  });

  it('refuses what is not an envelope', () => {
    expect(() => cipher.decrypt('13800138000', aad)).toThrow(/not a v1/);
    expect(envelopeKid('13800138000')).toBeNull();
  });

  it('encrypts under the first key and still reads the older ones', () => {
    const old = cipher.encrypt('张三', aad);
    const rotated = new PiiCipher({
      keys: [
        ['k2', k2],
        ['k1', k1],
      ],
      indexKey,
    });
    expect(rotated.decrypt(old, aad)).toBe('张三');
    expect(rotated.isCurrent(old)).toBe(false);
    const fresh = rotated.encrypt('张三', aad);
    expect(envelopeKid(fresh)).toBe('k2');
    expect(rotated.isCurrent(fresh)).toBe(true);
    expect(() => cipher.decrypt(fresh, aad)).toThrow(/"k2"/);
  });

  it('indexes phones by their normalised digits, keyed', () => {
    const i = cipher.phoneIndex('13800138000');
    expect(i).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.phoneIndex('+86 138-0013-8000')).toBe(i);
    expect(cipher.phoneIndex('13800138001')).not.toBe(i);
    expect(
      new PiiCipher({ keys: [['k1', k1]], indexKey: randomBytes(32) }).phoneIndex('13800138000'),
    ).not.toBe(i);
    expect(cipher.phoneIndex(null)).toBeNull();
  });
});

describe('query codes (查询码)', () => {
  const cipher = new PiiCipher({ keys: [['k1', k1]], indexKey });
  const other = new PiiCipher({ keys: [['k1', k1]], indexKey: randomBytes(32) });

  it('gives each ticket six digits, the same every time, that only the key computes', () => {
    const code = cipher.queryCode('20261206000001');
    expect(code).toMatch(/^\d{6}$/);
    expect(cipher.queryCode('20261206000001')).toBe(code);
    expect(other.queryCode('20261206000001')).not.toBe(code);
    const codes = new Set(
      Array.from({ length: 200 }, (_, i) => cipher.queryCode(`2026120600${String(i).padStart(4, '0')}`)),
    );
    expect(codes.size).toBeGreaterThan(195);
  });

  it('matches only the ticket’s own code, and nothing shaped otherwise', () => {
    const code = cipher.queryCode('20261206000001');
    expect(cipher.queryCodeMatches('20261206000001', code)).toBe(true);
    expect(cipher.queryCodeMatches('20261206000002', code)).toBe(cipher.queryCode('20261206000002') === code);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(cipher.queryCodeMatches('20261206000001', wrong)).toBe(false);
    for (const bad of ['', '12345', '1234567', `${code}0`, '一二三四五六', 'abcdef'])
      expect(cipher.queryCodeMatches('20261206000001', bad)).toBe(false);
  });
});

describe('keys from the environment', () => {
  it('parses kid:base64 pairs, the first active', () => {
    const c = PiiCipher.fromEnv({
      HOTLINE_PII_KEYS: `k2:${k2.toString('base64')}, k1:${k1.toString('base64')}`,
      HOTLINE_PII_INDEX_KEY: indexKey.toString('base64'),
    });
    expect(c.activeKid).toBe('k2');
    expect(c.kids).toEqual(['k2', 'k1']);
  });
  it('refuses to run without keys, saying what is missing', () => {
    expect(() => PiiCipher.fromEnv({})).toThrow(PiiKeyError);
    expect(() => PiiCipher.fromEnv({})).toThrow(
      /HOTLINE_PII_KEYS is required[\s\S]*HOTLINE_PII_INDEX_KEY is required/,
    );
  });
  it('refuses short keys and missing key ids', () => {
    expect(() =>
      parsePiiKeyring({
        HOTLINE_PII_KEYS: `k1:${randomBytes(16).toString('base64')}`,
        HOTLINE_PII_INDEX_KEY: indexKey.toString('base64'),
      }),
    ).toThrow(/must decode to 32 bytes, got 16/);
    expect(() =>
      parsePiiKeyring({
        HOTLINE_PII_KEYS: k1.toString('base64'),
        HOTLINE_PII_INDEX_KEY: indexKey.toString('base64'),
      }),
    ).toThrow(/needs a key id/);
    expect(() =>
      parsePiiKeyring({ HOTLINE_PII_KEYS: `k1:${k1.toString('base64')}`, HOTLINE_PII_INDEX_KEY: 'c2hvcnQ=' }),
    ).toThrow(/at least 32 bytes/);
  });
});
