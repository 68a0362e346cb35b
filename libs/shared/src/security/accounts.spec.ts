import { accountProblem, passwordProblem } from './accounts';

describe("the administrator's accounts", () => {
  const clerk = { username: 'clerk.parks', role: 'unit_clerk', unitId: 'parks', displayName: '园林局经办人' };

  it('takes a unit’s clerk of a unit, and any other role of none', () => {
    expect(accountProblem(clerk)).toBeNull();
    expect(accountProblem({ ...clerk, role: 'operator', unitId: null, username: 'op-7_b' })).toBeNull();
    expect(accountProblem({ ...clerk, username: 'ab' })).toBeNull();
  });

  it.each([
    ['Clerk.Parks', 'username'],
    ['a', 'username'],
    ['.clerk', 'username'],
    ['clerk parks', 'username'],
    ['张三', 'username'],
    ['x'.repeat(65), 'username'],
  ])('refuses the username %s', (username, field) => {
    expect(accountProblem({ ...clerk, username })?.field).toBe(field);
  });

  it('refuses a role it does not know, a clerk of no unit, another role of a unit, and no name', () => {
    expect(accountProblem({ ...clerk, role: 'root' })?.field).toBe('role');
    expect(accountProblem({ ...clerk, unitId: null })?.field).toBe('unitId');
    expect(accountProblem({ ...clerk, role: 'operator' })?.field).toBe('unitId');
    expect(accountProblem({ ...clerk, displayName: '  ' })?.field).toBe('displayName');
  });

  it('takes a password of 12 to 128 characters, counted as characters', () => {
    expect(passwordProblem('x'.repeat(12), 'clerk.parks')).toBeNull();
    expect(passwordProblem('x'.repeat(128), 'clerk.parks')).toBeNull();
    expect(passwordProblem('密'.repeat(12), 'clerk.parks')).toBeNull();
    expect(passwordProblem('x'.repeat(11), 'clerk.parks')?.field).toBe('password');
    expect(passwordProblem('x'.repeat(129), 'clerk.parks')?.field).toBe('password');
  });

  it('refuses a blank password, the username, and a refused one (the demo password in production)', () => {
    expect(passwordProblem(' '.repeat(12), 'clerk.parks')?.detail).toMatch(/blank/);
    expect(passwordProblem('CLERK.PARKS.1', 'clerk.parks.1')?.detail).toMatch(/username/);
    expect(passwordProblem('hotline12345', 'clerk.parks', ['hotline12345'])?.detail).toMatch(/not allowed/);
    expect(passwordProblem('hotline12345', 'clerk.parks')).toBeNull();
  });
});
