import { ApplicationFailure } from '@temporalio/common';
import { addDuration, selectCatalogEntry } from '@hotline/shared';
import type { AnyTicketEvent, Duration, WorkingCalendar } from '@hotline/shared';
import type { CatalogRepository, PendingEvent, TicketLedgerRepository } from '@hotline/platform';

export interface DispatchInput {
  eventId: string;
  ticketNo: string;
  category: string;
  regionCode: string;
  /** The limits that start at dispatch, from the ticket's policy. */
  limits: { sign: Duration; complete: Duration; returnWindow: Duration };
  calendarId: string;
  /** The workflow's time of the dispatch: deadlines count from it. */
  at: string;
  /** Set when the centre dispatches by hand; otherwise the matter catalog decides. */
  unitId?: string;
}

export interface DispatchResult {
  unitId: string;
  unitName: string;
  dispatchedAt: string;
  signDueAt: string;
  completeDueAt: string;
  returnWindowEndsAt: string;
}

export interface TicketActivityDeps {
  ledger: TicketLedgerRepository;
  catalog: CatalogRepository;
  /** The working-day calendar by id (holidays and 调休 as the administrator keeps them). */
  calendar: (id: string) => Promise<WorkingCalendar>;
}

/**
 * The ticket workflow's activities. Each is idempotent: the workflow chooses every event id, and
 * the ledger records an id once, so a retried activity changes nothing twice. Deadlines are
 * computed here, over the calendar, and handed to the workflow as absolute times.
 */
export function createTicketActivities(deps: TicketActivityDeps) {
  const unitOrFail = async (unitId: string) => {
    const unit = await deps.catalog.unit(unitId);
    if (!unit)
      throw ApplicationFailure.create({
        type: 'unknown_unit',
        message: `no unit ${unitId}`,
        nonRetryable: true,
      });
    return unit;
  };
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
      const unit = await unitOrFail(unitId);
      const at = new Date(input.at);
      const cal = await deps.calendar(input.calendarId);
      const recorded = await deps.ledger.append({
        id: input.eventId,
        type: 'ticket.dispatched',
        ticketNo: input.ticketNo,
        occurredAt: at.toISOString(),
        actor: { kind: 'system' },
        data: {
          unitId: unit.id,
          unitName: unit.name,
          catalogEntryId: entry?.id ?? null,
          signDueAt: addDuration(at, input.limits.sign, cal).toISOString(),
          completeDueAt: addDuration(at, input.limits.complete, cal).toISOString(),
          returnWindowEndsAt: addDuration(at, input.limits.returnWindow, cal).toISOString(),
        },
      });
      if (recorded.type !== 'ticket.dispatched') throw new Error(`event ${input.eventId} is not a dispatch`);
      // A retry returns what was recorded the first time, so the workflow sees one set of deadlines.
      return {
        unitId: recorded.data.unitId,
        unitName: recorded.data.unitName,
        dispatchedAt: recorded.occurredAt,
        signDueAt: recorded.data.signDueAt,
        completeDueAt: recorded.data.completeDueAt,
        returnWindowEndsAt: recorded.data.returnWindowEndsAt,
      };
    },

    /** An assisting unit (协办单位) joins: recorded with its own sign deadline. */
    async dispatchAssistingUnit(input: {
      eventId: string;
      ticketNo: string;
      unitId: string;
      sign: Duration;
      calendarId: string;
      at: string;
    }): Promise<{ unitId: string; dispatchedAt: string; signDueAt: string }> {
      const unit = await unitOrFail(input.unitId);
      const at = new Date(input.at);
      const recorded = await deps.ledger.append({
        id: input.eventId,
        type: 'ticket.assistance_dispatched',
        ticketNo: input.ticketNo,
        occurredAt: at.toISOString(),
        actor: { kind: 'system' },
        data: {
          unitId: unit.id,
          unitName: unit.name,
          signDueAt: addDuration(at, input.sign, await deps.calendar(input.calendarId)).toISOString(),
        },
      });
      if (recorded.type !== 'ticket.assistance_dispatched')
        throw new Error(`event ${input.eventId} is not an assistance`);
      return {
        unitId: recorded.data.unitId,
        dispatchedAt: recorded.occurredAt,
        signDueAt: recorded.data.signDueAt,
      };
    },

    /** A deadline `duration` after `from`, on the calendar (working days and hours skip holidays). */
    async computeDeadline(input: { from: string; duration: Duration; calendarId: string }): Promise<string> {
      return addDuration(
        new Date(input.from),
        input.duration,
        await deps.calendar(input.calendarId),
      ).toISOString();
    },

    async recordEvent(event: PendingEvent): Promise<AnyTicketEvent> {
      return deps.ledger.append(event);
    },
  };
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;
