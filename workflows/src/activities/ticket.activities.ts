import { ApplicationFailure } from '@temporalio/common';
import { selectCatalogEntry } from '@hotline/shared';
import type { AnyTicketEvent } from '@hotline/shared';
import type { CatalogRepository, PendingEvent, TicketLedgerRepository } from '@hotline/platform';

export interface DispatchInput {
  eventId: string;
  ticketNo: string;
  category: string;
  regionCode: string;
  signLimitMinutes: number;
  /** Set when the centre dispatches by hand; otherwise the matter catalog decides. */
  unitId?: string;
}

export interface DispatchResult {
  unitId: string;
  unitName: string;
  signDueAt: string;
}

export interface TicketActivityDeps {
  ledger: TicketLedgerRepository;
  catalog: CatalogRepository;
  now?: () => Date;
}

/**
 * The ticket workflow's activities. Each is idempotent: the workflow chooses every event id, and
 * the ledger records an id once, so a retried activity changes nothing twice.
 */
export function createTicketActivities(deps: TicketActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    async dispatchTicket(input: DispatchInput): Promise<DispatchResult> {
      const entry = input.unitId
        ? null
        : selectCatalogEntry(await deps.catalog.entriesFor(input.category), input);
      if (!input.unitId && !entry)
        throw ApplicationFailure.create({
          type: 'no_route',
          message: `no matter catalog entry for category ${input.category} in region ${input.regionCode}`,
          nonRetryable: true,
        });
      const unitId = input.unitId ?? entry!.unitId;
      const unit = await deps.catalog.unit(unitId);
      if (!unit)
        throw ApplicationFailure.create({
          type: 'unknown_unit',
          message: `no unit ${unitId}`,
          nonRetryable: true,
        });
      const at = now();
      const signDueAt = new Date(at.getTime() + input.signLimitMinutes * 60_000).toISOString();
      const recorded = await deps.ledger.append({
        id: input.eventId,
        type: 'ticket.dispatched',
        ticketNo: input.ticketNo,
        occurredAt: at.toISOString(),
        actor: { kind: 'system' },
        data: { unitId: unit.id, unitName: unit.name, catalogEntryId: entry?.id ?? null, signDueAt },
      });
      if (recorded.type !== 'ticket.dispatched') throw new Error(`event ${input.eventId} is not a dispatch`);
      return {
        unitId: recorded.data.unitId,
        unitName: recorded.data.unitName,
        signDueAt: recorded.data.signDueAt,
      };
    },

    async recordEvent(event: PendingEvent): Promise<AnyTicketEvent> {
      return deps.ledger.append(event);
    },
  };
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;
