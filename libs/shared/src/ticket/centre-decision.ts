import type { TicketState } from './state';

/**
 * The centre's decisions on what a unit asked or sent: a reply reviewed (答复认定), a return decided,
 * an extension decided; and its own designation of the lead unit (协调). The same decision sent again (a second click, a client's retry without an
 * Idempotency-Key, a colleague deciding the same at once) finds nothing left to decide: it is
 * already applied when it says what the last decision of its kind said, and refused otherwise.
 */
export type CentreDecisionKind = 'review' | 'return' | 'extension' | 'coordination';

/** What a decision says, as one string: who sent it does not matter, what they decided does. */
export function centreDecisionSignature(kind: CentreDecisionKind, says: Record<string, unknown>): string {
  return JSON.stringify([
    kind,
    ...Object.keys(says)
      .sort()
      .map((k) => [k, says[k] ?? null]),
  ]);
}

/** Whether the ticket's last decision of the kind said this (a state recorded before it: no). */
export function decidedAlready(s: TicketState, kind: CentreDecisionKind, signature: string): boolean {
  return s.centreDecisions?.[kind] === signature;
}

/** Keeps the decision taken, for a repeat to be known by. */
export function rememberDecision(n: TicketState, kind: CentreDecisionKind, signature: string): void {
  n.centreDecisions = { ...n.centreDecisions, [kind]: signature };
}
