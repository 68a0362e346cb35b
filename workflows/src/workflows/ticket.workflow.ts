/**
 * TicketWorkflow: one durable workflow per ticket. Deterministic code only: no I/O, no Node, no
 * service code. Everything effectful is an activity; unit actions arrive as updates whose
 * validators tell the caller at once whether the action is accepted.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type {
  DispatchCommand,
  ErrorCode,
  ReplyCommand,
  SignCommand,
  TicketWorkflowInput,
  TicketWorkflowState,
  UnitActionResult,
} from '@hotline/shared';
import type { DispatchResult, TicketActivities } from '../activities/ticket.activities';
import { DueAtKey, TicketStatusKey, UnitIdKey } from './search-attributes';

export const dispatchUpdate = defineUpdate<UnitActionResult, [DispatchCommand]>('dispatch');
export const signUpdate = defineUpdate<UnitActionResult, [SignCommand]>('sign');
export const replyUpdate = defineUpdate<UnitActionResult, [ReplyCommand]>('reply');
export const stateQuery = defineQuery<TicketWorkflowState>('state');

const acts = proxyActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

function failureType(err: ActivityFailure): string | undefined {
  return err.cause instanceof ApplicationFailure ? (err.cause.type ?? undefined) : undefined;
}

function reject(code: ErrorCode, message: string): never {
  throw ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

export async function TicketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowState> {
  const state: TicketWorkflowState = {
    ticketNo: input.ticketNo,
    status: 'created',
    awaitingManualDispatch: false,
    unitId: null,
    signDueAt: null,
    signedAt: null,
    signedLate: false,
    repliedAt: null,
    closedAt: null,
  };

  const publish = (dueAt: string | null): void => {
    const pairs: SearchAttributeUpdatePair[] = [
      { key: TicketStatusKey, value: state.status },
      { key: UnitIdKey, value: state.unitId },
      { key: DueAtKey, value: dueAt ? new Date(dueAt) : null },
    ];
    upsertSearchAttributes(pairs);
    setCurrentDetails(
      [
        `**工单** ${state.ticketNo}`,
        `**状态** ${state.awaitingManualDispatch ? '待人工派单' : state.status}`,
        `**承办单位** ${state.unitId ?? '—'}`,
        `**下一时限** ${dueAt ?? '—'}`,
      ].join('\n\n'),
    );
  };

  const resultOf = (alreadyApplied: boolean): UnitActionResult => ({
    ticketNo: state.ticketNo,
    status: state.status,
    alreadyApplied,
  });

  setHandler(stateQuery, () => state);

  // 特事特办: the centre names the unit when the matter catalog has none.
  let manual: DispatchCommand | null = null;
  let manualError: string | null = null;
  setHandler(
    dispatchUpdate,
    async (cmd) => {
      if (state.status !== 'created') return resultOf(true);
      manual = cmd;
      manualError = null;
      await condition(() => state.status !== 'created' || manualError !== null);
      if (manualError !== null) reject('unknown_unit', manualError);
      return resultOf(false);
    },
    {
      validator: (_cmd: DispatchCommand) => {
        if (state.status === 'created' && !state.awaitingManualDispatch)
          reject('action_rejected', `ticket ${state.ticketNo} is being dispatched by the matter catalog`);
      },
    },
  );

  setHandler(
    signUpdate,
    async (cmd) => {
      if (state.status !== 'dispatched') return resultOf(true);
      const now = new Date();
      state.status = 'signed';
      state.signedAt = now.toISOString();
      state.signedLate = state.signDueAt !== null && now.getTime() > Date.parse(state.signDueAt);
      publish(null);
      await acts.recordEvent({
        id: uuid4(),
        type: 'ticket.signed',
        ticketNo: state.ticketNo,
        occurredAt: state.signedAt,
        actor: cmd.actor,
        data: { unitId: cmd.unitId },
      });
      return resultOf(false);
    },
    {
      validator: (cmd) => {
        if (state.unitId === null || state.status === 'created')
          reject('ticket_not_signable', `ticket ${state.ticketNo} has not been dispatched yet`);
        if (cmd.unitId !== state.unitId)
          reject('ticket_not_signable', `ticket ${state.ticketNo} is not dispatched to unit ${cmd.unitId}`);
      },
    },
  );

  setHandler(
    replyUpdate,
    async (cmd) => {
      if (state.status !== 'signed') return resultOf(true);
      state.status = 'replied';
      state.repliedAt = new Date().toISOString();
      publish(null);
      await acts.recordEvent({
        id: uuid4(),
        type: 'ticket.replied',
        ticketNo: state.ticketNo,
        occurredAt: state.repliedAt,
        actor: cmd.actor,
        data: { unitId: cmd.unitId, content: cmd.content },
      });
      return resultOf(false);
    },
    {
      validator: (cmd) => {
        if (cmd.unitId !== state.unitId)
          reject('ticket_not_repliable', `ticket ${state.ticketNo} is not dispatched to unit ${cmd.unitId}`);
        if (state.status === 'created' || state.status === 'dispatched')
          reject('ticket_not_repliable', `ticket ${state.ticketNo} must be signed before it is replied to`);
        if (cmd.content.trim().length === 0) reject('ticket_not_repliable', 'the reply has no content');
      },
    },
  );

  // Dispatch by the matter catalog; with no entry, wait for the centre to dispatch by hand.
  const dispatchTo = (unitId?: string) =>
    acts.dispatchTicket({
      eventId: uuid4(),
      ticketNo: input.ticketNo,
      category: input.category,
      regionCode: input.regionCode,
      signLimitMinutes: input.signLimitMinutes,
      ...(unitId ? { unitId } : {}),
    });
  let dispatched: DispatchResult | null = null;
  try {
    dispatched = await dispatchTo();
  } catch (err) {
    if (!(err instanceof ActivityFailure && failureType(err) === 'no_route')) throw err;
    state.awaitingManualDispatch = true;
    publish(null);
  }
  while (dispatched === null) {
    await condition(() => manual !== null);
    const cmd: DispatchCommand = manual!;
    manual = null;
    try {
      dispatched = await dispatchTo(cmd.unitId);
    } catch (err) {
      if (!(err instanceof ActivityFailure && failureType(err) === 'unknown_unit')) throw err;
      manualError = `no unit ${cmd.unitId}`;
    }
  }
  state.awaitingManualDispatch = false;
  state.unitId = dispatched.unitId;
  state.signDueAt = dispatched.signDueAt;
  state.status = 'dispatched';
  publish(dispatched.signDueAt);

  // The unit signs and replies through the updates above.
  await condition(() => state.status === 'replied' && allHandlersFinished());

  state.closedAt = new Date().toISOString();
  await acts.recordEvent({
    id: uuid4(),
    type: 'ticket.closed',
    ticketNo: state.ticketNo,
    occurredAt: state.closedAt,
    actor: { kind: 'system' },
    data: { unitId: state.unitId, outcome: 'replied' },
  });
  state.status = 'closed';
  publish(null);
  await condition(allHandlersFinished);
  return state;
}
