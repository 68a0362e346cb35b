import { EXCLUSION_REASON_LABELS } from '../domain/glossary';
import type { IntakeDisposition } from '../ticket/contract';

/** The SMS a complainant gets when the ticket is registered: accepted, or not and why. */
export interface IntakeSms {
  /** One per ticket, whichever it is: a redelivered `ticket.created` sends nothing more. */
  key: string;
  template: 'accepted' | 'not_accepted';
  params: Record<string, string>;
}

/**
 * What the complainant is told once the ticket is registered (RULES §1: the number and the query
 * code to look it up and evaluate it online; a ticket not accepted, its reason, the guidance being
 * in the look-up). Accepted covers every other disposition: dispatched, kept for a direct answer,
 * or waiting for the centre to name the unit.
 */
export function intakeSms(
  ticketNo: string,
  disposition: IntakeDisposition | undefined,
  queryCode: string,
): IntakeSms {
  const key = `intake:${ticketNo}`;
  if (disposition?.type === 'not_accepted')
    return {
      key,
      template: 'not_accepted',
      params: {
        ticketNo,
        queryCode,
        reason: EXCLUSION_REASON_LABELS[disposition.reason] ?? '不属于受理范围',
      },
    };
  return { key, template: 'accepted', params: { ticketNo, queryCode } };
}
