import { CENTRE_ROLES } from './vocabulary';
import type { Role } from './vocabulary';
import { maskedComplainantView } from '../security/personal-data';
import type { ComplainantData } from '../security/personal-data';

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

/**
 * What of the complainant a viewer may see in lists and details: masked for every role, nothing
 * for a unit when the complainant asked for confidentiality (保密). The rule is in
 * `security/personal-data.ts`; plain values come only from a logged reveal.
 */
export function complainantViewFor(
  viewer: Principal,
  data: ComplainantData & { confidential: boolean },
): ComplainantData {
  return maskedComplainantView(viewer, data);
}
