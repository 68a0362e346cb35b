import { createHash } from 'node:crypto';
import { createTicket, driveTicket, eventually, http, login, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * The yearly archive on the real stack (RULES §8: "nothing is ever lost or silently changed;
 * records are archived by year"). Tickets closed in a past year are sealed with their records'
 * digests; a check later names every record changed since. The tickets here are driven to their
 * close through the public APIs now; their `ticket.closed` is then dated back into a past year
 * that no other run has sealed (the platform cannot close a ticket in the past by itself).
 */
describe('the yearly archive (e2e)', () => {
  let p: Platform;
  let admin: string;
  let auditor: string;
  let operator: string;
  let reviewer: string;
  let transport: string;
  let year: number;

  beforeAll(async () => {
    p = await startPlatform();
    [admin, auditor, operator, reviewer, transport] = await Promise.all(
      ['admin', 'auditor', 'operator', 'reviewer', 'clerk.transport'].map((u) => login(p.urls.intake, u)),
    );
    // 2001 stays unsealed for the security suites (their archive that does not exist).
    const [row] = await p.db.query(
      `SELECT y FROM generate_series(2002, 2024) AS y
       WHERE NOT EXISTS (SELECT 1 FROM records.archives a WHERE a.year = y) ORDER BY random() LIMIT 1`,
    );
    year = row.y;
  });
  // What this suite alters behind the platform's back, put back once it is done: other suites
  // recompute figures from the raw events over the same database (the satisfaction e2e by day).
  const restore: { id: string; occurredAt: Date; data: unknown }[] = [];
  async function alterEvents(sql: string, params: unknown[], where: string, whereParams: unknown[]) {
    const before: { id: string; occurredAt: Date; data: unknown }[] = await p.db.query(
      `SELECT event_id AS id, occurred_at AS "occurredAt", data FROM ticket.ticket_events WHERE ${where}`,
      whereParams,
    );
    restore.push(...before);
    await p.db.query(sql, params);
  }
  afterAll(async () => {
    for (const e of restore.reverse())
      await p.db.query(`UPDATE ticket.ticket_events SET occurred_at = $2, data = $3 WHERE event_id = $1`, [
        e.id,
        e.occurredAt,
        e.data,
      ]);
    await p?.stop();
  });

  const A = () => `${p.urls.intake}/api/v1/archives`;

  async function closedTicket(): Promise<string> {
    const crew = { operator, reviewer, clerk: transport };
    const no = await driveTicket(p, crew, { answers: [['sms', 'satisfied']] });
    await eventually('closed on the ledger', async () => {
      const t = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
      return t.body.status === 'closed';
    });
    return no;
  }

  async function attach(no: string, text: string): Promise<string> {
    const res = await fetch(`${p.urls.intake}/api/v1/tickets/${no}/attachments?name=x.pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/pdf' },
      body: Buffer.from(`%PDF-1.7\n${text}`),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { attachmentId: string }).attachmentId;
  }

  it('seals the tickets closed in a year over; a later check names each record changed since', async () => {
    const first = await closedTicket();
    const evidence = await attach(first, `evidence ${first}`);
    const second = await closedTicket();
    const closedNow = await closedTicket();
    const open = await createTicket(p, operator);
    await alterEvents(
      `UPDATE ticket.ticket_events SET occurred_at = $2 WHERE ticket_no = ANY($1) AND type = 'ticket.closed'`,
      [[first, second], `${year}-06-01T04:00:00Z`],
      `ticket_no = ANY($1) AND type = 'ticket.closed'`,
      [[first, second]],
    );

    const sealed = await http('POST', A(), { token: admin, body: { year } });
    expect(sealed.status).toBe(201);
    expect(sealed.body).toMatchObject({
      year,
      digestVersion: 1,
      ticketCount: 2,
      sealedBy: 'admin',
      alreadyApplied: false,
    });
    expect(sealed.body.rootDigest).toMatch(/^[0-9a-f]{64}$/);
    const entries = await http('GET', `${A()}/${year}/entries`, { token: auditor });
    expect(entries.body.total).toBe(2);
    const nos = (entries.body.items as { ticketNo: string; digest: string }[]).map((e) => e.ticketNo);
    expect(nos).toEqual([first, second].sort());
    expect(nos).not.toContain(closedNow);
    expect(nos).not.toContain(open);

    // Once per year: sealing it again is that seal.
    const again = await http('POST', A(), { token: admin, body: { year } });
    expect(again.body).toMatchObject({ rootDigest: sealed.body.rootDigest, alreadyApplied: true });
    const listed = await http('GET', A(), { token: auditor });
    expect(listed.body.items).toContainEqual(expect.objectContaining({ year, ticketCount: 2 }));

    const record = await http('GET', `${p.urls.intake}/api/v1/tickets/${first}`, { token: operator });
    const firstDigest = entries.body.items.find((e: { ticketNo: string }) => e.ticketNo === first).digest;
    expect(record.body.archive).toEqual({
      year,
      closedAt: `${year}-06-01T04:00:00.000Z`,
      digest: firstDigest,
      standingDigest: firstDigest,
      amendments: 0,
    });
    const notArchived = await http('GET', `${p.urls.intake}/api/v1/tickets/${closedNow}`, {
      token: operator,
    });
    expect(notArchived.body.archive).toBeNull();

    // The export: one line a record, by number; each line's SHA-256 is its sealed digest.
    const exported = async () => {
      const res = await fetch(`${A()}/${year}/export`, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="archive-${year}.ndjson"`);
      return (await res.text()).split('\n').filter(Boolean);
    };
    const sealedDigests = Object.fromEntries(
      (entries.body.items as { ticketNo: string; digest: string }[]).map((e) => [e.ticketNo, e.digest]),
    );
    const lines = await exported();
    expect(lines.map((l) => JSON.parse(l).ticket.ticketNo)).toEqual([first, second].sort());
    for (const line of lines)
      expect(createHash('sha256').update(line, 'utf8').digest('hex')).toBe(
        sealedDigests[JSON.parse(line).ticket.ticketNo],
      );
    expect(JSON.parse(lines[0]!).events.length).toBeGreaterThan(3);
    expect((await http('GET', `${A()}/${year}/export`, { token: auditor })).status).toBe(403);

    const check = () => http('GET', `${A()}/${year}/verification`, { token: auditor });
    expect((await check()).body).toMatchObject({
      year,
      checked: 2,
      unchanged: 2,
      changedCount: 0,
      changed: [],
      amendedCount: 0,
      rootIntact: true,
    });

    // A file of an archived record withdrawn (a wrong upload): the record is named as changed.
    const withdrawn = await http(
      'POST',
      `${p.urls.intake}/api/v1/tickets/${first}/attachments/${evidence}/withdrawal`,
      {
        token: operator,
        body: { reason: '误传' },
      },
    );
    expect(withdrawn.status).toBe(200);
    expect((await check()).body).toMatchObject({
      checked: 2,
      unchanged: 1,
      changedCount: 1,
      changed: [first],
      rootIntact: true,
    });

    // The centre stands by that change: the record is entered again with the reason (补充归档). The
    // seal stays as it was; the record is checked against the amendment from now on.
    const amend = (token: string, body: unknown, y: number | string = year) =>
      http('POST', `${A()}/${y}/amendments`, { token, body });
    const reason = '经办单位误传附件，已撤回。';
    const [one, two] = await Promise.all([
      amend(admin, { ticketNo: first, reason }),
      amend(admin, { ticketNo: first, reason }),
    ]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect([one.body.alreadyApplied, two.body.alreadyApplied].sort()).toEqual([false, true]);
    const amendment = one.body.alreadyApplied ? two.body : one.body;
    const lineOf = async (no: string) =>
      (await exported()).find((l) => JSON.parse(l).ticket.ticketNo === no)!;
    const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    expect(amendment).toMatchObject({
      ticketNo: first,
      year,
      previousDigest: firstDigest,
      digest: sha(await lineOf(first)),
      reason,
      amendedBy: 'admin',
    });
    expect((await check()).body).toMatchObject({
      checked: 2,
      unchanged: 2,
      changed: [],
      amendedCount: 1,
      amended: [first],
      rootIntact: true,
    });
    const listedAmendments = await http('GET', `${A()}/${year}/amendments`, { token: auditor });
    expect(listedAmendments.body).toMatchObject({ total: 1, items: [{ ticketNo: first, reason }] });
    const amendedEntry = (await http('GET', `${A()}/${year}/entries`, { token: auditor })).body.items.find(
      (e: { ticketNo: string }) => e.ticketNo === first,
    );
    expect(amendedEntry).toMatchObject({
      digest: firstDigest,
      standingDigest: amendment.digest,
      amendments: 1,
    });
    expect(
      (await http('GET', `${p.urls.intake}/api/v1/tickets/${first}`, { token: operator })).body.archive,
    ).toMatchObject({ digest: firstDigest, standingDigest: amendment.digest, amendments: 1 });
    // Nothing to amend on a record as sealed; nothing but the administrator amends; only a sealed ticket.
    const refusals = [
      [await amend(admin, { ticketNo: second, reason }), 409, 'archive_record_unchanged'],
      [await amend(admin, { ticketNo: first, reason: '   ' }), 400, 'validation_failed'],
      [await amend(admin, { ticketNo: first }), 400, 'validation_failed'],
      [await amend(admin, { ticketNo: 'x', reason }), 400, 'validation_failed'],
      [await amend(admin, { ticketNo: closedNow, reason }), 404, 'not_found'],
      [await amend(admin, { ticketNo: first, reason }, 2001), 404, 'not_found'],
      [await amend(auditor, { ticketNo: first, reason }), 403, 'forbidden'],
      [await amend(operator, { ticketNo: first, reason }), 403, 'forbidden'],
    ] as const;
    expect(refusals.map(([r]) => [r.status, r.body.code])).toEqual(refusals.map(([, s, c]) => [s, c]));
    expect((await http('GET', `${A()}/${year}/amendments`, { token: auditor })).body.total).toBe(1);
    await expect(
      p.db.query(`UPDATE records.archive_amendments SET reason = 'x' WHERE year = $1`, [year]),
    ).rejects.toThrow(/never changed/);

    // A file added to an archived record, an event altered behind the platform's back: both named.
    await attach(first, `added after the seal ${first}`);
    await alterEvents(
      `UPDATE ticket.ticket_events SET data = jsonb_set(data, '{content}', '"已修复。"')
       WHERE ticket_no = $1 AND type = 'ticket.replied'`,
      [second],
      `ticket_no = $1 AND type = 'ticket.replied'`,
      [second],
    );
    expect((await check()).body).toMatchObject({
      checked: 2,
      unchanged: 0,
      changedCount: 2,
      changed: [first, second].sort(),
      rootIntact: true,
    });
    // The export shows the records as they stand: their lines no longer give the sealed digests.
    for (const line of await exported())
      expect(createHash('sha256').update(line, 'utf8').digest('hex')).not.toBe(
        sealedDigests[JSON.parse(line).ticket.ticketNo],
      );

    // The seal itself is never changed.
    await expect(
      p.db.query(`UPDATE records.archive_entries SET digest = 'x' WHERE year = $1`, [year]),
    ).rejects.toThrow(/never changed/);
    await expect(p.db.query(`DELETE FROM records.archives WHERE year = $1`, [year])).rejects.toThrow(
      /never changed/,
    );
  });

  it('refuses a year not over, what is not a year, and anyone but the administrator', async () => {
    const seal = (token: string, body: unknown) => http('POST', A(), { token, body });
    const thisYear = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const open = await seal(admin, { year: thisYear });
    expect({ status: open.status, code: open.body.code }).toEqual({ status: 409, code: 'archive_year_open' });
    for (const year of [1999, '2024', 2024.5, null]) expect((await seal(admin, { year })).status).toBe(400);
    expect((await seal(operator, { year: 2024 })).status).toBe(403);
    expect((await seal(auditor, { year: 2024 })).status).toBe(403);
    expect((await http('GET', A(), { token: operator })).status).toBe(403);
    for (const path of ['2001', '2001/entries', '2001/verification', 'abc', '99999'])
      expect((await http('GET', `${A()}/${path}`, { token: auditor })).status).toBe(404);
  });
});
