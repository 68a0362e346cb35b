import { hasVisibleText } from '../domain/text';

/**
 * The matter catalog (承办事项库, RULES §5, PA §1–2): "one matter, one process". Its entries are
 * added, changed or removed only on a unit's application, approved by the centre. A unit applies
 * for its own matters: to add an entry it will handle, to change or remove one of its own. The
 * centre approves (the catalog changes at once, and routing follows it) or refuses, with a note.
 */
export const CATALOG_ACTIONS = ['add', 'change', 'remove'] as const;
export type CatalogAction = (typeof CATALOG_ACTIONS)[number];

export const APPLICATION_STATUSES = ['pending', 'approved', 'refused'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** A category is a short stable key (`road`, `street-stalls`): what tickets are registered under. */
export const CATEGORY_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface CatalogApplicationInput {
  action: CatalogAction;
  /** The entry to change or remove; none for an addition. */
  entryId?: string | null;
  name?: string | null;
  category?: string | null;
  /** null: city-wide. */
  regionCode?: string | null;
  priority?: number | null;
  reason: string;
}

export interface EntryFields {
  name: string;
  category: string;
  regionCode: string | null;
  priority: number;
}

/** What the applicant's unit may ask, given the entry it names: a problem to refuse it with, or null. */
export function applicationProblem(
  a: CatalogApplicationInput,
  unitId: string,
  entry: { unitId: string; active: boolean } | null,
): { code: 'validation_failed' | 'not_found'; message: string } | null {
  if (!hasVisibleText(a.reason))
    return { code: 'validation_failed', message: 'say why the catalog should change' };
  if (a.action === 'add') {
    if (a.entryId) return { code: 'validation_failed', message: 'an addition names no existing entry' };
    if (!a.name?.trim() || !a.category)
      return { code: 'validation_failed', message: 'an addition needs the matter’s name and category' };
  } else {
    if (!a.entryId) return { code: 'validation_failed', message: `a ${a.action} names the entry (entryId)` };
    // Another unit's entry, or one already removed, is not the applicant's to change.
    if (!entry || !entry.active || entry.unitId !== unitId)
      return { code: 'not_found', message: `no entry "${a.entryId}" of your unit in the matter catalog` };
  }
  if (a.category && !CATEGORY_PATTERN.test(a.category))
    return { code: 'validation_failed', message: 'a category is lowercase letters, digits and hyphens' };
  return null;
}

/** The entry as an approved application leaves it: an addition's fields, or the entry with the changes asked. */
export function entryAfter(a: CatalogApplicationInput, entry: EntryFields | null): EntryFields {
  const base: EntryFields = entry ?? { name: '', category: '', regionCode: null, priority: 100 };
  return {
    name: a.name?.trim() || base.name,
    category: a.category || base.category,
    regionCode: a.regionCode === undefined ? base.regionCode : a.regionCode,
    priority: a.priority ?? base.priority,
  };
}
