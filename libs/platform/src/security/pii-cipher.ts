import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError, normalisePhone } from '@hotline/shared';

/**
 * Application-level encryption of personal data at rest (PIPL art. 51): AES-256-GCM, one random
 * 96-bit IV per value, the value bound to its row and field by the additional authenticated data
 * (so a ciphertext copied onto another ticket or another column does not decrypt), and the id of
 * the key stored with it so keys can rotate. One format, in the existing text columns:
 *
 *     v1:<kid>:<iv base64url>:<ciphertext base64url>:<tag base64url>
 *
 * Keys come from the environment: `HOTLINE_PII_KEYS="k2:<base64 32 bytes>,k1:<base64 32 bytes>"`
 * (the first is the active one, the others only decrypt) and `HOTLINE_PII_INDEX_KEY` (base64, at
 * least 32 bytes) for the blind index, an HMAC-SHA256 of the normalised phone. Framework-free.
 */
export const PII_ENVELOPE_VERSION = 'v1';
const ENVELOPE = /^v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]+):([A-Za-z0-9_-]*):([A-Za-z0-9_-]+)$/;
const KID = /^[A-Za-z0-9_-]{1,32}$/;

/** Missing or malformed keys: a ConfigError, so every process prints the list and refuses to start. */
export class PiiKeyError extends ConfigError {
  constructor(problems: string | string[]) {
    super(Array.isArray(problems) ? problems : [problems]);
    this.name = 'PiiKeyError';
  }
}

/** A value that does not decrypt: tampered, bound to another row or field, or under an unknown key. */
export class PiiDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PiiDecryptError';
  }
}

export interface PiiKeyring {
  /** Key id → 32-byte AES key; the first entry is the active one. */
  keys: [kid: string, key: Buffer][];
  indexKey: Buffer;
}

type Env = Record<string, string | undefined>;

/** The associated data binding a value to its row and field. */
export function piiAad(rowId: string, field: string): string {
  return `${rowId}\u0000${field}`;
}

export function isPiiEnvelope(value: string): boolean {
  return ENVELOPE.test(value);
}

/** The key id an envelope was sealed under, or null for a value that is not an envelope (plaintext). */
export function envelopeKid(value: string): string | null {
  return ENVELOPE.exec(value)?.[1] ?? null;
}

export class PiiCipher {
  private readonly keys: Map<string, Buffer>;
  readonly activeKid: string;
  private readonly indexKey: Buffer;

  constructor(ring: PiiKeyring) {
    if (ring.keys.length === 0) throw new PiiKeyError('at least one personal-data key is required');
    this.keys = new Map();
    for (const [kid, key] of ring.keys) {
      if (!KID.test(kid)) throw new PiiKeyError(`personal-data key id "${kid}" must match ${KID}`);
      if (key.length !== 32) throw new PiiKeyError(`personal-data key "${kid}" must be 32 bytes (AES-256)`);
      if (this.keys.has(kid)) throw new PiiKeyError(`personal-data key id "${kid}" appears twice`);
      this.keys.set(kid, key);
    }
    if (ring.indexKey.length < 32) throw new PiiKeyError('the blind-index key must be at least 32 bytes');
    this.activeKid = ring.keys[0][0];
    this.indexKey = ring.indexKey;
  }

  /**
   * From `HOTLINE_PII_KEYS` and `HOTLINE_PII_INDEX_KEY`. Throws a PiiKeyError naming what is
   * missing or malformed: a service refuses to boot without them (scripts/start.sh and the tests
   * provide development keys; production sets its own).
   */
  static fromEnv(env: Env): PiiCipher {
    return new PiiCipher(parsePiiKeyring(env));
  }

  /** The ids of the configured keys, the active one first. */
  get kids(): string[] {
    return [...this.keys.keys()];
  }

  encrypt(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.keys.get(this.activeKid)!, iv);
    c.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
    const tag = c.getAuthTag();
    return [PII_ENVELOPE_VERSION, this.activeKid, b64(iv), b64(ct), b64(tag)].join(':');
  }

  decrypt(envelope: string, aad: string): string {
    const m = ENVELOPE.exec(envelope);
    if (!m) throw new PiiDecryptError('the value is not a v1 personal-data envelope');
    const [, kid, iv, ct, tag] = m;
    const key = this.keys.get(kid);
    if (!key)
      throw new PiiDecryptError(
        `the value is encrypted under key "${kid}", which HOTLINE_PII_KEYS does not hold (it has: ${this.kids.join(', ')})`,
      );
    try {
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAAD(Buffer.from(aad, 'utf8'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw new PiiDecryptError(
        'the value does not authenticate: tampered with, or bound to another row or field',
      );
    }
  }

  /** Null in, null out; otherwise encrypt. */
  seal(value: string | null, aad: string): string | null {
    return value === null ? null : this.encrypt(value, aad);
  }

  /** Null in, null out; otherwise decrypt. */
  open(value: string | null, aad: string): string | null {
    return value === null ? null : this.decrypt(value, aad);
  }

  /** True when the value is sealed under the active key (nothing to rotate). */
  isCurrent(value: string): boolean {
    return envelopeKid(value) === this.activeKid;
  }

  /** The blind index of a phone: HMAC-SHA256 (hex) of its normalised digits; null when it has none. */
  phoneIndex(phone: string | null): string | null {
    if (phone === null) return null;
    const digits = normalisePhone(phone);
    if (digits === null) return null;
    return createHmac('sha256', this.indexKey).update(`phone:${digits}`, 'utf8').digest('hex');
  }

  /**
   * A request's fingerprint, kept with its Idempotency-Key: HMAC-SHA256 (hex) under the index key,
   * apart from the phone index by its prefix. Keyed, since a body carries personal data: a plain
   * hash of a ticket's body would let anyone holding the table and the ticket's plaintext columns
   * try every phone number against it.
   */
  requestFingerprint(material: string): string {
    return createHmac('sha256', this.indexKey).update(`request:${material}`, 'utf8').digest('hex');
  }

  /**
   * The ticket's query code (查询码): six digits the citizen is given with the ticket number, to
   * look the ticket up (RULES §1). Derived, not stored: HMAC-SHA256 of the number under the index
   * key (apart from the other uses by its prefix), so the same ticket always has the same code and
   * nobody without the key can compute one.
   */
  queryCode(ticketNo: string): string {
    const mac = createHmac('sha256', this.indexKey).update(`query-code:${ticketNo}`, 'utf8').digest();
    return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  }

  /** Whether `code` is the ticket's query code, compared in constant time. */
  queryCodeMatches(ticketNo: string, code: string): boolean {
    const want = Buffer.from(this.queryCode(ticketNo));
    const shaped = /^\d{6}$/.test(code);
    return timingSafeEqual(want, Buffer.from(shaped ? code : '------')) && shaped;
  }
}

export function parsePiiKeyring(env: Env): PiiKeyring {
  const problems: string[] = [];
  const rawKeys = env.HOTLINE_PII_KEYS?.trim() ?? '';
  const rawIndex = env.HOTLINE_PII_INDEX_KEY?.trim() ?? '';
  const keys: [string, Buffer][] = [];
  if (!rawKeys)
    problems.push(
      'HOTLINE_PII_KEYS is required: "kid:<base64 of 32 random bytes>[,older-kid:<base64>…]", the first is the active key',
    );
  for (const entry of rawKeys
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = entry.indexOf(':');
    const kid = i > 0 ? entry.slice(0, i) : '';
    const key = i > 0 ? Buffer.from(entry.slice(i + 1), 'base64') : Buffer.alloc(0);
    if (!KID.test(kid))
      problems.push(`HOTLINE_PII_KEYS entry "${kid || entry.slice(0, 8)}…" needs a key id: "kid:<base64>"`);
    else if (key.length !== 32)
      problems.push(`HOTLINE_PII_KEYS key "${kid}" must decode to 32 bytes, got ${key.length}`);
    else keys.push([kid, key]);
  }
  const indexKey = Buffer.from(rawIndex, 'base64');
  if (!rawIndex) problems.push('HOTLINE_PII_INDEX_KEY is required: base64 of at least 32 random bytes');
  else if (indexKey.length < 32)
    problems.push(`HOTLINE_PII_INDEX_KEY must decode to at least 32 bytes, got ${indexKey.length}`);
  if (problems.length > 0) throw new PiiKeyError(problems);
  return { keys, indexKey };
}

/** A fresh key, base64: what `node -e` prints for an operator setting up HOTLINE_PII_KEYS. */
export function generatePiiKey(): string {
  return randomBytes(32).toString('base64');
}

function b64(b: Buffer): string {
  return b.toString('base64url');
}
