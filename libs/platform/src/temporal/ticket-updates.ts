import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isErrorCode, isTicketNo, ticketWorkflowId } from '@hotline/shared';
import type { TicketLedgerRepository } from '../repositories/ticket-ledger.repository';
import type { UnitActionResult } from '@hotline/shared';
import { ProblemException } from '../nest/problem';

/**
 * Sends an action to a ticket's workflow as a Temporal update and turns the answer into HTTP:
 * a validator's rejection keeps its stable code (409s mostly), a finished workflow is
 * `ticket_closed`, an unreachable Temporal is 503.
 *
 * Idempotency has two layers. The workflow's handlers act on state: an action already applied
 * (signing a signed ticket, replying to a replied one) answers `alreadyApplied` and changes
 * nothing. With the caller's `Idempotency-Key`, a repeated request returns the first request's
 * very result (Temporal's update id). No key is made up here: a key derived from the action would
 * wrongly swallow a legitimate second action of the same kind (a second reply after
 * rectification, a second return after a refused one).
 */
export async function executeTicketUpdate(
  client: Client,
  ticketNo: string,
  name: string,
  command: unknown,
  idempotencyKey: string | null,
): Promise<UnitActionResult> {
  const handle = client.workflow.getHandle(ticketWorkflowId(ticketNo));
  try {
    return await handle.executeUpdate<UnitActionResult, [unknown]>(name, {
      args: [command],
      ...(idempotencyKey ? { updateId: `${name}:${idempotencyKey}` } : {}),
    });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause;
      const code =
        cause instanceof ApplicationFailure && isErrorCode(cause.type) ? cause.type : 'action_rejected';
      throw new ProblemException(code, cause?.message ?? 'the action was rejected');
    }
    if (err instanceof WorkflowNotFoundError)
      throw new ProblemException('ticket_closed', `ticket ${ticketNo} is no longer open for this action`);
    throw new ProblemException(
      'dependency_unavailable',
      `the workflow service did not answer: ${(err as Error).message}`,
    );
  }
}

/** 404 unless the ticket exists: so an action on an unknown number is not mistaken for a closed ticket. */
export async function requireTicket(ledger: TicketLedgerRepository, ticketNo: string): Promise<void> {
  if (!isTicketNo(ticketNo) || !(await ledger.find(ticketNo)))
    throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
}
