import { Injectable } from '@nestjs/common';
import { PolicyRepository, ProblemException } from '@hotline/platform';
import { isDayKey, PolicyError } from '@hotline/shared';
import type { Principal } from '@hotline/shared';

/** The years a calendar's days are kept and listed for (`?year=` on the list). */
export const CALENDAR_YEARS = { from: 2000, to: 2100 } as const;

/**
 * The time-limit policy sets and the working-day calendar, as data an administrator keeps: a set is
 * saved as its next version (running tickets keep the version they started with), one set is the
 * deployment's, and the calendar's holidays and adjusted working days (调休) are days in a table.
 */
@Injectable()
export class PoliciesService {
  constructor(private readonly policies: PolicyRepository) {}

  async list() {
    return { items: await this.policies.list() };
  }

  async get(code: string) {
    const set = await this.policies.latest(code);
    if (!set) throw new ProblemException('not_found', `no policy set ${code}`);
    return set;
  }

  async save(raw: unknown, who: Principal) {
    // A set on a calendar the platform does not keep would stop every ticket it applies to from
    // starting (its deadlines cannot be counted): refused here, like any other unknown id.
    const calendarId = (raw as { calendarId?: unknown } | null)?.calendarId;
    if (typeof calendarId === 'string' && !(await this.policies.calendarData(calendarId)))
      throw new ProblemException('validation_failed', 'the policy set is not valid', {
        errors: [`calendarId names no calendar the platform keeps: ${JSON.stringify(calendarId)}`],
        field: 'calendarId',
      });
    try {
      return await this.policies.saveNewVersion(raw, who.userId, who);
    } catch (err) {
      if (err instanceof PolicyError)
        throw new ProblemException('validation_failed', 'the policy set is not valid', {
          errors: err.problems,
        });
      throw err;
    }
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
