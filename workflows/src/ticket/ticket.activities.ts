import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { EventSchemaError } from '@hotline/shared';
import type {
  AlertRepository,
  PendingEvent,
  TicketLedgerRepository,
  TransitionPlace,
} from '@hotline/platform';

export interface TicketActivityDeps {
  ledger: TicketLedgerRepository;
  alerts: Pick<AlertRepository, 'raise'>;
}

/** Postgres SQLSTATE classes that no retry can mend: data exceptions (22) and integrity violations (23). */
const PERMANENT_SQLSTATE = /^(22|23)/;
/** From this attempt on, a failing activity raises an alert (and keeps retrying if it may). */
export const ALERT_FROM_ATTEMPT = 5;

/**
 * The ticket workflow's only activity: record one transition (its events, each carrying the
 * state the workflow decided) in the ledger, with the outbox rows that carry them to Kafka, in
 * one transaction. Run as a local activity: no schedule/start/complete events in the history.
 * Idempotent: the workflow chooses every event id and the ledger records an id once.
 * With the transition's place in its run, the ledger also voids what an attempt the Temporal server
 * dropped had written there (`ticket.record_corrected`), and says how many (for the log and tests;
 * the workflow does not act on it).
 *
 * A failure no retry can mend (bad data for Postgres, an event off its schema) is non-retryable,
 * so it can never wedge the ticket; a failure that keeps coming (the database away) raises an
 * alert from the fifth attempt on, so nobody learns of it only from a stuck ticket.
 */
export function createTicketActivities(deps: TicketActivityDeps) {
  return {
    async recordTransition(input: {
      ticketNo: string;
      events: PendingEvent[];
      place?: TransitionPlace;
    }): Promise<RecordTransitionResult> {
      try {
        // Only counts go back: the result of a local activity is kept in the workflow's history
        // (a marker), and the workflow needs nothing of the recorded events.
        if (!input.place) return { recorded: (await deps.ledger.appendAll(input.events)).length, voided: 0 };
        const r = await deps.ledger.recordTransition(input.events, input.place, attemptDeadline());
        return { recorded: r.events.length, voided: r.voided };
      } catch (err) {
        throw await classify(err, input.ticketNo, deps);
      }
    },
  };
}

async function classify(err: unknown, ticketNo: string, deps: TicketActivityDeps): Promise<unknown> {
  const sqlstate = (err as { code?: unknown })?.code;
  if (err instanceof EventSchemaError || (typeof sqlstate === 'string' && PERMANENT_SQLSTATE.test(sqlstate)))
    return ApplicationFailure.create({
      type: 'invalid_data',
      message: `ticket ${ticketNo}: the transition cannot be recorded: ${(err as Error).message}`,
      nonRetryable: true,
    });
  const attempt = currentAttempt();
  if (attempt >= ALERT_FROM_ATTEMPT)
    await deps.alerts
      .raise({
        kind: 'activity.failing',
        subject: `ticket ${ticketNo}`,
        detail: `recordTransition failed ${attempt} times; last error: ${(err as Error).message}`,
        attempt,
      })
      .catch(() => undefined); // the alert store may be what is down; the log still has it
  return err;
}

/**
 * When the current attempt times out at the latest (ms since the epoch): its start-to-close limit
 * counted from now, the activity's start (never before the real timeout, so a live attempt is never
 * refused); null outside an activity.
 */
function attemptDeadline(): number | null {
  try {
    const limit = Context.current().info.startToCloseTimeoutMs;
    return limit ? Date.now() + limit : null;
  } catch {
    return null; // called outside an activity (a unit test)
  }
}

function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1; // called outside an activity (a unit test)
  }
}

/** A transition's record: its events, and the lost attempt's events it voided (almost always 0). */
export interface RecordTransitionResult {
  recorded: number;
  voided: number;
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;
