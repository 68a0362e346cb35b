import { hashPassword, verifyPassword } from './password';

describe('passwords', () => {
  it('verifies the right password and rejects others', async () => {
    const stored = await hashPassword('hotline12345');
    expect(stored).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(await verifyPassword('hotline12345', stored)).toBe(true);
    expect(await verifyPassword('hotline12346', stored)).toBe(false);
    expect(await verifyPassword('hotline12345', 'plain')).toBe(false);
  });
  it('salts every hash', async () => {
    expect(await hashPassword('x')).not.toBe(await hashPassword('x'));
  });
});
