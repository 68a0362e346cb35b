/**
 * ReconsiderationWorkflow: a complainant's request to reconsider a complaint decision (复查, GS),
 * read as its rule (libs/shared/src/evaluation/reconsideration.ts): the centre decides within the
 * policy's limit (GS: 10 working days), reminded at the policy's fractions of the time allowed and
 * marked overdue at the limit; the decision arrives as an update and is taken even when late.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { reconsiderationClock, refuseDecision, WorkingCalendar } from '@hotline/shared';
import type { CalendarData, Duration, ReconsiderationDecision } from '@hotline/shared';
import type { ReconsiderationActivities } from './reconsideration.activities';

export interface ReconsiderationInput {
  ticketNo: string;
  requestedAt: string;
  limit: Duration;
  reminderFractions: number[];
  calendar: CalendarData;
}

export interface ReconsiderationState {
  ticketNo: string;
  decideBy: string;
  remindersSent: number;
  overdue: boolean;
  decided: boolean;
  late: boolean | null;
}

export const decideReconsideration = defineUpdate<ReconsiderationState, [ReconsiderationDecision]>(
  'decideReconsideration',
);
export const reconsiderationQuery = defineQuery<ReconsiderationState>('reconsideration');

const { remindReconsideration, markReconsiderationOverdue, recordReconsiderationDecision } =
  proxyActivities<ReconsiderationActivities>({
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '1 second',
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: ['invalid_data'],
    },
  });

export async function ReconsiderationWorkflow(input: ReconsiderationInput): Promise<ReconsiderationState> {
  const { decideBy, remindAt } = reconsiderationClock(
    Date.parse(input.requestedAt),
    input.limit,
    input.reminderFractions,
    new WorkingCalendar(input.calendar),
  );
  const s: ReconsiderationState = {
    ticketNo: input.ticketNo,
    decideBy: new Date(decideBy).toISOString(),
    remindersSent: 0,
    overdue: false,
    decided: false,
    late: null,
  };
  let deciding = false;
  setHandler(reconsiderationQuery, () => s);
  setHandler(
    decideReconsideration,
    async (cmd) => {
      deciding = true;
      const late = Date.now() > decideBy;
      try {
        await recordReconsiderationDecision({
          ticketNo: input.ticketNo,
          ...cmd,
          decision: cmd.decision.trim(),
          late,
        });
      } catch (err) {
        deciding = false;
        throw err;
      }
      s.decided = true;
      s.late = late;
      return s;
    },
    {
      validator: (cmd) => {
        const r = refuseDecision(cmd, s.decided || deciding);
        if (r) throw ApplicationFailure.create({ type: r.code, message: r.message, nonRetryable: true });
      },
    },
  );

  // Each reminder at its fraction, then the overdue mark at the limit; the decision ends the wait.
  for (const [i, at] of remindAt.entries()) {
    if (await condition(() => deciding, Math.max(1, at - Date.now()))) break;
    await remindReconsideration({ ticketNo: input.ticketNo, n: i + 1, dueAt: s.decideBy });
    s.remindersSent = i + 1;
  }
  if (!deciding && !(await condition(() => deciding, Math.max(1, decideBy - Date.now())))) {
    await markReconsiderationOverdue({ ticketNo: input.ticketNo, dueAt: s.decideBy });
    s.overdue = true;
  }
  await condition(() => s.decided);
  await condition(allHandlersFinished);
  return s;
}
