import { ROLES } from '../domain/vocabulary';
import type { Role } from '../domain/vocabulary';
import { hasVisibleText } from '../domain/text';

/**
 * The administrator's accounts: who may be made a user, and what a password must be. A username
 * is what the user types at login: lower-case letters, digits, `.`, `_`, `-`, 2 to 64 of them,
 * starting with a letter or digit. A unit's clerk belongs to a unit, and no other role does (the
 * database holds the same rule). A password is 12 to 128 characters, not blank and not the
 * username; in production, not the demo password either.
 */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

export interface AccountProblem {
  field: 'username' | 'role' | 'unitId' | 'password' | 'displayName';
  detail: string;
}

export function accountProblem(a: {
  username: string;
  role: string;
  unitId: string | null;
  displayName: string;
}): AccountProblem | null {
  if (!USERNAME_PATTERN.test(a.username))
    return {
      field: 'username',
      detail:
        'a username is 2 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
    };
  if (!(ROLES as readonly string[]).includes(a.role))
    return { field: 'role', detail: `role is one of ${ROLES.join(', ')}` };
  if ((a.role as Role) === 'unit_clerk' && a.unitId === null)
    return { field: 'unitId', detail: "a unit's clerk belongs to a unit: name it" };
  if ((a.role as Role) !== 'unit_clerk' && a.unitId !== null)
    return { field: 'unitId', detail: `a ${a.role} belongs to no unit` };
  if (!hasVisibleText(a.displayName))
    return { field: 'displayName', detail: 'give the name the user goes by' };
  return null;
}

export function passwordProblem(
  password: string,
  username: string,
  refused: readonly string[] = [],
): AccountProblem | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH)
    return {
      field: 'password',
      detail: `a password is ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    };
  if (password.trim().length === 0) return { field: 'password', detail: 'a password is not blank' };
  if (password.toLowerCase() === username.toLowerCase())
    return { field: 'password', detail: 'a password is not the username' };
  if (refused.includes(password)) return { field: 'password', detail: 'this password is not allowed here' };
  return null;
}
