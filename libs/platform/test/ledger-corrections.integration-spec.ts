import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AssignmentRepository, StaleWriteError, TicketLedgerRepository, createDataSource } from '../src';
import { newTicket, OPERATOR } from './fixtures';
import type { PendingEvent, TransitionPlace } from '../src';
import { correctionEventId, loadConfig, successorEventId, transitionEventIds } from '@hotline/shared';
import type { Actor, PlatformConfig, TicketSnapshot } from '@hotline/shared';

/**
 * A lost attempt: the Temporal server drops a workflow task after its local activity wrote the
 * transition, and the workflow takes another path. The next write in that place voids what the lost
 * attempt wrote, on the real Postgres.
 */
describe('ledger corrections', () => {
  let config: PlatformConfig;
  let ds: DataSource;
  let ledger: TicketLedgerRepository;
  const clerk: Actor = { kind: 'user', userId: 'clerk.transport', role: 'unit_clerk', unitId: 'transport' };
  const input = newTicket();
  const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 2, 0, s)).toISOString();
  const dispatched = (unitId: string): TicketSnapshot => ({
    status: 'dispatched',
    unitId,
    assignments: [{ unitId, role: 'lead', status: 'dispatched' }],
  });
  const signed: TicketSnapshot = {
    status: 'signed',
    unitId: 'transport',
    assignments: [{ unitId: 'transport', role: 'lead', status: 'signed' }],
  };

  /** The transition's events as the workflow names them (event-ids.ts). */
  function transition(
    place: TransitionPlace,
    updateId: string | null,
    drafts: Omit<PendingEvent, 'id' | 'ticketNo'>[],
    ticketNo: string,
  ): PendingEvent[] {
    const ids = transitionEventIds({ ...place, updateId }, drafts.length);
    return drafts.map((d, i) => ({ ...d, id: ids[i], ticketNo }) as PendingEvent);
  }
  const dispatchTo = (unitId: string, s: number): Omit<PendingEvent, 'id' | 'ticketNo'> => ({
    type: 'ticket.dispatched',
    occurredAt: at(s),
    actor: { kind: 'system' },
    data: {
      unitId,
      unitName: unitId,
      catalogEntryId: null,
      signDueAt: at(3600),
      completeDueAt: at(43200),
      returnWindowEndsAt: at(3600),
    },
    state: dispatched(unitId),
  });
  const sign = (s: number): Omit<PendingEvent, 'id' | 'ticketNo'> => ({
    type: 'ticket.signed',
    occurredAt: at(s),
    actor: clerk,
    data: { unitId: 'transport', late: false },
    state: signed,
  });
  const extension = (s: number): Omit<PendingEvent, 'id' | 'ticketNo'> => ({
    type: 'ticket.extension_requested',
    occurredAt: at(s),
    actor: clerk,
    data: { unitId: 'transport', requested: { amount: 2, unit: 'days' }, reason: '需协调管线迁改。' },
    state: signed,
  });

  const manualCallbackRequested = (s: number): Omit<PendingEvent, 'id' | 'ticketNo'> => ({
    type: 'ticket.callback_requested',
    occurredAt: at(s),
    actor: { kind: 'system' },
    data: { mode: 'manual', dueAt: at(86400), round: 1 },
    state: { ...signed, status: 'callback' },
  });

  beforeAll(async () => {
    config = loadConfig(process.env);
    ds = await createDataSource(config.databaseUrl, { poolSize: 5 }).initialize();
    ledger = new TicketLedgerRepository(ds, config.kafkaPrefix);
  });
  afterAll(async () => {
    await ds.destroy();
  });

  async function dispatchedTicket(runId: string): Promise<string> {
    const { ticketNo } = await ledger.create(input, OPERATOR, null);
    await ledger.recordTransition(
      transition({ runId, serial: 0 }, null, [dispatchTo('transport', 1)], ticketNo),
      {
        runId,
        serial: 0,
      },
    );
    return ticketNo;
  }
  const types = async (ticketNo: string) => (await ledger.history(ticketNo)).map((e) => e.type);

  it('voids what a lost attempt wrote in the place and after it, and says so in the record', async () => {
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    // The lost attempt: one sign, then an extension request, both written, neither in the history.
    const lostSign = transition({ runId, serial: 1 }, 'sign:a', [sign(2)], ticketNo);
    const lostExtension = transition({ runId, serial: 2 }, 'ext:1', [extension(3)], ticketNo);
    await ledger.recordTransition(lostSign, { runId, serial: 1 });
    await ledger.recordTransition(lostExtension, { runId, serial: 2 });
    expect(await types(ticketNo)).toEqual([
      'ticket.created',
      'ticket.dispatched',
      'ticket.signed',
      'ticket.extension_requested',
    ]);

    // The workflow's own path: another update signs in place 1.
    const realSign = transition({ runId, serial: 1 }, 'sign:b', [sign(4)], ticketNo);
    const r = await ledger.recordTransition(realSign, { runId, serial: 1 });
    expect(r.voided).toBe(2);
    const history = await ledger.history(ticketNo);
    expect(history.map((e) => e.type)).toEqual([
      'ticket.created',
      'ticket.dispatched',
      'ticket.signed',
      'ticket.record_corrected',
    ]);
    expect(history[2].eventId).toBe(realSign[0].id);
    const correction = history[3];
    expect(correction.eventId).toBe(correctionEventId([lostSign[0].id, lostExtension[0].id]));
    expect(correction.data).toEqual({
      voided: [
        { eventId: lostSign[0].id, type: 'ticket.signed', seq: 3 },
        { eventId: lostExtension[0].id, type: 'ticket.extension_requested', seq: 4 },
      ],
    });
    expect(correction.state).toEqual(signed);
    // Voided, not deleted: the ledger keeps them, marked.
    const marks = await ds.query(
      `SELECT event_id AS id, voided_by AS by FROM ticket.ticket_events WHERE voided_by IS NOT NULL AND ticket_no = $1`,
      [ticketNo],
    );
    expect(marks).toHaveLength(2);
    expect(marks.every((x: { by: string }) => x.by === correction.eventId)).toBe(true);
    // The correction goes to Kafka as every event does.
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM platform.outbox WHERE event_id = $1`, [
      correction.eventId,
    ]);
    expect(n).toBe(1);

    // The same write retried (a worker crash) records nothing more.
    const again = await ledger.recordTransition(realSign, { runId, serial: 1 });
    expect(again.voided).toBe(0);
    expect(again.events.map((e) => e.seq)).toEqual([5]);
    expect(await types(ticketNo)).toHaveLength(4);

    // The workflow then takes the same extension request in place 2: the lost attempt named it
    // alike, and that id is void; it is recorded anew under its successor's id.
    const realExtension = transition({ runId, serial: 2 }, 'ext:1', [extension(5)], ticketNo);
    expect(realExtension[0].id).toBe(lostExtension[0].id);
    const ext = await ledger.recordTransition(realExtension, { runId, serial: 2 });
    expect(ext.voided).toBe(0);
    expect(ext.events.map((e) => [e.id, e.seq])).toEqual([
      [successorEventId(lostExtension[0].id, correction.eventId), 7],
    ]);
    expect(await types(ticketNo)).toEqual([
      'ticket.created',
      'ticket.dispatched',
      'ticket.signed',
      'ticket.record_corrected',
      'ticket.extension_requested',
    ]);
    // And once only, however often it is written.
    expect((await ledger.recordTransition(realExtension, { runId, serial: 2 })).events[0].seq).toBe(7);
    expect(await types(ticketNo)).toHaveLength(5);
  });

  it('keeps exactly the transition the workflow made when attempts void one another in turn', async () => {
    // Seen under load: update a signs in an attempt that is lost, update b signs in another that
    // is lost too, and the history has update a's sign after all.
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    const a = transition({ runId, serial: 1 }, 'sign:a', [sign(2)], ticketNo);
    const b = transition({ runId, serial: 1 }, 'sign:b', [sign(3)], ticketNo);
    await ledger.recordTransition(a, { runId, serial: 1 });
    expect((await ledger.recordTransition(b, { runId, serial: 1 })).voided).toBe(1);
    const last = await ledger.recordTransition(a, { runId, serial: 1 });
    expect(last.voided).toBe(1);
    const history = await ledger.history(ticketNo);
    expect(history.map((e) => e.type)).toEqual([
      'ticket.created',
      'ticket.dispatched',
      'ticket.record_corrected',
      'ticket.signed',
      'ticket.record_corrected',
    ]);
    expect(history[2].data).toEqual({ voided: [{ eventId: a[0].id, type: 'ticket.signed', seq: 3 }] });
    expect(history[3].eventId).toBe(successorEventId(a[0].id, correctionEventId([a[0].id])));
    expect(history[4].data).toEqual({ voided: [{ eventId: b[0].id, type: 'ticket.signed', seq: 4 }] });
  });

  it('voids nothing when the same transition is written again, or another run writes', async () => {
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    const s = transition({ runId, serial: 1 }, 'sign:a', [sign(2)], ticketNo);
    expect((await ledger.recordTransition(s, { runId, serial: 1 })).voided).toBe(0);
    expect((await ledger.recordTransition(s, { runId, serial: 1 })).voided).toBe(0);
    // A new run (continued as new) counts its places from 0 again: the old run's events stand.
    const next = randomUUID();
    const e = transition({ runId: next, serial: 0 }, 'ext:1', [extension(3)], ticketNo);
    expect((await ledger.recordTransition(e, { runId: next, serial: 0 })).voided).toBe(0);
    expect(await types(ticketNo)).toEqual([
      'ticket.created',
      'ticket.dispatched',
      'ticket.signed',
      'ticket.extension_requested',
    ]);
  });

  it('voids nothing when a transition already on record is written again late, after the next one', async () => {
    // A stale attempt (its activity timed out, its transaction still waiting) finishes after the
    // retry and the next transition were recorded: the next transition stands.
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    const s = transition({ runId, serial: 1 }, 'sign:a', [sign(2)], ticketNo);
    await ledger.recordTransition(s, { runId, serial: 1 });
    await ledger.recordTransition(transition({ runId, serial: 2 }, 'ext:1', [extension(3)], ticketNo), {
      runId,
      serial: 2,
    });
    expect((await ledger.recordTransition(s, { runId, serial: 1 })).voided).toBe(0);
    expect(await types(ticketNo)).toEqual([
      'ticket.created',
      'ticket.dispatched',
      'ticket.signed',
      'ticket.extension_requested',
    ]);
  });

  it('writes nothing for an attempt that has already timed out', async () => {
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    const s = transition({ runId, serial: 1 }, 'sign:a', [sign(2)], ticketNo);
    await expect(ledger.recordTransition(s, { runId, serial: 1 }, Date.now() - 1)).rejects.toThrow(
      StaleWriteError,
    );
    expect(await types(ticketNo)).toEqual(['ticket.created', 'ticket.dispatched']);
    expect((await ledger.recordTransition(s, { runId, serial: 1 }, Date.now() + 15000)).events).toHaveLength(
      1,
    );
  });

  it('writes nothing for an attempt that outlived its workflow task, and voids an earlier task’s', async () => {
    // Task 10 signs (update a) and its worker is cut off from Temporal before it completes; the
    // task times out, task 14 takes update b first and signs. Task 10's write comes last.
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    const a = transition({ runId, serial: 1 }, 'sign:a', [sign(2)], ticketNo);
    const b = transition({ runId, serial: 1 }, 'sign:b', [sign(3)], ticketNo);
    expect((await ledger.recordTransition(b, { runId, serial: 1, generation: 14 })).voided).toBe(0);
    await expect(ledger.recordTransition(a, { runId, serial: 1, generation: 10 })).rejects.toThrow(
      StaleWriteError,
    );
    expect(await types(ticketNo)).toEqual(['ticket.created', 'ticket.dispatched', 'ticket.signed']);
    expect((await ledger.history(ticketNo))[2].eventId).toBe(b[0].id);
    // b retried by its own task still stands, and the next transition goes on.
    expect((await ledger.recordTransition(b, { runId, serial: 1, generation: 14 })).events).toHaveLength(1);
    const e = transition({ runId, serial: 2 }, 'ext:1', [extension(4)], ticketNo);
    expect((await ledger.recordTransition(e, { runId, serial: 2, generation: 18 })).voided).toBe(0);

    // The other way round: the earlier task's write came first and was lost; the later task's voids it.
    const run2 = randomUUID();
    const other = await dispatchedTicket(run2);
    const lost = transition({ runId: run2, serial: 1 }, 'sign:a', [sign(2)], other);
    await ledger.recordTransition(lost, { runId: run2, serial: 1, generation: 10 });
    const real = transition({ runId: run2, serial: 1 }, 'sign:b', [sign(3)], other);
    expect((await ledger.recordTransition(real, { runId: run2, serial: 1, generation: 14 })).voided).toBe(1);
    // Tasks alike (a speculative task the server dropped leaves no trace): the later write voids, as before.
    const run3 = randomUUID();
    const third = await dispatchedTicket(run3);
    await ledger.recordTransition(transition({ runId: run3, serial: 1 }, 'sign:a', [sign(2)], third), {
      runId: run3,
      serial: 1,
      generation: 10,
    });
    expect(
      (
        await ledger.recordTransition(transition({ runId: run3, serial: 1 }, 'sign:b', [sign(3)], third), {
          runId: run3,
          serial: 1,
          generation: 10,
        })
      ).voided,
    ).toBe(1);
  });

  it('takes the ticket off the desk of a unit only a lost attempt dispatched it to', async () => {
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    // Lost: the ticket sent on to housing (an approved return, say); the workflow signs instead.
    await ledger.recordTransition(
      transition({ runId, serial: 1 }, 'x', [dispatchTo('housing', 2)], ticketNo),
      {
        runId,
        serial: 1,
      },
    );
    const desks = () =>
      ds.query(
        `SELECT unit_id AS "unitId", status, signed_at IS NOT NULL AS signed FROM dispatch.assignments
         WHERE ticket_no = $1 ORDER BY unit_id`,
        [ticketNo],
      );
    expect((await desks()).map((d: { unitId: string }) => d.unitId)).toEqual(['housing', 'transport']);
    await ledger.recordTransition(transition({ runId, serial: 1 }, 'sign:b', [sign(3)], ticketNo), {
      runId,
      serial: 1,
    });
    expect(await desks()).toEqual([{ unitId: 'transport', status: 'signed', signed: true }]);
    const [t] = await ds.query(
      `SELECT status, unit_id AS "unitId" FROM ticket.tickets WHERE ticket_no = $1`,
      [ticketNo],
    );
    expect(t).toEqual({ status: 'signed', unitId: 'transport' });
  });

  it('clears a sign time only a lost attempt recorded', async () => {
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    await ledger.recordTransition(transition({ runId, serial: 1 }, 'sign:a', [sign(2)], ticketNo), {
      runId,
      serial: 1,
    });
    // The workflow's path: the unit asks for an extension before signing (a refused action recorded).
    const ext = { ...extension(3), state: dispatched('transport') };
    await ledger.recordTransition(transition({ runId, serial: 1 }, 'ext:1', [ext], ticketNo), {
      runId,
      serial: 1,
    });
    const [a] = await ds.query(
      `SELECT status, signed_at AS "signedAt" FROM dispatch.assignments WHERE ticket_no = $1`,
      [ticketNo],
    );
    expect(a).toEqual({ status: 'dispatched', signedAt: null });
  });

  /** A ticket the lead signed and passed to its street (multi-level handling), as the workflow wrote it. */
  async function passedToStreet() {
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    const write = (serial: number, updateId: string, e: Omit<PendingEvent, 'id' | 'ticketNo'>) =>
      ledger.recordTransition(transition({ runId, serial }, updateId, [e], ticketNo), { runId, serial });
    const asStreet = (status: 'dispatched' | 'signed' | 'withdrawn'): TicketSnapshot => ({
      ...signed,
      assignments: [...signed.assignments, { unitId: 'gulou-hunan', role: 'sub', status }],
    });
    await write(1, 'sign:1', sign(2));
    await write(2, 'pass:1', {
      type: 'ticket.sub_dispatched',
      occurredAt: at(3),
      actor: clerk,
      data: {
        unitId: 'transport',
        subUnitId: 'gulou-hunan',
        subUnitName: '湖南路街道',
        subTicketNo: null,
        note: '请办理',
        recalledSubUnitId: null,
        attachments: [],
        signDueAt: at(3603),
      },
      state: asStreet('dispatched'),
    });
    const street = { ...clerk, unitId: 'gulou-hunan' };
    const subSigned = (s: number): Omit<PendingEvent, 'id' | 'ticketNo'> => ({
      type: 'ticket.sub_signed',
      occurredAt: at(s),
      actor: street,
      data: { unitId: 'transport', subUnitId: 'gulou-hunan', subTicketNo: null },
      state: asStreet('signed'),
    });
    const noted = (s: number, content: string): Omit<PendingEvent, 'id' | 'ticketNo'> => ({
      type: 'ticket.progress_noted',
      occurredAt: at(s),
      actor: street,
      data: { unitId: 'gulou-hunan', content },
      state: asStreet('signed'),
    });
    const desk = async () =>
      (
        await ds.query(
          `SELECT status, signed_at AS "signedAt", replied_at AS "repliedAt", complete_due_at AS "completeDueAt"
           FROM dispatch.assignments WHERE ticket_no = $1 AND unit_id = 'gulou-hunan'`,
          [ticketNo],
        )
      )[0];
    /** The street's desk once it signed at(4): held to its hub's reply deadline. */
    const signedDesk = {
      status: 'signed',
      signedAt: new Date(at(4)),
      repliedAt: null,
      completeDueAt: new Date(at(43200)),
    };
    return { ticketNo, write, asStreet, street, subSigned, noted, desk, signedDesk };
  }

  it('clears a sub-unit’s sign time only a lost attempt recorded; its hub’s deadline stays', async () => {
    const { write, asStreet, street, subSigned, desk, signedDesk } = await passedToStreet();
    // The lost attempt: the street signed. The workflow's path: it declined instead.
    await write(3, 'sub-sign:a', subSigned(4));
    expect(await desk()).toEqual(signedDesk);
    await write(3, 'sub-decline:b', {
      type: 'ticket.sub_declined',
      occurredAt: at(5),
      actor: street,
      data: { unitId: 'transport', subUnitId: 'gulou-hunan', reason: '不属本街道', declines: 1 },
      state: asStreet('withdrawn'),
    });
    expect(await desk()).toEqual({ ...signedDesk, status: 'withdrawn', signedAt: null });
  });

  it('keeps a sub-unit’s sign and result times that stand when a later lost attempt is voided', async () => {
    const { write, asStreet, street, subSigned, noted, desk, signedDesk } = await passedToStreet();
    await write(3, 'sub-sign:a', subSigned(4));
    await write(4, 'note:lost', noted(5, '已约物业'));
    await write(4, 'note:kept', noted(6, '已现场查看'));
    expect(await desk()).toEqual(signedDesk);
    await write(5, 'sub-reply:1', {
      type: 'ticket.sub_replied',
      occurredAt: at(7),
      actor: street,
      data: {
        unitId: 'transport',
        subUnitId: 'gulou-hunan',
        content: '已清理完毕。',
        responsibleDepartment: null,
        isPlan: false,
        plannedCompletionDate: null,
        attachments: [],
      },
      state: {
        ...asStreet('signed'),
        assignments: [signed.assignments[0], { unitId: 'gulou-hunan', role: 'sub', status: 'replied' }],
      },
    });
    await write(6, 'note:lost2', noted(8, '补充说明'));
    await write(6, 'note:kept2', noted(9, '补充照片'));
    expect(await desk()).toEqual({ ...signedDesk, repliedAt: new Date(at(7)) });
  });

  it('takes a manual callback task off the queue when only a lost attempt opened it', async () => {
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    const tasks = () =>
      ds.query(`SELECT round, status FROM evaluation.callback_tasks WHERE ticket_no = $1`, [ticketNo]);
    await ledger.recordTransition(
      transition({ runId, serial: 1 }, null, [manualCallbackRequested(2)], ticketNo),
      { runId, serial: 1 },
    );
    expect(await tasks()).toEqual([{ round: 1, status: 'open' }]);
    await ledger.recordTransition(transition({ runId, serial: 1 }, 'sign:b', [sign(3)], ticketNo), {
      runId,
      serial: 1,
    });
    expect(await tasks()).toEqual([]);
  });

  it('opens a manual callback task again when only a lost attempt’s answer closed it', async () => {
    const runId = randomUUID();
    const ticketNo = await dispatchedTicket(runId);
    const waiting: TicketSnapshot = { ...signed, status: 'callback' };
    const tasks = () =>
      ds.query(
        `SELECT round, status, closed_as AS "closedAs" FROM evaluation.callback_tasks WHERE ticket_no = $1`,
        [ticketNo],
      );
    await ledger.recordTransition(
      transition({ runId, serial: 1 }, null, [manualCallbackRequested(2)], ticketNo),
      { runId, serial: 1 },
    );
    // Lost: the operator's answer, which the workflow never took in.
    await ledger.recordTransition(
      transition(
        { runId, serial: 2 },
        'manual:lost',
        [
          {
            type: 'ticket.callback_answered',
            occurredAt: at(3),
            actor: OPERATOR,
            data: { mode: 'manual', verdict: 'satisfied', round: 1, note: '' },
            state: waiting,
          },
        ],
        ticketNo,
      ),
      { runId, serial: 2 },
    );
    expect(await tasks()).toEqual([{ round: 1, status: 'done', closedAs: 'answered' }]);
    // What stands in that place instead: the manual callback's deadline passed; still waiting.
    await ledger.recordTransition(
      transition(
        { runId, serial: 2 },
        null,
        [
          {
            type: 'ticket.overdue',
            occurredAt: at(4),
            actor: { kind: 'system' },
            data: { deadline: 'callback_manual', dueAt: at(4), unitId: null },
            state: waiting,
          },
        ],
        ticketNo,
      ),
      { runId, serial: 2 },
    );
    expect(await tasks()).toEqual([{ round: 1, status: 'open', closedAs: null }]);
  });

  it('a sub-unit’s sign time: on its desk, and its reminders and mark in its hub’s record of the pass', async () => {
    const { ticketNo, write, asStreet } = await passedToStreet();
    const [row] = await ds.query(
      `SELECT sign_due_at AS "signDueAt" FROM dispatch.assignments WHERE ticket_no = $1 AND unit_id = 'gulou-hunan'`,
      [ticketNo],
    );
    expect(row).toEqual({ signDueAt: new Date(at(3603)) });
    const clock = (
      type: 'ticket.reminded' | 'ticket.overdue',
      deadline: 'sign' | 'complete',
      unitId: string,
      s: number,
    ) =>
      ({
        type,
        occurredAt: at(s),
        actor: { kind: 'system' },
        data: { deadline, dueAt: at(3603), unitId },
        state: asStreet('dispatched'),
      }) as Omit<PendingEvent, 'id' | 'ticketNo'>;
    await write(3, 'timer:3', clock('ticket.reminded', 'sign', 'gulou-hunan', 1803));
    await write(4, 'timer:4', clock('ticket.overdue', 'sign', 'gulou-hunan', 3603));
    // The lead's own clock is not the pass's.
    await write(5, 'timer:5', clock('ticket.overdue', 'complete', 'transport', 3604));
    const assignments = new AssignmentRepository(ds);
    const steps = async (unitId: string | null) =>
      (await assignments.subDispatchRecord(ticketNo, unitId)).map((r) => [r.type, r.subUnitId]);
    const expected = [
      ['ticket.sub_dispatched', 'gulou-hunan'],
      ['ticket.reminded', 'gulou-hunan'],
      ['ticket.overdue', 'gulou-hunan'],
    ];
    expect(await steps(null)).toEqual(expected);
    expect(await steps('gulou-hunan')).toEqual(expected);
    expect(await steps('gulou-ninghai')).toEqual([]);
  });
});
