import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { pageOf, ProblemException } from '@hotline/platform';
import {
  assessUnit,
  MIN_RANKING_SAMPLE,
  monthKeyOf,
  parseAssessmentPeriod,
  rankUnits,
} from '@hotline/shared';
import type { AssessmentPeriod, BonusKind, Principal } from '@hotline/shared';
import { TicketFactsRepository } from '../ticket-facts.repository';
import { AssessmentRepository } from './assessment.repository';

/**
 * The unit assessment (考核, RULES §7, PA §4) for a month, quarter, half-year or year: the pure rule
 * (libs/shared/src/supervision/assessment.ts) over supervision's facts, every deduction naming its
 * tickets, and the published ranking with its minimum sample.
 */
@Injectable()
export class AssessmentService {
  constructor(
    private readonly repo: AssessmentRepository,
    private readonly facts: TicketFactsRepository,
  ) {}

  private period(key: string | undefined): AssessmentPeriod {
    const p = parseAssessmentPeriod(key ?? monthKeyOf(Date.now()));
    if (!p) throw new ProblemException('validation_failed', 'period is YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY');
    return p;
  }

  async ranking(periodKey?: string) {
    const period = this.period(periodKey);
    const units = await this.repo.units();
    const facts = await this.repo.facts(
      period.key,
      period.from,
      period.to,
      units.map((u) => u.id),
    );
    const assessments = facts.map(assessUnit);
    const entered = await this.repo.manualEntered(period.key, period.from, period.to);
    const byUnit = new Map(assessments.map((a) => [a.unitId, a]));
    const names = new Map(units.map((u) => [u.id, u.name]));
    return {
      period,
      minSample: MIN_RANKING_SAMPLE,
      rule: `按期应办结工单不少于${MIN_RANKING_SAMPLE}件的单位参与排名；不足者列出得分但不排名。`,
      items: rankUnits(assessments).map((r) => ({
        ...r,
        unitName: names.get(r.unitId) ?? r.unitId,
        manualEntered: entered.has(r.unitId),
        assessment: byUnit.get(r.unitId)!,
      })),
    };
  }

  /** One unit's assessment; a unit's clerk reads its own unit's only (another unit is 404). */
  async unit(unitId: string, periodKey?: string, who?: Principal) {
    const period = this.period(periodKey);
    if (who?.role === 'unit_clerk' && who.unitId !== unitId)
      throw new ProblemException('not_found', `no unit ${unitId}`);
    if (!(await this.facts.unitExists(unitId))) throw new ProblemException('not_found', `no unit ${unitId}`);
    const [facts] = await this.repo.facts(period.key, period.from, period.to, [unitId]);
    return { period, facts, assessment: assessUnit(facts) };
  }

  async setManual(
    who: Principal,
    body: { period: string; unitId: string; leadership: number; rules: number },
  ) {
    const period = this.period(body.period);
    if (!(await this.facts.unitExists(body.unitId)))
      throw new ProblemException('unknown_unit', `no unit ${body.unitId}`);
    await this.repo.setManual(period.key, body.unitId, body.leadership, body.rules, who.userId);
    return this.unit(body.unitId, period.key);
  }

  async addBonus(
    who: Principal,
    b: { unitId: string; kind: BonusKind; ref: string; occurredOn: string; note: string },
  ) {
    if (!(await this.facts.unitExists(b.unitId)))
      throw new ProblemException('unknown_unit', `no unit ${b.unitId}`);
    if (
      !parseAssessmentPeriod(b.occurredOn.slice(0, 7)) ||
      Number.isNaN(Date.parse(`${b.occurredOn}T00:00:00Z`))
    )
      throw new ProblemException('validation_failed', 'occurredOn is a date YYYY-MM-DD');
    // An event that has happened: a bonus is not awarded ahead (it would count in a future period).
    if (Date.parse(`${b.occurredOn}T00:00:00+08:00`) > Date.now())
      throw new ProblemException('validation_failed', 'occurredOn is not in the future', {
        field: 'occurredOn',
      });
    // The event's name as it is meant: `审计加分-A ` is the event `审计加分-A`.
    const ref = b.ref.trim().replace(/\s+/g, ' ');
    if (!ref) throw new ProblemException('validation_failed', 'ref names the event', { field: 'ref' });
    const created = await this.repo.addBonus({ id: randomUUID(), ...b, ref, by: who.userId });
    if (!created)
      throw new ProblemException(
        'conflict',
        `a ${b.kind} bonus for ${ref} is already recorded for ${b.unitId}`,
      );
    const recorded = await this.repo.bonus(created);
    if (!recorded) throw new ProblemException('not_found', `no bonus ${created}`);
    return recorded;
  }

  async bonuses(q: { unitId?: string; limit: number; offset: number }) {
    return pageOf(await this.repo.bonuses(q), q);
  }

  async addAttitudeComplaint(who: Principal, ticketNo: string, note: string) {
    const f = await this.facts.find(ticketNo);
    if (!f) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo} known to supervision`);
    if (!f.unitId)
      throw new ProblemException('action_rejected', 'the ticket has not been dispatched to a unit');
    const created = await this.repo.addAttitudeComplaint({
      ticketNo,
      unitId: f.unitId as string,
      note,
      by: who.userId,
    });
    if (!created)
      throw new ProblemException('conflict', `an attitude complaint is already recorded for ${ticketNo}`);
    return created;
  }

  /**
   * Publishes the period's ranking (quarterly in PA; any period may be): the scores and ranks as
   * they stand are kept, and later facts do not change what was published.
   */
  async publish(who: Principal, periodKey: string) {
    const period = this.period(periodKey);
    if (Date.parse(period.to) > Date.now())
      throw new ProblemException('action_rejected', `the period ${period.key} has not ended yet`);
    const ranking = await this.ranking(period.key);
    if (!(await this.repo.publish(period.key, ranking, who.userId)))
      throw new ProblemException('conflict', `the ranking of ${period.key} is already published`);
    return this.publication(period.key);
  }

  /**
   * A published ranking. A unit's clerk reads every unit's place and scores, and the tickets behind
   * its own unit's deductions only: another unit's tickets are not theirs to know.
   */
  async publication(periodKey: string, who?: Principal) {
    const period = this.period(periodKey);
    const p = await this.repo.publication(period.key);
    if (!p) throw new ProblemException('not_found', `the ranking of ${period.key} is not published`);
    if (who?.role !== 'unit_clerk') return p;
    const ranking = p.ranking as Awaited<ReturnType<AssessmentService['ranking']>>;
    return {
      ...p,
      ranking: { ...ranking, items: ranking.items.map((u) => ticketsOfOwnOnly(u, who.unitId)) },
    };
  }
}

export type PublishedUnit = Awaited<ReturnType<AssessmentService['ranking']>>['items'][number];

/** A unit's row of a published ranking with the tickets behind its deductions, or without them. */
export function ticketsOfOwnOnly(u: PublishedUnit, ownUnitId: string | null): PublishedUnit {
  if (u.unitId === ownUnitId) return u;
  return {
    ...u,
    assessment: {
      ...u.assessment,
      items: u.assessment.items.map((item) => ({
        ...item,
        deductions: item.deductions.map((d) => ({ ...d, tickets: [] })),
      })),
    },
  };
}
