import type { DataSource } from 'typeorm';
import { calendarSnapshot, resolvePolicy, validatePolicySet, WorkingCalendar } from '@hotline/shared';
import type { AppealKind, CalendarData, Channel, PolicySet, ResolvedPolicy } from '@hotline/shared';
import { nameActor, writeAs } from './admin-actor';
import type { AdminActor } from './admin-actor';

export const ACTIVE_POLICY_SET_KEY = 'active_policy_set';

export interface CalendarDayRow {
  day: string;
  kind: 'holiday' | 'workday';
  source: string;
  note: string | null;
}

/**
 * SLA policy sets and working-day calendars, as data an administrator edits. Policy sets are
 * versioned and never changed in place: an edit is a new version, and a ticket keeps the version
 * it started with. The deployment's active set is a setting.
 */
export class PolicyRepository {
  private calendarCache = new Map<string, { at: number; calendar: WorkingCalendar }>();
  private snapshotCache = new Map<string, { at: number; data: CalendarData }>();
  private activeCache: { at: number; set: PolicySet } | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly cacheMs = 30_000,
  ) {}

  async activeCode(): Promise<string> {
    const rows = await this.ds.query(`SELECT value FROM policy.settings WHERE key = $1`, [
      ACTIVE_POLICY_SET_KEY,
    ]);
    if (rows.length === 0) throw new Error('no active policy set: run the seed');
    return rows[0].value;
  }

  async setActive(code: string, by: string, actor?: AdminActor): Promise<void> {
    this.activeCache = null;
    await writeAs(
      this.ds,
      actor,
      `INSERT INTO policy.settings (key, value, updated_by) VALUES ($1,$2,$3)
       ON CONFLICT (key) DO UPDATE SET value = $2, updated_by = $3, updated_at = now()`,
      [ACTIVE_POLICY_SET_KEY, code, by],
    );
  }

  async latest(code: string): Promise<PolicySet | null> {
    const rows = await this.ds.query(
      `SELECT body FROM policy.policy_sets WHERE code = $1 ORDER BY version DESC LIMIT 1`,
      [code],
    );
    return rows.length ? validatePolicySet(rows[0].body) : null;
  }

  async list(): Promise<{ code: string; version: number; name: string; active: boolean }[]> {
    const active = await this.activeCode().catch(() => null);
    const rows = await this.ds.query(
      `SELECT DISTINCT ON (code) code, version, body->>'name' AS name FROM policy.policy_sets ORDER BY code, version DESC`,
    );
    return rows.map((r: { code: string; version: number; name: string }) => ({
      ...r,
      active: r.code === active,
    }));
  }

  /** Saves an edited set as its next version. */
  async saveNewVersion(raw: unknown, by: string, actor?: AdminActor): Promise<PolicySet> {
    const set = validatePolicySet(raw);
    this.activeCache = null;
    return this.ds.transaction(async (m) => {
      await nameActor(m, actor);
      // One save of a code at a time: versions saved at once each get the next number (two read the
      // same max and the second failed on the primary key, a 500).
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('policy-set:' || $1))`, [set.code]);
      const [{ next }] = await m.query(
        `SELECT coalesce(max(version), 0) + 1 AS next FROM policy.policy_sets WHERE code = $1`,
        [set.code],
      );
      const saved: PolicySet = { ...set, version: Number(next) };
      await m.query(`INSERT INTO policy.policy_sets (code, version, body, created_by) VALUES ($1,$2,$3,$4)`, [
        saved.code,
        saved.version,
        saved,
        by,
      ]);
      return saved;
    });
  }

  /** The limits a new ticket starts with, from the active set. */
  async resolveForTicket(ticket: {
    regionCode: string;
    category: string;
    kind: AppealKind;
    channel: Channel;
  }): Promise<ResolvedPolicy> {
    return resolvePolicy(await this.activeSet(), ticket);
  }

  /**
   * The active set's latest version, cached briefly for intake's hot path. This process's own
   * switches and edits take effect at once; another instance's within `cacheMs`.
   */
  private async activeSet(): Promise<PolicySet> {
    const hit = this.activeCache;
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.set;
    const code = await this.activeCode();
    const set = await this.latest(code);
    if (!set) throw new Error(`active policy set ${code} has no version`);
    this.activeCache = { at: Date.now(), set };
    return set;
  }

  async calendarData(id: string): Promise<CalendarData | null> {
    const cal = await this.ds.query(
      `SELECT id, name, working_hours AS "workingHours" FROM policy.calendars WHERE id = $1`,
      [id],
    );
    if (cal.length === 0) return null;
    const days: CalendarDayRow[] = await this.days(id);
    return {
      id,
      name: cal[0].name,
      workingHours: cal[0].workingHours,
      holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
      adjustedWorkdays: days.filter((d) => d.kind === 'workday').map((d) => d.day),
    };
  }

  /** The part of the calendar a new ticket carries (this year and the next), cached like the calendar. */
  async calendarSnapshot(id: string, at: Date): Promise<CalendarData> {
    let hit = this.snapshotCache.get(id);
    if (!hit || Date.now() - hit.at >= this.cacheMs) {
      const data = await this.calendarData(id);
      if (!data) throw new Error(`no calendar ${id}`);
      hit = { at: Date.now(), data };
      this.snapshotCache.set(id, hit);
    }
    return calendarSnapshot(hit.data, at);
  }

  /** The calendar, cached briefly: administrators' edits apply within `cacheMs`. */
  async calendar(id: string): Promise<WorkingCalendar> {
    const hit = this.calendarCache.get(id);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.calendar;
    const data = await this.calendarData(id);
    if (!data) throw new Error(`no calendar ${id}`);
    const calendar = new WorkingCalendar(data);
    this.calendarCache.set(id, { at: Date.now(), calendar });
    return calendar;
  }

  async days(id: string, year?: number): Promise<CalendarDayRow[]> {
    const params: unknown[] = [id];
    let clause = '';
    if (year) clause = ` AND extract(year FROM day) = $${params.push(year)}`;
    return this.ds.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, source, note FROM policy.calendar_days
       WHERE calendar_id = $1${clause} ORDER BY day`,
      params,
    );
  }

  /** Sets (or with kind null, clears) one day's override; validated by building the calendar. */
  async setDay(
    id: string,
    day: string,
    kind: 'holiday' | 'workday' | null,
    note: string | null,
    by: string,
    actor?: AdminActor,
  ) {
    await this.ds.transaction(async (m) => {
      await nameActor(m, actor);
      if (kind === null)
        await m.query(`DELETE FROM policy.calendar_days WHERE calendar_id = $1 AND day = $2`, [id, day]);
      else
        await m.query(
          `INSERT INTO policy.calendar_days (calendar_id, day, kind, source, note) VALUES ($1,$2,$3,$4,$5)
           ON CONFLICT (calendar_id, day) DO UPDATE SET kind = $3, source = $4, note = $5, updated_at = now()`,
          [id, day, kind, `admin:${by}`, note],
        );
    });
    this.calendarCache.delete(id);
    this.snapshotCache.delete(id);
  }
}
