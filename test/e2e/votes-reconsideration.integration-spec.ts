import { Client, Connection } from '@temporalio/client';
import { VoteRepository } from '@hotline/platform';
import {
  callbackAnswer,
  createTicket,
  driveTicket,
  eventually,
  http,
  login,
  replyApproved,
  startPlatform,
} from '../harness';
import type { Platform } from '../harness';

/**
 * Public votes (SZ 寒山闻钟) and reconsideration (GS) on the real stack. The window's 15 days and
 * the 10-working-day clock are tested under time skipping (workflows/test/votes-reconsideration…);
 * here, that the window opens when a forum ticket's reply is approved, that the forum's votes are
 * taken or refused by the rule, and that a GS complaint's reconsideration is asked and decided.
 */
const CHINA_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

describe('public votes and reconsideration (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let admin: string;
  let clerk: string;
  let forum: string;

  beforeAll(async () => {
    p = await startPlatform();
    [operator, reviewer, admin, clerk, forum] = await Promise.all(
      ['operator', 'reviewer', 'admin', 'clerk.transport', 'forum'].map((u) => login(p.urls.intake, u)),
    );
  });
  /**
   * How many working days lie after `from`'s China day up to `until`'s, by the days the
   * administrator's calendar lists (holidays, adjusted working days); `until` must be the very
   * end of a China working day.
   */
  async function workingDaysUntil(from: number, until: number): Promise<number> {
    expect((until + 1 + CHINA_MS) % DAY_MS).toBe(0);
    const kinds = new Map<string, string>();
    const firstYear = new Date(from + CHINA_MS).getUTCFullYear();
    for (const year of [firstYear, firstYear + 1]) {
      const days = await http(
        'GET',
        `${p.urls.intake}/api/v1/admin/calendars/cn-mainland/days?year=${year}&limit=200`,
        {
          token: admin,
        },
      );
      expect(days.status).toBe(200);
      for (const d of days.body.items as { day: string; kind: string }[]) kinds.set(d.day, d.kind);
    }
    let count = 0;
    let lastIsWorking = false;
    for (let day = Math.floor((from + CHINA_MS) / DAY_MS) + 1; day * DAY_MS - CHINA_MS <= until; day++) {
      const date = new Date(day * DAY_MS);
      const kind = kinds.get(date.toISOString().slice(0, 10));
      const weekday = date.getUTCDay() >= 1 && date.getUTCDay() <= 5;
      lastIsWorking = kind === 'workday' || (weekday && kind !== 'holiday');
      if (lastIsWorking) count++;
    }
    expect(lastIsWorking).toBe(true); // due on a working day, not the rest day after it
    return count;
  }

  afterAll(async () => {
    await p?.stop();
  });

  const crew = () => ({ operator, reviewer, clerk });
  const approved = (extra: Record<string, unknown> = {}) => driveTicket(p, crew(), { extra });
  const vote = (no: string, voterId: string, verdict: string, staff?: boolean) =>
    http('POST', `${p.urls.evaluation}/api/v1/votes/${no}`, {
      token: forum,
      body: { voterId, verdict, ...(staff === undefined ? {} : { staff }) },
    });

  it('opens a forum ticket’s window when its reply is approved, and takes or refuses votes by the rule', async () => {
    const no = await createTicket(p, operator, { channel: 'forum' });
    const poster = await http('PUT', `${p.urls.evaluation}/api/v1/forum-posts/${no}`, {
      token: forum,
      body: { postId: `post-${no}`, posterId: `poster-${no}` },
    });
    expect(poster.status).toBe(200);
    expect((await vote(no, 'u1', 'satisfied')).body.code).toBe('vote_window_not_open');
    await eventually('signed', async () => {
      return (
        (await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, { token: clerk })).status === 200
      );
    });
    await replyApproved(p, crew(), no);
    const window = await eventually('the window open', async () => {
      const r = await http('GET', `${p.urls.evaluation}/api/v1/votes/${no}`, { token: forum });
      return r.status === 200 && r.body.status === 'open' ? r.body : null;
    });
    const days = (Date.parse(window.closesAt) - Date.parse(window.opensAt)) / 86_400_000;
    expect(days).toBe(15);
    await eventually(
      'the window’s workflow running',
      async () => (await vote(no, `poster-${no}`, 'unsatisfied')).status === 200,
    );

    // The poster's two other verdicts sent at once: one is the change, the other is refused.
    const changes = await Promise.all([
      vote(no, `poster-${no}`, 'basically_satisfied'),
      vote(no, `poster-${no}`, 'satisfied'),
    ]);
    expect(changes.map((r) => r.status).sort()).toEqual([200, 409]);
    const change = changes.find((r) => r.status === 200)!;
    expect(change.body).toMatchObject({ isPoster: true, changed: true });
    expect(changes.find((r) => r.status === 409)!.body.code).toBe('vote_change_used');
    const posterVerdict = change.body.verdict as string;
    const other = posterVerdict === 'satisfied' ? 'basically_satisfied' : 'satisfied';
    expect((await vote(no, `poster-${no}`, other)).body.code).toBe('vote_change_used');
    expect((await vote(no, 'u1', 'satisfied')).status).toBe(200);
    expect((await vote(no, 'u1', 'satisfied')).status).toBe(200); // the same vote again: no change
    expect((await vote(no, 'u1', 'unsatisfied')).body.code).toBe('already_voted');
    const staffFlag = await vote(no, 'u2', 'satisfied', true);
    expect([staffFlag.status, staffFlag.body.code]).toEqual([403, 'staff_cannot_vote']);
    expect(
      (
        await http('POST', `${p.urls.evaluation}/api/v1/forum-staff-accounts`, {
          token: admin,
          body: { accountId: `staff-${no}` },
        })
      ).status,
    ).toBe(201);
    expect((await vote(no, `staff-${no}`, 'satisfied')).body.code).toBe('staff_cannot_vote');
    expect((await vote(no, 'u3', 'meh')).status).toBe(400);
    expect(
      (
        await http('POST', `${p.urls.evaluation}/api/v1/votes/${no}`, {
          token: operator,
          body: { voterId: 'x', verdict: 'satisfied' },
        })
      ).status,
    ).toBe(403);

    // Once votes are cast, who posted it is settled: neither another poster nor a voter as the poster.
    const putPoster = (posterId: string) =>
      http('PUT', `${p.urls.evaluation}/api/v1/forum-posts/${no}`, {
        token: forum,
        body: { postId: `post-${no}`, posterId },
      });
    for (const other of ['u1', `someone-${no}`]) {
      const r = await putPoster(other);
      expect([other, r.status, r.body.code]).toEqual([other, 409, 'conflict']);
    }
    expect((await putPoster(`poster-${no}`)).status).toBe(200); // the same poster again: as it was
    expect((await vote(no, 'u1', 'unsatisfied')).body.code).toBe('already_voted');

    // Sent at once, one voter's different votes count once: the first taken, the other refused.
    const together = await Promise.all([vote(no, 'u4', 'satisfied'), vote(no, 'u4', 'unsatisfied')]);
    expect(together.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(together.find((r) => r.status === 409)!.body.code).toBe('already_voted');

    const now = await http('GET', `${p.urls.evaluation}/api/v1/votes/${no}`, { token: reviewer });
    const taken = together.find((r) => r.status === 200)!.body.verdict as string;
    expect(now.body).toMatchObject({
      status: 'open',
      poster: { verdict: posterVerdict, changed: true },
      others: {
        satisfied: taken === 'satisfied' ? 2 : 1,
        basically_satisfied: 0,
        unsatisfied: taken === 'unsatisfied' ? 1 : 0,
      },
    });
    // A voter registered as staff while the window is open loses its vote (staff cannot vote).
    expect((await vote(no, `later-staff-${no}`, 'unsatisfied')).status).toBe(200);
    const withIt = await http('GET', `${p.urls.evaluation}/api/v1/votes/${no}`, { token: reviewer });
    expect(withIt.body.others.unsatisfied).toBe(now.body.others.unsatisfied + 1);
    const registered = await http('POST', `${p.urls.evaluation}/api/v1/forum-staff-accounts`, {
      token: admin,
      body: { accountId: `later-staff-${no}` },
    });
    expect(registered.status).toBe(201);
    const without = await http('GET', `${p.urls.evaluation}/api/v1/votes/${no}`, { token: reviewer });
    expect(without.body.others).toEqual(now.body.others);
    const state = await eventually('the workflow drops it', async () => {
      const connection = await Connection.connect({ address: p.config.temporalAddress });
      try {
        const client = new Client({ connection, namespace: p.config.temporalNamespace });
        const s = await client.workflow.getHandle(`public-vote-${no}`).query<{ votes: object }>('vote');
        return `later-staff-${no}` in s.votes ? null : s;
      } finally {
        await connection.close();
      }
    });
    expect(Object.keys(state.votes)).toContain('u1');
    const opened = await p.db.query(`SELECT type FROM evaluation.events WHERE ticket_no = $1`, [no]);
    expect(opened.map((e: { type: string }) => e.type)).toContain('evaluation.vote_opened');
  });

  it('never makes a voter the poster after its vote, even when the vote and the registration come at once', async () => {
    for (let i = 0; i < 4; i++) {
      const no = await createTicket(p, operator, { channel: 'forum' });
      await eventually('signed', async () => {
        return (
          (await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, { token: clerk })).status ===
          200
        );
      });
      await replyApproved(p, crew(), no);
      await eventually('the window open', async () => {
        const r = await http('GET', `${p.urls.evaluation}/api/v1/votes/${no}`, { token: forum });
        return r.status === 200 && r.body.status === 'open';
      });
      const voter = `racer-${no}`;
      const [cast, registered] = await Promise.all([
        vote(no, voter, 'unsatisfied'),
        http('PUT', `${p.urls.evaluation}/api/v1/forum-posts/${no}`, {
          token: forum,
          body: { postId: `post-${no}`, posterId: voter },
        }),
      ]);
      expect(cast.status).toBe(200);
      // Either the registration came first (the vote is the poster's), or the vote did (the
      // registration is refused): never a vote taken as anyone's and then made the poster's.
      if (registered.status === 200) expect(cast.body.isPoster).toBe(true);
      else
        expect([registered.status, registered.body.code, cast.body.isPoster]).toEqual([
          409,
          'conflict',
          false,
        ]);
      const tally = await http('GET', `${p.urls.evaluation}/api/v1/votes/${no}`, { token: reviewer });
      expect(tally.body.poster === null).toBe(registered.status !== 200);
    }
  });

  it('hands a ticket the public rated unsatisfied to the expert evaluators, and no other', async () => {
    // Closed satisfied by SMS, both; the vote then closes unsatisfied on one and satisfied on the
    // other (its timer is 15 days: here the window is closed as the workflow's close activity does).
    const answers: ['sms', string][] = [['sms', 'satisfied']];
    const [rated, fine] = [
      await driveTicket(p, crew(), { extra: { channel: 'forum' }, answers }),
      await driveTicket(p, crew(), { extra: { channel: 'forum' }, answers }),
    ];
    for (const no of [rated, fine])
      await eventually('the window open', async () => {
        const r = await http('GET', `${p.urls.evaluation}/api/v1/votes/${no}`, { token: forum });
        return r.status === 200 && r.body.status === 'open';
      });
    const windows = new VoteRepository(p.db, p.config.kafkaPrefix);
    const others = { satisfied: 0, basically_satisfied: 0, unsatisfied: 0 };
    await windows.closeWindow(rated, {
      result: 'unsatisfied',
      posterVerdict: 'unsatisfied',
      posterDefaulted: false,
      others,
    });
    await windows.closeWindow(fine, {
      result: 'satisfied',
      posterVerdict: 'satisfied',
      posterDefaulted: true,
      others: { ...others, unsatisfied: 3 },
    });
    const expertCase = await eventually('the expert case', async () => {
      const r = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${rated}`, { token: reviewer });
      return r.status === 200 ? r.body : null;
    });
    expect(expertCase).toMatchObject({ ticketNo: rated, unitId: 'transport' });
    expect(['waiting_for_evaluator', 'assigned']).toContain(expertCase.status);
    const register = await http('GET', `${p.urls.evaluation}/api/v1/closed-tickets?limit=100`, {
      token: reviewer,
    });
    const row = (no: string) => register.body.items.find((t: { ticketNo: string }) => t.ticketNo === no);
    expect(row(rated)).toMatchObject({ outcome: 'satisfied', evaluationStatus: 'awaiting_expert' });
    // The others' unsatisfied votes decide nothing: no case for the ticket whose poster never voted.
    await eventually('the satisfied result taken in', async () => {
      const r = await p.db.query(
        `SELECT 1 FROM platform.inbox i JOIN evaluation.events e ON e.event_id = i.event_id
         WHERE i.consumer = 'evaluation.vote-outcomes' AND e.ticket_no = $1 AND e.type = 'evaluation.vote_closed'`,
        [fine],
      );
      return r.length === 1;
    });
    const none = await http('GET', `${p.urls.evaluation}/api/v1/expert-cases/${fine}`, { token: reviewer });
    expect(none.status).toBe(404);
    expect(row(fine)).toMatchObject({ evaluationStatus: 'done' });
  });

  it('has no window for other channels; the poster is registered for forum tickets only', async () => {
    const no = await approved();
    expect((await vote(no, 'u1', 'satisfied')).body.code).toBe('vote_window_not_open');
    const r = await http('PUT', `${p.urls.evaluation}/api/v1/forum-posts/${no}`, {
      token: forum,
      body: { postId: 'p', posterId: 'q' },
    });
    expect([r.status, r.body.code]).toEqual([409, 'action_rejected']);
  });

  it('reconsiders a GS complaint on request, once, and not an SQ ticket', async () => {
    // SQ (the active set) has no reconsideration.
    const sq = await driveTicket(p, crew(), { answers: [['sms', 'satisfied']] });
    const refused = await http('POST', `${p.urls.evaluation}/api/v1/reconsiderations`, {
      token: operator,
      body: { ticketNo: sq, reason: '市民对处理意见不满意' },
    });
    expect([refused.status, refused.body.code]).toEqual([409, 'action_rejected']);
    expect(refused.body.detail).toMatch(/no reconsideration/);
    // A reason that shows nothing is no reason: refused at the edge, before any rule.
    const blank = await http('POST', `${p.urls.evaluation}/api/v1/reconsiderations`, {
      token: operator,
      body: { ticketNo: sq, reason: '   \u200b ' },
    });
    expect([blank.status, blank.body.code]).toEqual([400, 'validation_failed']);

    let gs: string;
    await http('PUT', `${p.urls.intake}/api/v1/admin/active-policy-set`, {
      token: admin,
      body: { code: 'GS' },
    });
    try {
      gs = await driveTicket(p, crew(), { extra: { kind: 'complaint' }, approve: false });
    } finally {
      await http('PUT', `${p.urls.intake}/api/v1/admin/active-policy-set`, {
        token: admin,
        body: { code: 'SQ' },
      });
    }
    const open = await http('POST', `${p.urls.evaluation}/api/v1/reconsiderations`, {
      token: operator,
      body: { ticketNo: gs, reason: '尚未办结' },
    });
    expect([open.status, open.body.code]).toEqual([409, 'action_rejected']);
    await replyApproved(p, crew(), gs);
    await callbackAnswer(p, operator, gs, 'sms', 'satisfied');

    const asked = await http('POST', `${p.urls.evaluation}/api/v1/reconsiderations`, {
      token: operator,
      body: { ticketNo: gs, reason: '市民认为处理意见未回应其赔偿诉求，申请复查。' },
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ ticketNo: gs, status: 'requested', reminders: 0, overdue: false });
    // GS: 10 working days. Counted here from the calendar the administrator sees: the decision is
    // due at the end (China time) of the 10th working day after the day it was asked.
    expect(await workingDaysUntil(Date.parse(asked.body.requestedAt), Date.parse(asked.body.decideBy))).toBe(
      10,
    );
    const twice = await http('POST', `${p.urls.evaluation}/api/v1/reconsiderations`, {
      token: operator,
      body: { ticketNo: gs, reason: '再次申请' },
    });
    expect([twice.status, twice.body.code]).toEqual([409, 'conflict']);
    expect(
      (
        await http('POST', `${p.urls.evaluation}/api/v1/reconsiderations/${gs}/decision`, {
          token: operator,
          body: { outcome: 'upheld', decision: '维持' },
        })
      ).status,
    ).toBe(403);
    const decided = await eventually('decided', async () => {
      const r = await http('POST', `${p.urls.evaluation}/api/v1/reconsiderations/${gs}/decision`, {
        token: reviewer,
        body: { outcome: 'upheld', decision: '经复查，原处理意见事实清楚，予以维持。' },
      });
      return r.status === 200 ? r.body : null;
    });
    expect(decided).toMatchObject({
      status: 'decided',
      outcome: 'upheld',
      late: false,
      decidedBy: 'reviewer',
    });
    const again = await http('POST', `${p.urls.evaluation}/api/v1/reconsiderations/${gs}/decision`, {
      token: reviewer,
      body: { outcome: 'revised', decision: '改判' },
    });
    expect([again.status, again.body.code]).toEqual([409, 'conflict']);
    const events = await p.db.query(
      `SELECT type FROM evaluation.events WHERE ticket_no = $1 AND type LIKE 'evaluation.reconsideration%' ORDER BY occurred_at`,
      [gs],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'evaluation.reconsideration_requested',
      'evaluation.reconsideration_decided',
    ]);
  });
});
