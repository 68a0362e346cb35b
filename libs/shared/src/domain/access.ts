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

export interface ComplainantData {
  complainantName: string | null;
  complainantPhone: string | null;
}

/**
 * What of the complainant a viewer may see. The centre sees everything. A unit sees name and a
 * masked phone, and nothing at all when the complainant asked for confidentiality (保密).
 */
export function complainantViewFor(
  viewer: Principal,
  data: ComplainantData & { confidential: boolean },
): ComplainantData {
  if (isCentreStaff(viewer))
    return { complainantName: data.complainantName, complainantPhone: data.complainantPhone };
  if (data.confidential) return { complainantName: null, complainantPhone: null };
  return { complainantName: data.complainantName, complainantPhone: maskPhone(data.complainantPhone) };
}

export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}
