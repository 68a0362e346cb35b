import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { PiiCipher } from '@hotline/platform';
import type { SmsSender, TicketLedgerRepository } from '@hotline/platform';
import { SmsService } from './sms.service';
import type { SmsRepository } from './sms.repository';

/**
 * Where a citizen's reply goes, with fakes around the rule: only a reply in time to the SMS the
 * ticket still waits for is applied; a late one is late even after the workflow moved on.
 */
describe('SmsService: placing a reply', () => {
  const pii = new PiiCipher({ keys: [['k1', randomBytes(32)]], indexKey: randomBytes(32) });
  const NO = '20261124000001';
  const DUE = '2026-11-25T08:00:00.000Z';
  const asked = (mode: string, round: number, dueAt = DUE) => ({
    type: 'ticket.callback_requested',
    data: { mode, round, dueAt },
  });
  const answered = (mode: string, round: number, verdict: string | null) => ({
    type: 'ticket.callback_answered',
    data: { mode, round, verdict },
  });

  function service(history: object[], known = true) {
    const updates: unknown[] = [];
    const replies: { outcome: string }[] = [];
    const temporal = {
      withDeadline: <R>(_deadline: number, fn: () => Promise<R>) => fn(),
      workflow: {
        getHandle: () => ({
          executeUpdate: async (_name: string, opts: { args: unknown[] }) => {
            updates.push(opts.args[0]);
            return { ticketNo: NO, status: 'closed', alreadyApplied: false };
          },
        }),
      },
    } as unknown as Client;
    const repo = {
      latestCallbackTo: async () => (known ? { id: 'm1', ticketNo: NO, round: 1 } : null),
      recordReply: async (r: { outcome: string }) => void replies.push(r),
    } as unknown as SmsRepository;
    const ledger = { history: async () => history } as unknown as TicketLedgerRepository;
    const s = new SmsService(temporal, 'local', {} as SmsSender, repo, ledger, pii);
    return { s, updates, replies };
  }
  const before = '2026-11-25T07:59:00.000Z';
  const after = '2026-11-25T08:01:00.000Z';

  it('applies a reply in time to the SMS the ticket waits for', async () => {
    const { s, updates } = service([asked('sms', 1)]);
    expect(await s.receive({ from: '13800138000', text: '2', receivedAt: before })).toMatchObject({
      outcome: 'applied',
      verdict: 'basically_satisfied',
    });
    expect(updates).toEqual([expect.objectContaining({ mode: 'sms', verdict: 'basically_satisfied' })]);
  });

  it('sends an unreadable answer on to the manual callback', async () => {
    const { s, updates } = service([asked('sms', 1)]);
    expect((await s.receive({ from: '13800138000', text: '路还没修好', receivedAt: before })).outcome).toBe(
      'needs_manual',
    );
    expect(updates).toEqual([expect.objectContaining({ verdict: null })]);
  });

  it('a reply after the wait is late, also once the workflow has moved on to the phone call', async () => {
    const moved = [asked('sms', 1), answered('sms', 1, null), asked('manual', 1)];
    for (const history of [[asked('sms', 1)], moved]) {
      const { s, updates, replies } = service(history);
      expect((await s.receive({ from: '13800138000', text: '1', receivedAt: after })).outcome).toBe(
        'ignored_late',
      );
      expect(updates).toEqual([]);
      expect(replies.map((r) => r.outcome)).toEqual(['ignored_late']);
    }
  });

  it('in time but already answered, or the ticket moved on: recorded and ignored', async () => {
    for (const history of [
      [asked('sms', 1), answered('sms', 1, 'satisfied')],
      [asked('sms', 1), answered('sms', 1, 'unsatisfied'), asked('manual', 1)],
    ]) {
      const { s, updates } = service(history);
      expect((await s.receive({ from: '13800138000', text: '1', receivedAt: before })).outcome).toBe(
        'ignored_closed',
      );
      expect(updates).toEqual([]);
    }
  });

  it('a number never texted is ignored without looking at any ticket', async () => {
    const { s, updates } = service([asked('sms', 1)], false);
    expect(await s.receive({ from: '13600000001', text: '1', receivedAt: before })).toMatchObject({
      outcome: 'ignored_unknown_sender',
      ticketNo: null,
    });
    expect(updates).toEqual([]);
  });
});

describe('SmsService: the SMS at intake', () => {
  const pii = new PiiCipher({ keys: [['k1', randomBytes(32)]], indexKey: randomBytes(32) });
  const NO = '20261206000007';

  function service(row: object | null) {
    const sent: object[] = [];
    const sender = { sendOnce: async (m: object) => void sent.push(m) } as unknown as SmsSender;
    const ledger = { find: async () => row } as unknown as TicketLedgerRepository;
    const s = new SmsService({} as Client, 'local', sender, {} as SmsRepository, ledger, pii);
    return { s, sent };
  }

  it('texts the complainant the number and the query code the look-up takes', async () => {
    const { s, sent } = service({ complainantPhone: '13800138000', disposition: { type: 'dispatch' } });
    await s.sendIntakeNotice(NO);
    expect(sent).toEqual([
      {
        key: `intake:${NO}`,
        purpose: 'accepted',
        template: 'accepted',
        ticketNo: NO,
        to: '13800138000',
        params: { ticketNo: NO, queryCode: pii.queryCode(NO) },
      },
    ]);
    expect(pii.queryCodeMatches(NO, (sent[0] as { params: { queryCode: string } }).params.queryCode)).toBe(
      true,
    );
  });

  it('not accepted: the reason, under the same key', async () => {
    const { s, sent } = service({
      complainantPhone: '13800138000',
      disposition: { type: 'not_accepted', reason: 'emergency_service', guidance: '请拨打110' },
    });
    await s.sendIntakeNotice(NO);
    expect(sent).toEqual([
      expect.objectContaining({
        key: `intake:${NO}`,
        purpose: 'not_accepted',
        params: expect.objectContaining({
          reason: '属于110、119、120、水上搜救等紧急救助事项，情况紧急请立即拨打110、119、120',
        }),
      }),
    ]);
  });

  it('nothing to an anonymous complainant, a number that takes no SMS, or an unknown ticket', async () => {
    for (const row of [
      { complainantPhone: null },
      { complainantPhone: '转分机' },
      { complainantPhone: '025-83331234' }, // a landline takes no SMS
      { complainantPhone: '12345' },
      null,
    ]) {
      const { s, sent } = service(row);
      await s.sendIntakeNotice(NO);
      expect(sent).toEqual([]);
    }
  });
});
