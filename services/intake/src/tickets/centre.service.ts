import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import {
  actOnTicket,
  actorOf,
  CatalogRepository,
  executeTicketUpdate,
  PolicyRepository,
  ProblemException,
  TEMPORAL_CLIENT,
  TicketLedgerRepository,
} from '@hotline/platform';
import { natureCoordinationProblem, resolvePolicy } from '@hotline/shared';
import type {
  CoordinationLevel,
  Duration,
  Principal,
  TicketUpdateName,
  TicketUpdates,
  UnitActionResult,
  UnitRef,
} from '@hotline/shared';

/**
 * The hotline centre's actions on a ticket, each a Temporal update to its workflow: dispatch by
 * hand (特事特办), the direct answer, reply review (答复认定), return and extension decisions,
 * coordination (协调: the centre designates the lead unit), and
 * an administrator's re-applied policy. Units named here are resolved (and must exist) first, so
 * the workflow never looks anything up.
 */
@Injectable()
export class CentreService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly ledger: TicketLedgerRepository,
    private readonly catalog: CatalogRepository,
    private readonly policies: PolicyRepository,
  ) {}

  /**
   * The centre names the unit; the assisting units are those it names, or, where it names none,
   * those the operator named at registration (the ledger keeps them until the ticket is on a desk).
   */
  async dispatchManually(
    ticketNo: string,
    unitId: string,
    assistingUnitIds: string[] | null,
    who: Principal,
    key: string | null = null,
  ) {
    const unit = await this.unitRef(unitId);
    const named = assistingUnitIds ?? (await this.ledger.findCore(ticketNo))?.assistingUnitIds ?? [];
    const assisting = await Promise.all([...new Set(named)].map((id) => this.unitRef(id)));
    return this.act(ticketNo, 'dispatch', { unit, assisting, actor: actorOf(who) }, key);
  }

  async answer(ticketNo: string, answer: string, who: Principal, key: string | null) {
    return this.act(ticketNo, 'answer', { answer, actor: actorOf(who) }, key);
  }

  async notifyAcceptance(ticketNo: string, means: string, note: string, who: Principal, key: string | null) {
    return this.act(ticketNo, 'notifyAcceptance', { means, note, actor: actorOf(who) }, key);
  }

  async review(ticketNo: string, approve: boolean, note: string, who: Principal, key: string | null) {
    return this.act(ticketNo, 'reviewReply', { approve, note, actor: actorOf(who) }, key);
  }

  async decideReturn(
    ticketNo: string,
    body: { approve: boolean; redispatchToUnitId?: string; note?: string },
    who: Principal,
    key: string | null,
  ): Promise<UnitActionResult> {
    const redispatchTo = body.redispatchToUnitId ? await this.unitRef(body.redispatchToUnitId) : null;
    if (body.approve && redispatchTo) {
      const core = await this.ledger.findCore(ticketNo);
      // Approved, the return sends the ticket on to the right unit, not back to the one returning
      // it (refusing the return keeps it there, its clocks running as they were).
      if (core?.status === 'returned' && core.unitId === redispatchTo.unitId)
        throw new ProblemException(
          'validation_failed',
          `unit ${redispatchTo.unitId} returned ticket ${ticketNo}: an approved return goes to another unit (to keep it there, refuse the return)`,
          { field: 'redispatchToUnitId' },
        );
      // A complaint about officials is re-dispatched to the body for its nature only.
      const nature = core?.complaintNature ?? null;
      const natureBody = nature === null ? null : await this.catalog.natureBody(nature);
      const problem = natureCoordinationProblem(nature, natureBody?.id ?? null, redispatchTo.unitId, 0);
      if (problem) throw new ProblemException('validation_failed', problem, { field: 'redispatchToUnitId' });
    }
    return this.act(
      ticketNo,
      'decideReturn',
      { approve: body.approve, redispatchTo, note: body.note ?? '', actor: actorOf(who) },
      key,
    );
  }

  /** Coordination (协调): the centre designates the lead unit, and any assisting units, with its reason. */
  async coordinate(
    ticketNo: string,
    body: { unitId: string; assistingUnitIds?: string[]; reason: string; level?: CoordinationLevel },
    who: Principal,
    key: string | null,
  ): Promise<UnitActionResult> {
    const level = body.level ?? 'centre';
    // The leadership group's decision is recorded by supervision staff, not by the reply reviewers.
    if (level === 'leadership_group' && who.role !== 'supervisor' && who.role !== 'admin')
      throw new ProblemException(
        'forbidden',
        "the leadership group's designation is recorded by a supervisor or an administrator",
        { field: 'level' },
      );
    const unit = await this.unitRef(body.unitId);
    const assisting = await Promise.all(
      [...new Set(body.assistingUnitIds ?? [])].map((id) => this.unitRef(id)),
    );
    // A complaint about officials stays with the body for its nature (an integrity report alone).
    const nature = (await this.ledger.findCore(ticketNo))?.complaintNature ?? null;
    const natureBody = nature === null ? null : await this.catalog.natureBody(nature);
    const problem = natureCoordinationProblem(nature, natureBody?.id ?? null, unit.unitId, assisting.length);
    if (problem)
      throw new ProblemException('validation_failed', problem, {
        field: natureBody && unit.unitId !== natureBody.id ? 'unitId' : 'assistingUnitIds',
      });
    return this.act(
      ticketNo,
      'coordinate',
      { unit, assisting, reason: body.reason, level, actor: actorOf(who) },
      key,
    );
  }

  async decideExtension(
    ticketNo: string,
    body: { approve: boolean; granted?: Duration; note?: string },
    who: Principal,
    key: string | null,
  ): Promise<UnitActionResult> {
    return this.act(
      ticketNo,
      'decideExtension',
      { approve: body.approve, granted: body.granted ?? null, note: body.note ?? '', actor: actorOf(who) },
      key,
    );
  }

  /** Applies the active policy set (and its calendar as it stands now) to a running ticket. */
  async reapplyPolicy(ticketNo: string, who: Principal): Promise<UnitActionResult> {
    const ticket = await this.ledger.findCore(ticketNo);
    if (!ticket) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
    const set = await this.policies.latest(await this.policies.activeCode());
    if (!set) throw new ProblemException('not_found', 'no active policy set');
    const policy = resolvePolicy(set, ticket);
    const calendar = await this.policies.calendarSnapshot(policy.calendarId, new Date());
    return executeTicketUpdate(
      this.temporal,
      ticketNo,
      'reapplyPolicy',
      { policy, calendar, actor: actorOf(who) },
      null,
    );
  }

  private act<K extends TicketUpdateName>(
    ticketNo: string,
    name: K,
    command: TicketUpdates[K],
    key: string | null,
  ) {
    return actOnTicket(this.temporal, this.ledger, ticketNo, name, command, key);
  }

  private async unitRef(unitId: string): Promise<UnitRef> {
    const unit = await this.catalog.unit(unitId);
    if (!unit) throw new ProblemException('unknown_unit', `no unit "${unitId}"`);
    return { unitId: unit.id, unitName: unit.name };
  }
}
