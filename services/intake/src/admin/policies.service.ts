import { Injectable } from '@nestjs/common';
import { CatalogRepository, PolicyRepository, ProblemException } from '@hotline/platform';
import { isDayKey, PolicyError, validatePolicySet } from '@hotline/shared';
import type { PolicySet, Principal } from '@hotline/shared';

/** The years a calendar's days are kept and listed for (`?year=` on the list). */
export const CALENDAR_YEARS = { from: 2000, to: 2100 } as const;

/**
 * The time-limit policy sets and the working-day calendar, as data an administrator keeps: a set is
 * saved as its next version (running tickets keep the version they started with), one set is the
 * deployment's, and the calendar's holidays and adjusted working days (调休) are days in a table.
 */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly policies: PolicyRepository,
    private readonly catalog: CatalogRepository,
  ) {}

  async list() {
    return { items: await this.policies.list() };
  }

  async get(code: string) {
    const set = await this.policies.latest(code);
    if (!set) throw new ProblemException('not_found', `no policy set ${code}`);
    return set;
  }

  async save(raw: unknown, who: Principal) {
    let set: PolicySet;
    try {
      set = validatePolicySet(raw);
    } catch (err) {
      if (err instanceof PolicyError)
        throw new ProblemException('validation_failed', 'the policy set is not valid', {
          errors: err.problems,
        });
      throw err;
    }
    const unknown = await this.unknownReferences(set);
    if (unknown.length > 0)
      throw new ProblemException('validation_failed', 'the policy set is not valid', {
        errors: unknown.map((u) => u.error),
        field: unknown[0].field,
      });
    return this.policies.saveNewVersion(set, who.userId, who);
  }

  /**
   * What a set names that the platform does not keep. A set on an unknown calendar would stop every
   * ticket it applies to from starting (its deadlines cannot be counted); a rule matching a region or
   * category that does not exist would never apply, a typo passing as a rule; a code differing from a
   * kept set's only in case (`sq` beside `SQ`) would be a second set the administrator took for the first.
   */
  private async unknownReferences(set: PolicySet): Promise<{ error: string; field: string }[]> {
    const found: { error: string; field: string }[] = [];
    if (!(await this.policies.calendarData(set.calendarId)))
      found.push({
        error: `calendarId names no calendar the platform keeps: ${JSON.stringify(set.calendarId)}`,
        field: 'calendarId',
      });
    const twin = (await this.policies.list()).find(
      (s) => s.code !== set.code && s.code.toLowerCase() === set.code.toLowerCase(),
    );
    if (twin)
      found.push({
        error: `code ${JSON.stringify(set.code)} differs from the kept set ${JSON.stringify(twin.code)} only in case`,
        field: 'code',
      });
    const categories = await this.catalog.categories();
    for (const [i, rule] of set.rules.entries()) {
      const { regionCode, category } = rule.match;
      if (regionCode != null && !(await this.catalog.regionExists(regionCode)))
        found.push({
          error: `rules[${i}].match.regionCode names no region of this city: ${JSON.stringify(regionCode)}`,
          field: `rules[${i}].match.regionCode`,
        });
      if (category != null && !categories.includes(category))
        found.push({
          error: `rules[${i}].match.category names no matter catalog category: ${JSON.stringify(category)}`,
          field: `rules[${i}].match.category`,
        });
    }
    return found;
  }

  async activate(code: string, who: Principal) {
    const set = await this.get(code);
    if (!(await this.policies.calendarData(set.calendarId)))
      throw new ProblemException(
        'validation_failed',
        `policy set ${code} counts its deadlines on calendar ${set.calendarId}, which the platform does not keep`,
      );
    await this.policies.setActive(code, who.userId, who);
    return { active: code };
  }

  private async calendar(id: string): Promise<void> {
    if (!(await this.policies.calendarData(id))) throw new ProblemException('not_found', `no calendar ${id}`);
  }

  async days(id: string, year: number | undefined) {
    await this.calendar(id);
    return { items: await this.policies.days(id, year) };
  }

  async setDay(
    id: string,
    day: string,
    kind: 'holiday' | 'workday' | 'normal',
    note: string | null,
    who: Principal,
  ) {
    if (!isDayKey(day)) throw new ProblemException('validation_failed', 'day must be a real day, YYYY-MM-DD');
    // The years a calendar's days are listed for (?year=): a day outside them could never be seen.
    const year = Number(day.slice(0, 4));
    if (year < CALENDAR_YEARS.from || year > CALENDAR_YEARS.to)
      throw new ProblemException(
        'validation_failed',
        `day must be in the years ${CALENDAR_YEARS.from}–${CALENDAR_YEARS.to}`,
        { field: 'day' },
      );
    await this.calendar(id);
    await this.policies.setDay(id, day, kind === 'normal' ? null : kind, note, who.userId, who);
    return { day, kind };
  }
}
