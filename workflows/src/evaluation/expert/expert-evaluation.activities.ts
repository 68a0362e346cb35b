import { ApplicationFailure } from '@temporalio/common';
import { EventSchemaError } from '@hotline/shared';
import type { ExpertWithdrawalReason, Verdict } from '@hotline/shared';
import { ExpertCaseWithdrawnError } from '@hotline/platform';
import type { ExpertRepository, SmsSender } from '@hotline/platform';

export interface ExpertActivityDeps {
  experts: Pick<
    ExpertRepository,
    'assign' | 'markReminded' | 'withdraw' | 'recordVerdict' | 'heldWhenWithdrawn'
  >;
  sms: Pick<SmsSender, 'sendOnce'>;
}

/** What the platform texts an expert evaluator (its purpose is the template's name). */
type EvaluatorSms =
  'evaluator_assigned' | 'evaluator_reminder' | 'evaluator_withdrawn' | 'evaluator_case_withdrawn';

/** Chinese dates in the evaluator's SMS: `11月25日18:00` (China time). */
export function zhDeadline(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日${hh}:${mm}`;
}

/**
 * The expert evaluation's effects: each is idempotent (a retried activity records its event once
 * and sends its SMS once: the SMS key names the case, the attempt and the purpose).
 */
export function createExpertActivities(deps: ExpertActivityDeps) {
  /** One SMS to the evaluator of a case's attempt, its key naming what it says (sent once). */
  const tell = async (
    to: string | null,
    about: { ticketNo: string; attempt: number },
    template: EvaluatorSms,
    keyed: string,
    params: Record<string, string> = {},
  ) => {
    if (!to) return;
    await deps.sms.sendOnce({
      key: `expert:${about.ticketNo}:${about.attempt}:${keyed}`,
      purpose: template,
      ticketNo: about.ticketNo,
      to,
      template,
      params: { ticketNo: about.ticketNo, ...params },
    });
  };
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ExpertCaseWithdrawnError)
        throw ApplicationFailure.create({ type: 'case_withdrawn', message: err.message, nonRetryable: true });
      const sqlstate = (err as { code?: unknown })?.code;
      if (err instanceof EventSchemaError || (typeof sqlstate === 'string' && /^(22|23)/.test(sqlstate)))
        throw ApplicationFailure.create({
          type: 'invalid_data',
          message: (err as Error).message,
          nonRetryable: true,
        });
      throw err;
    }
  };
  return {
    async assignExpert(input: {
      ticketNo: string;
      unitId: string;
      attempt: number;
      tried: string[];
      assignedAt: string;
      decideBy: string;
    }): Promise<{ evaluatorId: string; userId: string } | null> {
      const holder = await guard(() => deps.experts.assign(input));
      if (!holder) return null;
      await tell(holder.phone, input, 'evaluator_assigned', 'assigned', {
        decideBy: zhDeadline(input.decideBy),
      });
      return { evaluatorId: holder.evaluatorId, userId: holder.userId };
    },

    async remindExpert(input: { ticketNo: string; attempt: number }): Promise<void> {
      const a = await guard(() => deps.experts.markReminded(input.ticketNo, input.attempt));
      if (!a) return;
      await tell(a.phone, input, 'evaluator_reminder', 'reminder', { decideBy: zhDeadline(a.decideBy) });
    },

    async withdrawExpert(input: {
      ticketNo: string;
      attempt: number;
      reason: ExpertWithdrawalReason;
      note: string;
    }): Promise<void> {
      const w = await guard(() => deps.experts.withdraw(input));
      if (w && input.reason === 'timed_out') await tell(w.phone, input, 'evaluator_withdrawn', 'withdrawn');
    },

    /** The case was withdrawn while this attempt's evaluator held it: they are told it is off. */
    async notifyExpertCaseWithdrawn(input: { ticketNo: string; attempt: number }): Promise<void> {
      const held = await guard(() => deps.experts.heldWhenWithdrawn(input.ticketNo, input.attempt));
      if (held) await tell(held.phone, input, 'evaluator_case_withdrawn', 'case_withdrawn');
    },

    async recordExpertVerdict(input: {
      ticketNo: string;
      attempt: number;
      verdict: Verdict;
      reason: string;
    }): Promise<void> {
      await guard(() => deps.experts.recordVerdict(input));
    },
  };
}

export type ExpertActivities = ReturnType<typeof createExpertActivities>;
