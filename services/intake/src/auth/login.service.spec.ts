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

function setup(user: UserRow | null) {
  const verified: [string, string][] = [];
  const signed: unknown[] = [];
  const service = new LoginService(
    { findByUsername: async () => user },
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
        return stored === row.passwordHash && password === 'right';
      },
    },
  );
  return { service, verified, signed };
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
});
