import { randomInt, randomUUID } from 'node:crypto';
import { appendEvaluationEvent, createKafka } from '@hotline/platform';
import {
  countedVerdict,
  EVALUATION_EVENT_VERSION,
  EVALUATION_EVENTS_TOPIC,
  periodStart,
  topicName,
} from '@hotline/shared';
import type { CallbackVerdict, Verdict } from '@hotline/shared';
import {
  callbackAnswer,
  createTicket,
  driveTicket,
  eventually,
  http,
  login,
  startPlatform,
} from '../harness';
import type { Platform } from '../harness';

/**
 * Satisfaction figures on the real stack: tickets closed through the API with different callback
 * answers, plus a vote result and an expert verdict as the evaluation service publishes them
 * (through the outbox and Kafka), give figures by unit, category and region that agree with a
 * recomputation from the raw records; the expert's verdict overrides the callback; supervision
 * copies what counts; a unit's clerk sees their own unit only.
 */
describe('satisfaction figures (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let supervisor: string;
  let clerk: string;

  beforeAll(async () => {
    p = await startPlatform();
    [operator, reviewer, supervisor, clerk] = await Promise.all(
      ['operator', 'reviewer', 'supervisor', 'clerk.transport'].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  async function closedWith(sms: Verdict, manual?: Verdict): Promise<string> {
    const answers: ['sms' | 'manual', Verdict][] = manual
      ? [
          ['sms', sms],
          ['manual', manual],
        ]
      : [['sms', sms]];
    return driveTicket(p, { operator, reviewer, clerk }, { answers });
  }

  const counted = (no: string) =>
    eventually(`the counted verdict of ${no}`, async () => {
      const r = await p.db.query(
        `SELECT counted_verdict AS verdict, counted_source AS source, counted_version AS version
         FROM evaluation.ticket_satisfaction WHERE ticket_no = $1 AND counted_verdict IS NOT NULL`,
        [no],
      );
      return r[0];
    });

  async function publish(
    no: string,
    type: 'evaluation.vote_closed' | 'evaluation.expert_verdict_recorded',
    verdict: Verdict,
  ) {
    await p.db.transaction((m) =>
      type === 'evaluation.vote_closed'
        ? appendEvaluationEvent(m, p.config.kafkaPrefix, {
            type,
            ticketNo: no,
            actor: { kind: 'system' },
            data: {
              unitId: 'transport',
              result: verdict,
              posterVerdict: verdict,
              posterDefaulted: false,
              others: { satisfied: 1, basically_satisfied: 0, unsatisfied: 0 },
            },
          })
        : appendEvaluationEvent(m, p.config.kafkaPrefix, {
            type,
            ticketNo: no,
            actor: { kind: 'user', role: 'evaluator' },
            data: { caseId: no, unitId: 'transport', verdict, reason: '专业评价结论' },
          }),
    );
  }

  it('counts by the precedence rule, announces each change, and supervision copies it', async () => {
    const a = await closedWith('satisfied');
    const b = await closedWith('unsatisfied', 'basically_satisfied');
    expect(await counted(a)).toEqual({ verdict: 'satisfied', source: 'sms', version: 1 });
    expect(await counted(b)).toEqual({ verdict: 'basically_satisfied', source: 'manual', version: 1 });

    await publish(a, 'evaluation.expert_verdict_recorded', 'unsatisfied');
    await publish(b, 'evaluation.vote_closed', 'unsatisfied');
    await eventually('the expert overrides', async () => (await counted(a)).source === 'expert');
    expect(await counted(a)).toEqual({ verdict: 'unsatisfied', source: 'expert', version: 2 });
    await eventually('the vote overrides', async () => (await counted(b)).source === 'vote');

    const events = await p.db.query(
      `SELECT data FROM evaluation.events WHERE ticket_no = $1 AND type = 'evaluation.satisfaction_recorded'
       ORDER BY occurred_at`,
      [a],
    );
    expect(events.map((e: { data: { source: string } }) => e.data.source)).toEqual(['sms', 'expert']);
    await eventually('supervision copies the latest', async () => {
      const r = await p.db.query(
        `SELECT verdict, source FROM supervision.satisfaction_facts WHERE ticket_no = $1`,
        [a],
      );
      return r[0]?.source === 'expert';
    });
    const overview = await http('GET', `${p.urls.supervision}/api/v1/units/overview?limit=200`, {
      token: supervisor,
    });
    const transport = overview.body.items.find((u: { unitId: string }) => u.unitId === 'transport');
    expect(transport.evaluated).toBeGreaterThanOrEqual(2);
    expect(transport.satisfactionRate).toBeGreaterThanOrEqual(0);

    const listed = await http('GET', `${p.urls.evaluation}/api/v1/satisfaction/tickets?limit=200`, {
      token: reviewer,
    });
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ ticketNo: a, verdict: 'unsatisfied', source: 'expert' }),
    );
  });

  it('counts a ticket answered at intake by category and region and the city’s, in no unit’s', async () => {
    const no = await createTicket(p, operator, {
      kind: 'consultation',
      category: 'bus',
      disposition: { type: 'direct_answer', answer: '末班车时间为22:30，可通过公交APP查询实时到站信息。' },
    });
    await eventually('the SMS callback taken', async () => {
      await callbackAnswer(p, operator, no, 'sms', 'basically_satisfied');
      return true;
    });
    expect(await counted(no)).toEqual({ verdict: 'basically_satisfied', source: 'sms', version: 1 });
    const [recorded] = await p.db.query(
      `SELECT data FROM evaluation.events WHERE ticket_no = $1 AND type = 'evaluation.satisfaction_recorded'`,
      [no],
    );
    expect(recorded.data).toMatchObject({ unitId: null, category: 'bus', verdict: 'basically_satisfied' });
    await eventually('supervision copies it', async () => {
      const r = await p.db.query(`SELECT unit_id FROM supervision.satisfaction_facts WHERE ticket_no = $1`, [
        no,
      ]);
      return r.length === 1 && r[0].unit_id === null;
    });
    const listed = await http(
      'GET',
      `${p.urls.evaluation}/api/v1/satisfaction/tickets?category=bus&limit=200`,
      {
        token: reviewer,
      },
    );
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ ticketNo: no, unitId: null, verdict: 'basically_satisfied' }),
    );
    // Each category by its name, as the reports name it (its catalog entry's).
    const byCategory = await http('GET', `${p.urls.evaluation}/api/v1/satisfaction?groupBy=category`, {
      token: reviewer,
    });
    expect(byCategory.body.items.length).toBeGreaterThan(0);
    for (const r of byCategory.body.items as { key: string; name: string | null }[])
      expect([r.key, typeof r.name, (r.name ?? '').length > 0]).toEqual([r.key, 'string', true]);
    const byUnit = await http('GET', `${p.urls.evaluation}/api/v1/satisfaction?groupBy=unit`, {
      token: reviewer,
    });
    expect(byUnit.body.items.every((r: { key: string | null }) => r.key !== null)).toBe(true);
    const overview = await http('GET', `${p.urls.supervision}/api/v1/units/overview?limit=200`, {
      token: supervisor,
    });
    expect(overview.body.items.every((u: { unitId: string | null }) => u.unitId !== null)).toBe(true);
  });

  it('gives the same figures as a recomputation from the raw records, by unit, category and region', async () => {
    await closedWith('basically_satisfied');
    type Facts = {
      callbacks: CallbackVerdict[];
      vote: Verdict | null;
      expert: Verdict | null;
      unreachable?: boolean;
      unit?: string;
      category?: string;
      region?: string;
      closedAt?: string;
    };
    const recompute = async (groupBy: 'unit' | 'category' | 'region') => {
      const tickets = new Map<string, Facts>();
      const of = (no: string) =>
        tickets.get(no) ?? tickets.set(no, { callbacks: [], vote: null, expert: null }).get(no)!;
      const raw: { ticketNo: string; type: string; data: Record<string, unknown>; occurredAt: Date }[] =
        await p.db.query(
          `SELECT ticket_no AS "ticketNo", type, data, occurred_at AS "occurredAt" FROM ticket.ticket_events
         WHERE type IN ('ticket.created','ticket.callback_answered','ticket.closed') AND voided_by IS NULL
         UNION ALL
         SELECT ticket_no, type, data, occurred_at FROM evaluation.events
         WHERE type IN ('evaluation.vote_closed','evaluation.expert_verdict_recorded')`,
        );
      for (const e of raw) {
        const f = of(e.ticketNo);
        if (e.type === 'ticket.created')
          [f.category, f.region] = [e.data.category as string, e.data.regionCode as string];
        if (e.type === 'ticket.callback_answered') f.callbacks.push(e.data as unknown as CallbackVerdict);
        if (e.type === 'ticket.closed') {
          [f.unit, f.closedAt] = [e.data.unitId as string, new Date(e.occurredAt).toISOString()];
          f.unreachable = e.data.outcome === 'unreachable';
        }
        if (e.type === 'evaluation.vote_closed') f.vote = e.data.result as Verdict;
        if (e.type === 'evaluation.expert_verdict_recorded') f.expert = e.data.verdict as Verdict;
      }
      const figures = new Map<string, Record<Verdict, number>>();
      for (const f of tickets.values()) {
        const c = countedVerdict(f);
        // A ticket answered at intake counts by category and region, in no unit's figures.
        if (!c || !f.closedAt || (groupBy === 'unit' && !f.unit)) continue;
        const key = `${groupBy === 'unit' ? f.unit : groupBy === 'category' ? f.category : f.region}|${periodStart(f.closedAt, 'day')}`;
        const row = figures.get(key) ?? { satisfied: 0, basically_satisfied: 0, unsatisfied: 0 };
        row[c.verdict]++;
        figures.set(key, row);
      }
      return Object.fromEntries([...figures].sort());
    };
    for (const groupBy of ['unit', 'category', 'region'] as const)
      await eventually(`the ${groupBy} figures agree`, async () => {
        const api = await http(
          'GET',
          `${p.urls.evaluation}/api/v1/satisfaction?groupBy=${groupBy}&period=day`,
          {
            token: reviewer,
          },
        );
        const got = Object.fromEntries(
          (
            api.body.items as {
              key: string;
              periodStart: string;
              satisfied: number;
              basically_satisfied: number;
              unsatisfied: number;
            }[]
          )
            .map((r) => [
              `${r.key}|${r.periodStart}`,
              {
                satisfied: r.satisfied,
                basically_satisfied: r.basically_satisfied,
                unsatisfied: r.unsatisfied,
              },
            ])
            .sort(),
        );
        const want = await recompute(groupBy);
        return JSON.stringify(got) === JSON.stringify(want) && Object.keys(want).length > 0;
      });
    const api = await http('GET', `${p.urls.evaluation}/api/v1/satisfaction?groupBy=unit&period=month`, {
      token: reviewer,
    });
    const row = api.body.items.find((r: { key: string }) => r.key === 'transport');
    expect(row).toMatchObject({ name: '市交通运输局' });
    expect(row.rate).toBeCloseTo((row.satisfied + row.basically_satisfied) / row.evaluated, 10);
    expect(row.meetsTarget).toBe(row.rate >= 0.9);
  });

  it('shows a unit’s clerk their own unit only; refuses bad queries', async () => {
    const own = await http('GET', `${p.urls.evaluation}/api/v1/satisfaction?groupBy=unit`, { token: clerk });
    expect(own.status).toBe(200);
    expect(own.body.items.every((r: { key: string }) => r.key === 'transport')).toBe(true);
    const byCategory = await http('GET', `${p.urls.evaluation}/api/v1/satisfaction/tickets?limit=200`, {
      token: clerk,
    });
    expect(byCategory.body.items.every((r: { unitId: string }) => r.unitId === 'transport')).toBe(true);
    const other = await http('GET', `${p.urls.evaluation}/api/v1/satisfaction?unitId=housing`, {
      token: clerk,
    });
    expect(other.status).toBe(404);
    for (const q of ['period=fortnight', 'groupBy=mood', 'from=2026-13-01', 'from=2026-11-30&to=2026-11-01'])
      expect(
        (await http('GET', `${p.urls.evaluation}/api/v1/satisfaction?${q}`, { token: reviewer })).status,
      ).toBe(400);
    expect((await http('GET', `${p.urls.evaluation}/api/v1/satisfaction`, { token: operator })).status).toBe(
      403,
    );
  });

  // Last: it puts a verdict of its own into supervision's facts, which the figures above would not expect.
  it('supervision sets aside a verdict on a ticket the ledger never registered, and copies one on a ticket it has no facts of yet', async () => {
    const verdictOn = (ticketNo: string) => ({
      id: randomUUID(),
      type: 'evaluation.satisfaction_recorded',
      version: EVALUATION_EVENT_VERSION,
      ticketNo,
      occurredAt: new Date().toISOString(),
      actor: { kind: 'system' },
      data: {
        unitId: 'transport',
        category: 'road',
        regionCode: 'gulou',
        verdict: 'satisfied',
        source: 'sms',
        closedAt: new Date().toISOString(),
      },
    });
    const unknown = `2099${String(randomInt(1_000_000_000, 9_999_999_999))}`;
    expect(await p.db.query(`SELECT 1 FROM ticket.tickets WHERE ticket_no = $1`, [unknown])).toEqual([]);
    // A real ticket whose facts supervision has not taken in yet (the ticket events' topic is behind
    // the evaluation events' one): its verdict must not be lost.
    const known = await createTicket(p, operator, { complainantPhone: '13700137000' });
    await eventually('supervision has the facts', async () => {
      const r = await p.db.query(`SELECT 1 FROM supervision.ticket_facts WHERE ticket_no = $1`, [known]);
      return r.length > 0;
    });
    await p.db.query(`DELETE FROM supervision.ticket_facts WHERE ticket_no = $1`, [known]);
    const [forged, real] = [verdictOn(unknown), verdictOn(known)];
    const producer = createKafka(p.config, 'verdict-on-unknown-ticket').producer();
    await producer.connect();
    await producer.send({
      topic: topicName(p.config, EVALUATION_EVENTS_TOPIC),
      messages: [forged, real].map((e) => ({ key: e.ticketNo, value: JSON.stringify(e) })),
    });
    await producer.disconnect();

    const factOf = (no: string) =>
      p.db.query(
        `SELECT unit_id AS "unitId", verdict FROM supervision.satisfaction_facts WHERE ticket_no = $1`,
        [no],
      );
    const setAside = (id: string) =>
      p.db.query(
        `SELECT error FROM platform.dead_letters WHERE consumer = 'supervision.satisfaction-facts'
           AND payload LIKE '%' || $1 || '%'`,
        [id],
      );
    // Either way the forged one went (set aside, or copied), the test waits for it, then says which.
    await eventually('both verdicts taken in or set aside', async () => {
      const forgedDone = (await factOf(unknown)).length > 0 || (await setAside(forged.id)).length > 0;
      return forgedDone && (await factOf(known)).length > 0;
    });
    expect(await factOf(unknown)).toEqual([]);
    const [letter] = await setAside(forged.id);
    expect(letter.error).toContain(unknown);
    expect(await factOf(known)).toEqual([{ unitId: 'transport', verdict: 'satisfied' }]);
  });
});
