import { ApplicationFailure } from '@temporalio/common';
import { EventSchemaError } from '@hotline/shared';
import type { ExpertWithdrawalReason, Verdict } from '@hotline/shared';
import { ExpertCaseWithdrawnError } from '@hotline/platform';
import type { ExpertRepository, OutboundSms, SmsSender } from '@hotline/platform';

export interface ExpertActivityDeps {
  experts: Pick<
    ExpertRepository,
    'assign' | 'markReminded' | 'withdraw' | 'recordVerdict' | 'heldWhenWithdrawn'
  >;
  sms: Pick<SmsSender, 'sendOnce'>;
}

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
  const text = async (sms: Omit<OutboundSms, 'to'> & { to: string | null }) => {
    if (sms.to) await deps.sms.sendOnce({ ...sms, to: sms.to });
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
      await text({
        key: `expert:${input.ticketNo}:${input.attempt}:assigned`,
        purpose: 'evaluator_assigned',
        ticketNo: input.ticketNo,
        to: holder.phone,
        template: 'evaluator_assigned',
        params: { ticketNo: input.ticketNo, decideBy: zhDeadline(input.decideBy) },
      });
      return { evaluatorId: holder.evaluatorId, userId: holder.userId };
    },

    async remindExpert(input: { ticketNo: string; attempt: number }): Promise<void> {
      const a = await guard(() => deps.experts.markReminded(input.ticketNo, input.attempt));
      if (!a) return;
      await text({
        key: `expert:${input.ticketNo}:${input.attempt}:reminder`,
        purpose: 'evaluator_reminder',
        ticketNo: input.ticketNo,
        to: a.phone,
        template: 'evaluator_reminder',
        params: { ticketNo: input.ticketNo, decideBy: zhDeadline(a.decideBy) },
      });
    },

    async withdrawExpert(input: {
      ticketNo: string;
      attempt: number;
      reason: ExpertWithdrawalReason;
      note: string;
    }): Promise<void> {
      const w = await guard(() => deps.experts.withdraw(input));
      if (w && input.reason === 'timed_out')
        await text({
          key: `expert:${input.ticketNo}:${input.attempt}:withdrawn`,
          purpose: 'evaluator_withdrawn',
          ticketNo: input.ticketNo,
          to: w.phone,
          template: 'evaluator_withdrawn',
          params: { ticketNo: input.ticketNo },
        });
    },

    /** The case was withdrawn while this attempt's evaluator held it: they are told it is off. */
    async notifyExpertCaseWithdrawn(input: { ticketNo: string; attempt: number }): Promise<void> {
      const held = await guard(() => deps.experts.heldWhenWithdrawn(input.ticketNo, input.attempt));
      if (held)
        await text({
          key: `expert:${input.ticketNo}:${input.attempt}:case_withdrawn`,
          purpose: 'evaluator_case_withdrawn',
          ticketNo: input.ticketNo,
          to: held.phone,
          template: 'evaluator_case_withdrawn',
          params: { ticketNo: input.ticketNo },
        });
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
