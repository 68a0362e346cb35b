import { CENTRE_ROLES } from './vocabulary';
import type { Role } from './vocabulary';

/** Who is calling, as the JWT says. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Set for unit clerks: the only unit whose tickets they may see. */
  unitId: string | null;
}

export function isCentreStaff(p: Principal): boolean {
  return CENTRE_ROLES.includes(p.role);
}
