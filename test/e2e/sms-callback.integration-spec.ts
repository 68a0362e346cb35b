import { randomInt } from 'node:crypto';
import { LocalSmsGateway, PiiCipher, SmsSender } from '@hotline/platform';
import { driveTicket, eventually, http, login, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * The SMS callback on the real stack (RULES §4): the workflow asks, the evaluation service texts
 * the citizen once per round (the local gateway records it), and the reply comes back through the
 * provider's webhook or the local gateway: 1/2/3 or the words apply, anything else goes to an
 * operator, and a reply that cannot be placed is recorded and ignored.
 */
describe('SMS callback (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let clerk: string;
  const TOKEN = 'sms-webhook-token-for-tests-0123456789';
  const phone = () => `139${String(randomInt(10_000_000, 99_999_999))}`;

  beforeAll(async () => {
    process.env.SMS_WEBHOOK_TOKEN = TOKEN;
    p = await startPlatform();
    [operator, reviewer, clerk] = await Promise.all(
      ['operator', 'reviewer', 'clerk.transport'].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  /** A ticket whose reply is approved: the workflow then asks the citizen by SMS. */
  async function atSmsCallback(
    complainantPhone: string,
  ): Promise<{ no: string; messageId: string; body: string }> {
    const no = await driveTicket(p, { operator, reviewer, clerk }, { extra: { complainantPhone } });
    const sent = await eventually('the callback SMS', async () => {
      const r = await http(
        'GET',
        `${p.urls.evaluation}/api/v1/sms/local/messages?ticketNo=${no}&purpose=callback`,
        { token: operator },
      );
      // The row is written 'pending' before the gateway is called and marked 'sent' after it.
      const items = r.body.items ?? [];
      return items.length > 0 && items.every((m: { status: string }) => m.status !== 'pending')
        ? items
        : null;
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ purpose: 'callback', round: 1, status: 'sent', key: `callback:${no}:1` });
    return { no, messageId: sent[0].id, body: sent[0].body };
  }

  const ledger = (no: string) => http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
  const reply = (messageId: string, text: string) =>
    http('POST', `${p.urls.evaluation}/api/v1/sms/local/messages/${messageId}/reply`, {
      token: operator,
      body: { text },
    });

  it('texts the citizen once, in Chinese, masked in the list; "1" closes the ticket as satisfied', async () => {
    const number = phone();
    const { no, messageId, body } = await atSmsCallback(number);
    expect(body).toBe(
      `【12345热线】您反映的${no}号诉求已办结，请评价办理结果：回复1满意，2基本满意，3不满意。感谢您的支持！`,
    );
    const list = await http(
      'GET',
      `${p.urls.evaluation}/api/v1/sms/local/messages?ticketNo=${no}&purpose=callback`,
      { token: operator },
    );
    expect(list.body.items[0].to).toBe(`${number.slice(0, 3)}****${number.slice(-4)}`);
    const raw = await p.db.query(`SELECT recipient FROM evaluation.sms_messages WHERE id = $1`, [messageId]);
    expect(JSON.stringify(raw)).not.toContain(number);

    const r = await reply(messageId, '１');
    expect(r.body).toMatchObject({ ticketNo: no, outcome: 'applied', verdict: 'satisfied' });
    await eventually('closed satisfied', async () => {
      const t = await ledger(no);
      const closed = (t.body.history as { type: string; data: { outcome?: string } }[]).find(
        (e) => e.type === 'ticket.closed',
      );
      return t.body.status === 'closed' && closed?.data.outcome === 'satisfied';
    });
    // Replying again to a callback already answered: recorded, ignored.
    expect((await reply(messageId, '3')).body).toMatchObject({ outcome: 'ignored_closed', verdict: null });
    const replies = await p.db.query(
      `SELECT outcome, verdict FROM evaluation.sms_replies WHERE ticket_no = $1 ORDER BY received_at`,
      [no],
    );
    expect(replies).toEqual([
      { outcome: 'applied', verdict: 'satisfied' },
      { outcome: 'ignored_closed', verdict: null },
    ]);
  });

  it('an answer it cannot read goes to the manual callback; a number it never texted is ignored', async () => {
    const { no, messageId } = await atSmsCallback(phone());
    const stranger = await http('POST', `${p.urls.evaluation}/api/v1/sms/inbound`, {
      headers: { 'x-sms-webhook-token': TOKEN },
      body: { from: '13600000001', text: '1' },
    });
    expect(stranger.body).toMatchObject({ outcome: 'ignored_unknown_sender', ticketNo: null });
    expect((await ledger(no)).body.status).toBe('callback');

    expect((await reply(messageId, '还行吧，路修了但是很慢')).body).toMatchObject({
      outcome: 'needs_manual',
    });
    await eventually('a manual callback asked', async () => {
      const h = (await ledger(no)).body.history as { type: string; data: { mode?: string } }[];
      const asked = h.filter((e) => e.type === 'ticket.callback_requested');
      return asked.at(-1)?.data.mode === 'manual';
    });
  });

  it('a reply after the wait ended is recorded and ignored; a reply without a sender is refused', async () => {
    const number = phone();
    const { no } = await atSmsCallback(number);
    const nobody = await http('POST', `${p.urls.evaluation}/api/v1/sms/inbound`, {
      headers: { 'x-sms-webhook-token': TOKEN },
      body: { text: '1' },
    });
    expect([nobody.status, nobody.body.code]).toEqual([400, 'validation_failed']);
    const farFuture = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString();
    const r = await http('POST', `${p.urls.evaluation}/api/v1/sms/inbound`, {
      headers: { 'x-sms-webhook-token': TOKEN },
      body: { from: number, text: '1', receivedAt: farFuture },
    });
    expect(r.body).toMatchObject({ outcome: 'ignored_late', ticketNo: no });
    expect((await ledger(no)).body.status).toBe('callback');
  });

  it('refuses the webhook without its token', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'x-sms-webhook-token': 'wrong' },
      { 'x-sms-webhook-token': `${TOKEN}x` },
    ];
    for (const headers of attempts) {
      const r = await http('POST', `${p.urls.evaluation}/api/v1/sms/inbound`, {
        headers,
        body: { from: '13600000001', text: '1' },
      });
      expect([r.status, r.body.code]).toEqual([401, 'unauthenticated']);
    }
    // Checked before the body: without the token, a bad body tells nothing of what is taken.
    for (const body of [{}, { text: '1' }, { from: 'x'.repeat(500), text: 1 }]) {
      const r = await http('POST', `${p.urls.evaluation}/api/v1/sms/inbound`, { body });
      expect([r.status, r.body.code, r.body.errors]).toEqual([401, 'unauthenticated', undefined]);
    }
    // Before the body is even read: neither its type nor its syntax is told to a caller without it.
    const notJson: [type: string, raw: string, withToken: number][] = [
      ['text/plain', 'from=13600000001&text=1', 415],
      ['application/x-www-form-urlencoded', 'from=13600000001&text=1', 415],
      ['application/xml', '<sms><from>13600000001</from></sms>', 415],
      ['application/json', '{"from":', 400],
    ];
    for (const [type, raw, withToken] of notJson) {
      const r = await http('POST', `${p.urls.evaluation}/api/v1/sms/inbound`, {
        headers: { 'content-type': type },
        raw,
      });
      expect([type, r.status, r.body.code]).toEqual([type, 401, 'unauthenticated']);
      const taken = await http('POST', `${p.urls.evaluation}/api/v1/sms/inbound`, {
        headers: { 'content-type': type, 'x-sms-webhook-token': TOKEN },
        raw,
      });
      expect([type, taken.status]).toEqual([type, withToken]);
    }
  });

  it('sends one text per key, even when asked twice at once (a redelivered event, a retried activity)', async () => {
    let calls = 0;
    const gateway = new (class extends LocalSmsGateway {
      override async send(msg: { id: string }) {
        calls++;
        return super.send(msg);
      }
    })();
    const sender = new SmsSender(p.db, PiiCipher.fromEnv(process.env), gateway);
    const key = `test:${phone()}`;
    const sms = {
      key,
      purpose: 'callback' as const,
      ticketNo: null,
      to: phone(),
      template: 'callback' as const,
      params: { ticketNo: 'x' },
    };
    const results = await Promise.all([sender.sendOnce(sms), sender.sendOnce(sms), sender.sendOnce(sms)]);
    expect(calls).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
    const rows = await p.db.query(
      `SELECT count(*)::int AS n FROM evaluation.sms_messages WHERE send_key = $1`,
      [key],
    );
    expect(rows[0].n).toBe(1);
  });
});
