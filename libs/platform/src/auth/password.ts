import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$<salt hex>$<key hex>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, keyHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !keyHex) return false;
  const key = await scryptAsync(password, Buffer.from(saltHex, 'hex'));
  const expected = Buffer.from(keyHex, 'hex');
  return expected.length === key.length && timingSafeEqual(expected, key);
}

let dummy: Promise<string> | undefined;
/**
 * A hash of a random password, of the same scheme and cost as the users' (made once per process):
 * the login verifies against it when the user is unknown or deactivated, so every answer takes
 * the time of one scrypt and the time tells nothing about which usernames exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

/** The password functions as one injectable object (a fake in unit tests). */
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hashPassword(password);
  }
  verify(password: string, stored: string): Promise<boolean> {
    return verifyPassword(password, stored);
  }
  dummyHash(): Promise<string> {
    return dummyPasswordHash();
  }
}
