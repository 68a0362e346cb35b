import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { isErrorCode, isTicketNo, ticketWorkflowId } from '@hotline/shared';
import type { Actor, Principal, TicketUpdateName, TicketUpdates, UnitActionResult } from '@hotline/shared';
import type { TicketLedgerRepository } from '../repositories/ticket-ledger.repository';
import { ProblemException } from '../nest/problem';
import { updateWaitOf } from './client';

/** The actor an action is recorded under, built one way from the logged-in user. */
export function actorOf(who: Principal): Actor & { userId: string } {
  return {
    kind: 'user',
    userId: who.userId,
    role: who.role,
    ...(who.unitId ? { unitId: who.unitId } : {}),
  };
}

/** The unit a clerk acts for: another role has none (403), whatever it asked to do. */
export function clerkUnitOf(who: Principal): string {
  if (!who.unitId) throw new ProblemException('forbidden', 'only a unit clerk acts for a unit');
  return who.unitId;
}

/**
 * Sends an action to a ticket's workflow as a Temporal update (typed by the contract: the command
 * must be the one the update's name takes) and turns the answer into HTTP: a rejection keeps its
 * stable code and its details (a reply's closure-standard defects), a finished workflow is
 * `ticket_closed`, an unreachable Temporal (or an action no worker took within
 * `TEMPORAL_UPDATE_WAIT_MS`) is 503.
 *
 * Idempotency has two layers. The workflow's decisions act on state: an action already applied
 * (signing a signed ticket) answers `alreadyApplied` and changes nothing. With the caller's
 * `Idempotency-Key`, a repeated request (even a concurrent one) gets the first request's very
 * result: the key becomes Temporal's update id, scoped to the action and the caller, so one
 * caller's key never answers another's request. No key is made up here: a key derived from the
 * action would swallow a legitimate second action of the same kind (a second reply after
 * rectification).
 */
export async function executeTicketUpdate<K extends TicketUpdateName>(
  client: Client,
  ticketNo: string,
  name: K,
  command: TicketUpdates[K],
  idempotencyKey: string | null,
): Promise<UnitActionResult> {
  const handle = client.workflow.getHandle(ticketWorkflowId(ticketNo));
  const caller = command.actor.userId ?? command.actor.kind;
  try {
    return await waited(client, () =>
      handle.executeUpdate<UnitActionResult, [TicketUpdates[K]]>(name, {
        args: [command],
        ...(idempotencyKey ? { updateId: `${name}:${caller}:${idempotencyKey}` } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw problemOf(err.cause);
    if (err instanceof WorkflowNotFoundError)
      throw new ProblemException('ticket_closed', `ticket ${ticketNo} is no longer open for this action`);
    throw unanswered(client, err);
  }
}

/**
 * The update, waited for no longer than the client's bound (`TEMPORAL_UPDATE_WAIT_MS`): every
 * call it makes to Temporal carries the deadline.
 */
function waited<R>(client: Client, update: () => Promise<R>): Promise<R> {
  return client.withDeadline(Date.now() + updateWaitOf(client), update);
}

/** 503: Temporal did not answer, or no worker took the action within the bound. */
function unanswered(client: Client, err: unknown): ProblemException {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return new ProblemException(
      'dependency_unavailable',
      `the workflow did not take the action within ${updateWaitOf(client) / 1000} s; it may still ` +
        'take effect: repeat it with the same Idempotency-Key to learn its result',
    );
  return new ProblemException(
    'dependency_unavailable',
    `the workflow service did not answer: ${(err as Error).message}`,
  );
}

/**
 * Any workflow update as HTTP (the expert case, the votes…): a rejection keeps its stable code,
 * a workflow that has ended answers `gone`, an unreachable Temporal is 503.
 */
export async function executeWorkflowUpdate<R, A>(
  client: Client,
  workflowId: string,
  name: string,
  arg: A,
  opts: { updateId?: string; gone: () => ProblemException },
): Promise<R> {
  try {
    return await waited(client, () =>
      client.workflow
        .getHandle(workflowId)
        .executeUpdate<R, [A]>(name, { args: [arg], ...(opts.updateId ? { updateId: opts.updateId } : {}) }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw problemOf(err.cause);
    if (err instanceof WorkflowNotFoundError) throw opts.gone();
    throw unanswered(client, err);
  }
}

function problemOf(cause: Error | undefined): ProblemException {
  if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) {
    const details = cause.details?.[0];
    return new ProblemException(
      cause.type,
      cause.message,
      details && typeof details === 'object' ? (details as Record<string, unknown>) : {},
    );
  }
  // The transition could not be recorded (bad data reached the ledger): refused, nothing changed.
  if (
    cause instanceof ActivityFailure &&
    cause.cause instanceof ApplicationFailure &&
    cause.cause.type === 'invalid_data'
  )
    return new ProblemException('validation_failed', cause.cause.message);
  if (cause instanceof ActivityFailure)
    return new ProblemException('dependency_unavailable', 'the action could not be recorded; try again');
  return new ProblemException('action_rejected', cause?.message ?? 'the action was rejected');
}

/** An action on a ticket by number: 404 for a number that is no ticket, else the update. */
export async function actOnTicket<K extends TicketUpdateName>(
  client: Client,
  ledger: TicketLedgerRepository,
  ticketNo: string,
  name: K,
  command: TicketUpdates[K],
  idempotencyKey: string | null,
): Promise<UnitActionResult> {
  await requireTicket(ledger, ticketNo);
  return executeTicketUpdate(client, ticketNo, name, command, idempotencyKey);
}

/** 404 unless the ticket exists: so an action on an unknown number is not mistaken for a closed ticket. */
export async function requireTicket(ledger: TicketLedgerRepository, ticketNo: string): Promise<void> {
  if (!isTicketNo(ticketNo) || !(await ledger.exists(ticketNo)))
    throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
}
