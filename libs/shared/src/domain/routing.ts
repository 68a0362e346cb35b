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
