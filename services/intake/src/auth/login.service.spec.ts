import type { UserRow } from '@hotline/platform';
import { LoginService } from './login.service';

const DUMMY = 'scrypt$dummy$hash';
const row: UserRow = {
  id: 'operator',
  username: 'operator',
  displayName: '话务员小王',
  passwordHash: 'scrypt$real$hash',
  role: 'operator',
  unitId: null,
  active: true,
  tokenVersion: 4,
};

function setup(user: UserRow | null, refused: string[] = []) {
  const verified: [string, string][] = [];
  const signed: unknown[] = [];
  const set: [string, string][] = [];
  let current = user;
  const service = new LoginService(
    {
      findByUsername: async () => current,
      setPasswordHash: async (username: string, hash: string) => {
        set.push([username, hash]);
        current = current && { ...current, passwordHash: hash, tokenVersion: current.tokenVersion + 1 };
        return current !== null;
      },
    },
    {
      signAsync: async (claims: unknown) => {
        signed.push(claims);
        return 'token';
      },
    } as never,
    {
      dummyHash: async () => DUMMY,
      verify: async (password: string, stored: string) => {
        verified.push([password, stored]);
        return (stored === row.passwordHash && password === 'right') || stored === `hash:${password}`;
      },
      hash: async (password: string) => `hash:${password}`,
    },
    refused,
  );
  return { service, verified, signed, set };
}

describe('LoginService', () => {
  it('verifies the password against a dummy hash for an unknown user (same time as a known one)', async () => {
    const { service, verified } = setup(null);
    await expect(service.login('nobody', 'right')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(verified).toEqual([['right', DUMMY]]);
  });
  it('verifies against the dummy hash for a deactivated user and refuses even the right password', async () => {
    const { service, verified } = setup({ ...row, active: false });
    await expect(service.login('operator', 'right')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(verified).toEqual([['right', DUMMY]]);
  });
  it('gives a wrong password the same answer as an unknown user', async () => {
    const { service, verified } = setup(row);
    await expect(service.login('operator', 'wrong')).rejects.toMatchObject({
      code: 'invalid_credentials',
      message: 'unknown user or wrong password',
    });
    expect(verified).toEqual([['wrong', row.passwordHash]]);
  });
  it("signs the user's token version into the token as ver", async () => {
    const { service, signed } = setup(row);
    const res = await service.login('operator', 'right');
    expect(res.accessToken).toBe('token');
    expect(signed).toEqual([
      { sub: 'operator', username: 'operator', role: 'operator', unitId: null, ver: 4 },
    ]);
  });

  describe('changePassword', () => {
    it('sets the new password and answers a token of the bumped version', async () => {
      const { service, set, signed } = setup(row);
      const res = await service.changePassword('operator', 'right', 'a-new-password-1');
      expect(set).toEqual([['operator', 'hash:a-new-password-1']]);
      expect(res.accessToken).toBe('token');
      expect(signed.at(-1)).toMatchObject({ sub: 'operator', ver: 5 });
    });

    it('refuses a wrong current password as wrong_password, and changes nothing', async () => {
      const { service, set } = setup(row);
      await expect(service.changePassword('operator', 'wrong', 'a-new-password-1')).rejects.toMatchObject({
        code: 'wrong_password',
      });
      expect(set).toEqual([]);
    });

    it('refuses a new password against the rules before it checks the current one', async () => {
      const { service, set, verified } = setup(row, ['hotline12345']);
      for (const next of ['short', 'operator', 'hotline12345'])
        await expect(service.changePassword('operator', 'right', next)).rejects.toMatchObject({
          code: 'validation_failed',
          extra: { field: 'newPassword' },
        });
      expect(verified).toEqual([]);
      expect(set).toEqual([]);
    });

    it('refuses the current password as the new one', async () => {
      const { service, set } = setup({ ...row, passwordHash: 'hash:the-same-password' });
      await expect(
        service.changePassword('operator', 'the-same-password', 'the-same-password'),
      ).rejects.toMatchObject({ code: 'validation_failed' });
      expect(set).toEqual([]);
    });
  });
});
