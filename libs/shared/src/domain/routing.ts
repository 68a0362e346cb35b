import type { AppealKind, ComplaintNature } from './vocabulary';

/**
 * Routing by the matter catalog (承办事项库): "who is in charge, who is responsible". An entry maps a
 * category, optionally narrowed to a region, to the unit that handles it. The most specific entry
 * wins: category + region beats category alone; among equals the lower priority number wins, then
 * the entry id, so the choice is stable.
 */
export interface CatalogEntry {
  id: string;
  category: string;
  /** null: the entry applies city-wide. */
  regionCode: string | null;
  unitId: string;
  priority: number;
}

export interface RoutingRequest {
  category: string;
  regionCode: string;
}

export function selectCatalogEntry(
  entries: readonly CatalogEntry[],
  req: RoutingRequest,
): CatalogEntry | null {
  const candidates = entries.filter(
    (e) => e.category === req.category && (e.regionCode === null || e.regionCode === req.regionCode),
  );
  candidates.sort(
    (a, b) =>
      Number(b.regionCode !== null) - Number(a.regionCode !== null) ||
      a.priority - b.priority ||
      a.id.localeCompare(b.id),
  );
  return candidates[0] ?? null;
}

/** The kinds of appeal a nature applies to: complaints and reports about officials. */
export const NATURE_KINDS: readonly AppealKind[] = ['complaint', 'report'];

export type NatureIntake =
  | { ok: true; complaintNature: ComplaintNature | null; confidential: boolean }
  | { ok: false; reason: string };

/**
 * A complaint about officials, classed by nature (GS): only a complaint or a report has one; an
 * integrity report (廉政举报) is confidential unless the operator says otherwise (the complainant
 * waived it) and goes to the discipline body alone (no assisting unit: the report may concern
 * that unit's own staff); the others keep the complainant's choice (default: not confidential).
 */
export function natureAtIntake(
  kind: AppealKind,
  nature: ComplaintNature | undefined,
  confidential: boolean | undefined,
  assistingUnits = 0,
  dispositionType = 'dispatch',
): NatureIntake {
  if (nature === undefined) return { ok: true, complaintNature: null, confidential: confidential ?? false };
  if (!NATURE_KINDS.includes(kind))
    return { ok: false, reason: `complaintNature is for a complaint or a report, not a ${kind}` };
  // The body for its nature handles it: not an answer at intake, nor a call or line of the unit
  // it may concern (an integrity report's reporter put on a call with that unit's staff).
  if (dispositionType !== 'dispatch' && dispositionType !== 'not_accepted')
    return {
      ok: false,
      reason: `a complaint about officials goes to the body for its nature: dispatch it (or do not accept it), not ${dispositionType}`,
    };
  if (nature === 'integrity' && assistingUnits > 0)
    return {
      ok: false,
      reason: 'an integrity report goes to the discipline body alone, with no assisting unit',
    };
  return { ok: true, complaintNature: nature, confidential: confidential ?? nature === 'integrity' };
}

/**
 * What is wrong with the centre's coordination (协调) of a complaint about officials, or null: it
 * stays with the body for its nature where the city has one (the nature, not the matter, decides
 * who handles it), and an integrity report has no assisting unit (it may concern that unit's staff).
 */
export function natureCoordinationProblem(
  complaintNature: ComplaintNature | null,
  natureBodyId: string | null,
  leadUnitId: string,
  assistingUnits: number,
): string | null {
  if (complaintNature === null) return null;
  if (natureBodyId !== null && leadUnitId !== natureBodyId)
    return `a complaint about officials (${complaintNature}) goes to the body for its nature, ${natureBodyId}, not ${leadUnitId}`;
  if (complaintNature === 'integrity' && assistingUnits > 0)
    return 'an integrity report goes to the discipline body alone, with no assisting unit';
  return null;
}

/**
 * Assisting units (协办单位) share the handling of a dispatched ticket. A ticket answered at intake
 * (directly, on a three-way call, by a special line or window) or not accepted is on no unit's
 * desk, so it has none: naming one is a mistake the operator is told of, not a list kept unused.
 * Null when the request stands; else the reason.
 */
export function assistingAtIntake(dispositionType: string, assistingUnits: number): string | null {
  if (assistingUnits === 0 || dispositionType === 'dispatch') return null;
  return `assisting units share a dispatched ticket's handling; a ${dispositionType} ticket has none`;
}

/**
 * Where a ticket goes: a complaint about officials to the body for its nature (the unit the
 * catalog names for it), whatever the matter; else the matter catalog's unit. Null: the centre
 * dispatches by hand (no entry, or no body for the nature).
 */
export function routeOf<U extends { id: string }>(
  complaintNature: ComplaintNature | null,
  natureBody: U | null,
  entry: CatalogEntry | null,
  entryUnit: U | null,
): { unit: U; catalogEntryId: string | null } | null {
  if (complaintNature !== null) return natureBody ? { unit: natureBody, catalogEntryId: null } : null;
  return entry && entryUnit ? { unit: entryUnit, catalogEntryId: entry.id } : null;
}
