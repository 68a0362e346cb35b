import { DataSource } from 'typeorm';
import { Injectable } from '@nestjs/common';
import {
  actorOf,
  CatalogRepository,
  ArchiveRepository,
  AttachmentRepository,
  KnowledgeRepository,
  evaluationOnTicket,
  ordersOnTicket,
  pageOf,
  PersonalDataAccessRepository,
  PiiCipher,
  PolicyRepository,
  ProblemException,
  TicketLedgerRepository,
} from '@hotline/platform';
import {
  maskedComplainantView,
  assistingAtIntake,
  channelDetailProblem,
  natureAtIntake,
  PERSONAL_DATA_SEARCH_LIMIT,
  PERSONAL_DATA_SEARCH_LOGGED,
  searchesPersonalData,
  ledgerStatusLabel,
} from '@hotline/shared';
import type { LedgerFilter, TicketRow } from '@hotline/platform';
import type { IntakeDisposition, Principal } from '@hotline/shared';
import type { CreateTicketDto } from './create-ticket.dto';
import { WorkflowStarter } from './workflow-starter';

/** The reason the access log gives for a search by phone. */
export const SEARCH_BY_PHONE_REASON = '按来电号码查询工单 (search by phone)';
export const SEARCH_BY_NUMBER_REASON = '按号码检索工单内容 (search of the text by a number)';

@Injectable()
export class TicketsService {
  constructor(
    private readonly ledger: TicketLedgerRepository,
    private readonly catalog: CatalogRepository,
    private readonly starter: WorkflowStarter,
    private readonly policies: PolicyRepository,
    private readonly access: PersonalDataAccessRepository,
    private readonly ds: DataSource,
    private readonly pii: PiiCipher,
    private readonly knowledge: KnowledgeRepository,
    private readonly attachments: AttachmentRepository,
    private readonly archives: ArchiveRepository,
  ) {}

  async create(dto: CreateTicketDto, who: Principal, requestKey: string | null) {
    if (!(await this.catalog.regionExists(dto.regionCode)))
      throw new ProblemException('unknown_region', `no region "${dto.regionCode}" in this city`);
    const categories = await this.catalog.categories();
    if (!categories.includes(dto.category))
      throw new ProblemException('unknown_category', `no matter catalog category "${dto.category}"`, {
        knownCategories: categories,
      });
    const detail = channelDetailProblem(dto.channel, dto.channelDetail);
    if (detail) throw new ProblemException('validation_failed', detail, { field: 'channelDetail' });
    const nature = natureAtIntake(
      dto.kind,
      dto.complaintNature,
      dto.confidential,
      dto.assistingUnitIds?.length ?? 0,
      dto.disposition?.type ?? 'dispatch',
    );
    if (!nature.ok)
      throw new ProblemException('validation_failed', nature.reason, { field: 'complaintNature' });
    const d = dto.disposition;
    const assisting = assistingAtIntake(d?.type ?? 'dispatch', dto.assistingUnitIds?.length ?? 0);
    if (assisting !== null)
      throw new ProblemException('validation_failed', assisting, { field: 'assistingUnitIds' });
    // An answer from the knowledge base: the entry must be published now; its content is the answer.
    let fromKnowledge: string | null = null;
    if (d?.type === 'direct_answer' && d.knowledgeEntryId) {
      const entry = await this.knowledge.published(d.knowledgeEntryId);
      if (!entry)
        throw new ProblemException(
          'validation_failed',
          `no published knowledge entry ${d.knowledgeEntryId}`,
          {
            field: 'disposition.knowledgeEntryId',
          },
        );
      fromKnowledge = entry.content;
    }
    const disposition = await this.dispositionOf(d, fromKnowledge);
    for (const id of dto.assistingUnitIds ?? [])
      if (!(await this.catalog.unit(id))) throw new ProblemException('unknown_unit', `no unit "${id}"`);
    const policy = await this.policies.resolveForTicket(dto);
    const {
      ticketNo,
      created,
      core: ticket,
    } = await this.ledger.create(
      {
        channel: dto.channel,
        channelDetail: dto.channelDetail ?? null,
        kind: dto.kind,
        category: dto.category,
        regionCode: dto.regionCode,
        title: dto.title,
        content: dto.content,
        address: dto.address ?? null,
        complainantName: dto.complainantName ?? null,
        complainantPhone: dto.complainantPhone ?? null,
        confidential: nature.confidential,
        complaintNature: nature.complaintNature,
        respondent: dto.respondent ?? null,
        demand: dto.demand ?? null,
        disposition,
        policy,
        assistingUnitIds: [...new Set(dto.assistingUnitIds ?? [])],
      },
      actorOf(who),
      requestKey,
    );
    // Committed: the ticket is safe. Its workflow starts right after, off this request's path.
    if (ticket.workflowStartedAt === null) this.starter.enqueue(ticket);
    return {
      ticketNo,
      registryNo: ticket.registryNo,
      // The citizen looks the ticket up with it (the operator reads it out, or it goes by SMS).
      queryCode: this.pii.queryCode(ticketNo),
      status: ticket.status,
      created,
      workflowStarted: ticket.workflowStartedAt !== null,
    };
  }

  /** How intake disposed of the appeal, as the workflow takes it (the unit that answered at intake named). */
  private async dispositionOf(
    d: CreateTicketDto['disposition'],
    fromKnowledge: string | null,
  ): Promise<IntakeDisposition> {
    switch (d?.type) {
      case 'direct_answer':
        return { type: 'direct_answer', answer: d.answer ?? fromKnowledge };
      case 'not_accepted':
        return { type: 'not_accepted', reason: d.reason!, guidance: d.guidance! };
      case 'three_way_call':
        return {
          type: 'three_way_call',
          ...(await this.answeredByUnit(d)),
          participant: filled(d.participant, 'participant', 'who spoke for the unit on the call'),
        };
      case 'special_line':
        return {
          type: 'special_line',
          ...(await this.answeredByUnit(d)),
          line: filled(d.line, 'line', 'the line the call was transferred to'),
        };
      case 'special_window':
        return {
          type: 'special_window',
          ...(await this.answeredByUnit(d)),
          window: filled(d.window, 'window', 'the window that took it in hand'),
        };
      default:
        return { type: 'dispatch' };
    }
  }

  /** The unit that answered at intake (on the call, its line, its window), and what it answered. */
  private async answeredByUnit(d: { unitId?: string; summary?: string }) {
    const unit = await this.catalog.unit(d.unitId!);
    if (!unit)
      throw new ProblemException('unknown_unit', `no unit "${d.unitId}"`, { field: 'disposition.unitId' });
    return {
      unit: { unitId: unit.id, unitName: unit.name },
      summary: filled(d.summary, 'summary', 'what the unit answered'),
    };
  }

  /**
   * The ledger; with `complainantPhone`, that caller's tickets (by the phone's blind index), each
   * ticket found written to the access log (the search links the number to them).
   */
  async list(
    who: Principal,
    filter: LedgerFilter & { limit: number; offset: number },
    request: { requestAddress: string | null; userAgent: string | null },
  ) {
    // A search that can tie a person to tickets is held to a budget and logged whatever it found,
    // every ticket it matched, not only the page answered (its `total` tells the rest).
    const personal = searchesPersonalData(filter);
    if (personal) await this.withinSearchBudget(who);
    const { items, total } = await this.ledger.list(filter);
    if (personal)
      await this.access.recordSearch(
        await this.ledger.matchingTicketNos(filter, PERSONAL_DATA_SEARCH_LOGGED),
        who,
        {
          ...request,
          reason: filter.complainantPhone !== undefined ? SEARCH_BY_PHONE_REASON : SEARCH_BY_NUMBER_REASON,
        },
      );
    return pageOf(
      {
        items: items.map((t) => ({
          ...this.view(who, t),
          statusLabel: ledgerStatusLabel(t.status, t.disposition),
        })),
        total,
      },
      filter,
    );
  }

  /** At most PERSONAL_DATA_SEARCH_LIMIT searches of personal data by one user in its window. */
  private async withinSearchBudget(who: Principal): Promise<void> {
    const { searches, windowMinutes } = PERSONAL_DATA_SEARCH_LIMIT;
    const made = await this.access.searchesSince(who.userId, new Date(Date.now() - windowMinutes * 60_000));
    if (made >= searches)
      throw new ProblemException(
        'rate_limited',
        `at most ${searches} searches by phone or by a number every ${windowMinutes} minutes; try again later`,
        {},
        { 'retry-after': String(windowMinutes * 60) },
      );
  }

  async get(who: Principal, ticketNo: string) {
    const ticket = await this.ledger.find(ticketNo);
    if (!ticket) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
    const history = await this.ledger.history(ticketNo);
    // The supervision orders on the ticket, as the ledger's copy of supervision's events has them.
    const supervisionOrders = await ordersOnTicket(this.ds, 'ticket.ticket_orders', ticketNo, null);
    return {
      ...this.view(who, ticket),
      statusLabel: ledgerStatusLabel(ticket.status, ticket.disposition),
      history,
      supervisionOrders,
      // What the evaluation decided of it (the expert's verdict, the vote, a reconsideration).
      evaluation: await evaluationOnTicket(this.ds, 'ticket.ticket_evaluation', ticketNo, null),
      // The files on the record (RULES §8), the units' too; downloaded one by one.
      attachments: await this.attachments.list(ticketNo),
      // Its entry in the yearly archive, once its year is sealed (RULES §8).
      archive: await this.archiveOf(ticketNo),
      // The operators tell it again to a caller who lost it; the other roles have no use for it.
      ...(who.role === 'operator' || who.role === 'admin' ? { queryCode: this.pii.queryCode(ticketNo) } : {}),
    };
  }

  private async archiveOf(ticketNo: string) {
    const entry = await this.archives.entryOf(ticketNo);
    if (!entry) return null;
    const { year, closedAt, digest, standingDigest, amendments } = entry;
    return { year, closedAt, digest, standingDigest, amendments };
  }

  /** Masked for every role: the plain values come only from a logged reveal. */
  /** Masked, and whether it is a real-name appeal (the complainant gave their name: prioritised). */
  private view(who: Principal, t: TicketRow): TicketRow & { realName: boolean } {
    return { ...t, ...maskedComplainantView(who, t), realName: t.complainantName !== null };
  }
}

/** A disposition's text that must say something (not only blanks): trimmed, or a 400 naming it. */
function filled(value: string | undefined, field: string, what: string): string {
  const text = (value ?? '').trim();
  if (text.length === 0)
    throw new ProblemException('validation_failed', `name ${what}`, { field: `disposition.${field}` });
  return text;
}
