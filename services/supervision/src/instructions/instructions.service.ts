import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  actorOf,
  isUuid,
  pageOf,
  ProblemException,
  stableUuid,
  SupervisionOrderRepository,
} from '@hotline/platform';
import type { Actor, LeaderLevel, OrderStage, Principal } from '@hotline/shared';
import { OrdersService } from '../orders/orders.service';
import { TicketFactsRepository } from '../ticket-facts.repository';
import { InstructionsRepository } from './instructions.repository';
import { KeyTasksRepository } from '../key-tasks/key-tasks.repository';
import { listedUnit, instructionOrderText } from '@hotline/shared';

/**
 * Leader instructions (领导批示, GS) on a ticket or an order: recorded by the centre; an
 * instruction on a ticket raises a supervision order (RULES §6 names instructions as a trigger)
 * in the same transaction; instructed cases count towards the unit's 100 % completion item; every
 * reading is traced (who, role, when), the unit's own included.
 */
@Injectable()
export class InstructionsService {
  constructor(
    private readonly repo: InstructionsRepository,
    private readonly orders: OrdersService,
    private readonly orderRows: SupervisionOrderRepository,
    private readonly facts: TicketFactsRepository,
    private readonly tasks: KeyTasksRepository,
  ) {}

  async record(
    who: Principal,
    cmd: {
      ticketNo?: string;
      orderId?: string;
      taskId?: string;
      leaderName: string;
      leaderLevel: LeaderLevel;
      content: string;
      issuedAt?: string;
    },
    key: string | null = null,
  ) {
    // A repeat under the caller's key is the instruction the first recorded (whatever changed since).
    const id = key ? stableUuid(`instruction:${who.userId}:${key}`) : randomUUID();
    if (key && (await this.repo.find(id))) return this.get(who, id);
    if ([cmd.ticketNo, cmd.orderId, cmd.taskId].filter(Boolean).length !== 1)
      throw new ProblemException(
        'validation_failed',
        'an instruction is on one ticket (ticketNo), order (orderId) or key task (taskId)',
      );
    const issuedAt = cmd.issuedAt ?? new Date().toISOString();
    if (Date.parse(issuedAt) > Date.now() + 60_000)
      throw new ProblemException('validation_failed', 'issuedAt is not in the future');
    // Nor before the platform's records begin: 1970 raised an order on a date no period holds.
    if (Date.parse(issuedAt) < Date.parse('2000-01-01T00:00:00+08:00'))
      throw new ProblemException('validation_failed', 'issuedAt is not before 2000', { field: 'issuedAt' });
    let unitId: string;
    let closed = false;
    if (cmd.ticketNo) {
      const f = await this.facts.find(cmd.ticketNo);
      if (!f)
        throw new ProblemException('ticket_not_found', `no ticket ${cmd.ticketNo} known to supervision`);
      if (!f.unitId)
        throw new ProblemException('action_rejected', 'the ticket has not been dispatched to a unit');
      unitId = f.unitId as string;
      closed = f.status === 'closed';
    } else if (cmd.orderId) {
      const o = isUuid(cmd.orderId) ? await this.orderRows.find(cmd.orderId) : null;
      if (!o) throw new ProblemException('order_not_found', `no order ${cmd.orderId}`);
      unitId = o.unitId;
    } else {
      // On a key task: its lead unit answers for it.
      const t = isUuid(cmd.taskId!) ? await this.tasks.find(cmd.taskId!) : null;
      if (!t) throw new ProblemException('not_found', `no key task ${cmd.taskId}`);
      unitId = t.leadUnitId;
    }
    const by = actorOf(who);
    await this.repo.transaction(async (m) => {
      // On a closed ticket the order is a post-closure one (GS), as one raised by hand there.
      const stage = closed ? 'post_closure' : 'pre_closure';
      const raisedOrderId = cmd.ticketNo
        ? await this.raiseOrder(
            { sourceKey: `leader_instruction:${id}`, unitId, ticketNo: cmd.ticketNo, by, stage },
            cmd,
            m,
          )
        : null;
      await this.repo.record(m, {
        id,
        ticketNo: cmd.ticketNo ?? null,
        orderId: cmd.orderId ?? null,
        taskId: cmd.taskId ?? null,
        unitId,
        leaderName: cmd.leaderName.trim(),
        leaderLevel: cmd.leaderLevel,
        content: cmd.content.trim(),
        issuedAt,
        raisedOrderId,
        by,
      });
    });
    return this.get(who, id);
  }

  /**
   * The ticket went to another lead unit (an approved return, the centre's coordination): each
   * instruction on it goes to the new lead, which the leader's words now concern, with an order
   * (督办) raised on it as on the first; the unit it was taken from no longer reads it, and its
   * order was withdrawn with the ticket. Runs in the projection's transaction of the dispatch.
   */
  async followLead(ticketNo: string, unitId: string, eventId: string, m: EntityManager): Promise<void> {
    for (const i of await this.repo.leftWithFormerLead(m, ticketNo, unitId)) {
      const orderId = await this.raiseOrder(
        {
          sourceKey: `leader_instruction:${i.id}:${eventId}`,
          sourceEventId: eventId,
          unitId,
          ticketNo,
          by: { kind: 'system' },
          stage: 'pre_closure',
        },
        i,
        m,
      );
      await this.repo.transferred(m, { id: i.id, ticketNo, fromUnitId: i.unitId, unitId, orderId });
    }
  }

  /** The order (督办) an instruction on a ticket raises on the unit that answers for it. */
  private raiseOrder(
    o: {
      sourceKey: string;
      sourceEventId?: string;
      unitId: string;
      ticketNo: string;
      by: Actor;
      stage: OrderStage;
    },
    words: { leaderName: string },
    m: EntityManager,
  ): Promise<string> {
    return this.orders.raise(
      {
        ...o,
        id: SupervisionOrderRepository.idFor(o.sourceKey),
        kind: 'order',
        trigger: 'leader_instruction',
        instruction: instructionOrderText(words.leaderName),
      },
      m,
    );
  }

  /** One instruction; the reading is traced. A unit's clerk reads only its unit's (another's is 404). */
  async get(who: Principal, id: string) {
    const i = isUuid(id) ? await this.repo.find(id) : null;
    if (!i || (who.role === 'unit_clerk' && i.unitId !== who.unitId))
      throw new ProblemException('not_found', `no instruction ${id}`);
    await this.repo.viewed(id, who.userId, who.role);
    return { ...i, views: await this.repo.views(id) };
  }

  /** The instructions, their words with them: each one listed is traced as read, as one opened is. */
  async list(who: Principal, q: { unitId?: string; ticketNo?: string; limit: number; offset: number }) {
    const unitId = listedUnit(who, q.unitId);
    const page = await this.repo.list({ ...q, unitId });
    await this.repo.viewedAll(
      page.items.map((i) => i.id),
      who.userId,
      who.role,
    );
    return pageOf(page, q);
  }
}
