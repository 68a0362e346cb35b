import {
  canonicalJson,
  decideClaim,
  IDEMPOTENCY_KEY_RETENTION_DAYS,
  idempotencyMaterial,
  idempotencyScope,
  isIdempotencyKey,
} from './idempotency';

describe('the Idempotency-Key', () => {
  it('is 1–128 characters of [A-Za-z0-9_.:-]', () => {
    for (const ok of ['a', 'k-1', 'sign:2026.12.06_01', 'x'.repeat(128)])
      expect(isIdempotencyKey(ok)).toBe(true);
    for (const bad of ['', 'x'.repeat(129), 'a b', 'é', 'a/b', 'a\u0000', '键'])
      expect(isIdempotencyKey(bad)).toBe(false);
  });

  it('is remembered for 30 days', () => {
    expect(IDEMPOTENCY_KEY_RETENTION_DAYS).toBe(30);
  });
});

describe('canonicalJson', () => {
  it('gives two bodies that differ only in key order one text, at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
  });

  it('tells apart every other difference: a value, a type, array order, a missing or extra member', () => {
    const base = { content: '已修复', n: 1, list: [1, 2], flag: true };
    const texts = [
      base,
      { ...base, content: '已修复。' },
      { ...base, n: '1' },
      { ...base, list: [2, 1] },
      { ...base, flag: null },
      { content: '已修复', n: 1, list: [1, 2] },
      { ...base, extra: 0 },
    ].map(canonicalJson);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('leaves out undefined members, as a JSON body never has them', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('sorts by code unit, whatever the locale', () => {
    expect(canonicalJson({ b: 1, B: 2, 中: 3, a: 4 })).toBe('{"B":2,"a":4,"b":1,"中":3}');
  });
});

describe('scope and material', () => {
  it('scope a key to one caller, one operation and one resource', () => {
    const s = idempotencyScope({ operation: 'Unit.reply', params: { ticketNo: '1' }, userId: 'u1' });
    expect(s).toBe(idempotencyScope({ operation: 'Unit.reply', params: { ticketNo: '1' }, userId: 'u1' }));
    expect(s).not.toBe(
      idempotencyScope({ operation: 'Unit.reply', params: { ticketNo: '2' }, userId: 'u1' }),
    );
    expect(s).not.toBe(
      idempotencyScope({ operation: 'Unit.reply', params: { ticketNo: '1' }, userId: 'u2' }),
    );
    expect(s).not.toBe(idempotencyScope({ operation: 'Unit.sign', params: { ticketNo: '1' }, userId: 'u1' }));
    expect(idempotencyScope({ operation: 'T.create', params: undefined, userId: 'u' })).toBe(
      idempotencyScope({ operation: 'T.create', params: {}, userId: 'u' }),
    );
  });

  it('hold a repeat to its body and query', () => {
    const m = idempotencyMaterial({ body: { a: 1 }, query: {} });
    expect(idempotencyMaterial({ body: { a: 1 }, query: undefined })).toBe(m);
    expect(idempotencyMaterial({ body: { a: 2 }, query: {} })).not.toBe(m);
    expect(idempotencyMaterial({ body: { a: 1 }, query: { x: '1' } })).not.toBe(m);
    expect(idempotencyMaterial({ body: undefined })).toBe(idempotencyMaterial({ body: null, query: {} }));
  });
});

describe('decideClaim', () => {
  it('is the first request for a new key, a repeat for the same fingerprint, reused for another', () => {
    expect(decideClaim(null, 'f1')).toBe('first');
    expect(decideClaim('f1', 'f1')).toBe('repeat');
    expect(decideClaim('f1', 'f2')).toBe('reused');
  });
});
