import { CENTRE_ROLES } from './vocabulary';
import type { Role } from './vocabulary';

/** Who is calling, as the JWT says. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Set for unit clerks: the only unit whose tickets they may see. */
  unitId: string | null;
  /** A unit's leader (单位领导): a unit user who reviews in person (经领导审核). Absent: no. */
  unitLeader?: boolean;
  /** The user's name as the record shows it (a leader's review is in this name). */
  displayName?: string;
}

export function isCentreStaff(p: Principal): boolean {
  return CENTRE_ROLES.includes(p.role);
}
