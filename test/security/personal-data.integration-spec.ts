import { randomBytes, randomInt } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  countStalePersonalData,
  MIGRATIONS,
  PiiCipher,
  sealTicketPersonalData,
  ticketPiiAad,
  TicketLedgerRepository,
} from '@hotline/platform';
import { PERSONAL_DATA_SEARCH_LIMIT } from '@hotline/shared';
import { eventually, http, login, startPlatform } from '../harness';
import type { HttpResult, Platform } from '../harness';

/**
 * The complainant's personal data (PIPL art. 6, 28, 51) over HTTP and in the database: stored
 * encrypted, masked for every role, revealed only with a reason and on the record, the record
 * append-only and read by the auditor, found by phone through the blind index, keys rotated.
 */
describe('personal data', () => {
  let p: Platform;
  const token: Record<string, string> = {};
  const NAME = '欧阳娜娜';
  const PHONE = '13912345678';
  const ticket = {
    channel: 'phone',
    kind: 'complaint',
    category: 'road',
    regionCode: 'gulou',
    title: '中山路人行道破损',
    content: '中山路128号门前人行道地砖松动多块，请尽快维修。',
    complainantName: NAME,
    complainantPhone: PHONE,
  };
  let ticketNo: string;

  const create = async (body: Record<string, unknown>): Promise<string> => {
    const r = await http('POST', `${p.urls.intake}/api/v1/tickets`, { token: token.operator, body });
    expect(r.status).toBe(201);
    return r.body.ticketNo;
  };
  const expectPersonalHeaders = (r: HttpResult) => {
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
  };

  beforeAll(async () => {
    p = await startPlatform();
    for (const u of [
      'operator',
      'reviewer',
      'supervisor',
      'admin',
      'evaluator',
      'auditor',
      'clerk.transport',
    ])
      token[u] = await login(p.urls.intake, u);
    ticketNo = await create(ticket);
  });

  afterAll(async () => {
    await p?.stop();
  });

  it('stores name and phone encrypted: neither appears in the row, the events or the outbox', async () => {
    // Wait until the workflow dispatched it, so its events are recorded too.
    await eventually('the ticket dispatched', async () => {
      const [r] = await p.db.query(`SELECT status FROM ticket.tickets WHERE ticket_no = $1`, [ticketNo]);
      return r.status === 'dispatched';
    });
    const [row] = await p.db.query(`SELECT to_jsonb(t) AS row FROM ticket.tickets t WHERE ticket_no = $1`, [
      ticketNo,
    ]);
    const raw = JSON.stringify(row.row);
    for (const secret of [NAME, PHONE, PHONE.slice(-8), '欧阳']) expect(raw).not.toContain(secret);
    expect(row.row.complainant_name).toMatch(/^v1:test1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(row.row.complainant_phone).toMatch(/^v1:test1:/);
    expect(row.row.complainant_phone_index).toMatch(/^[0-9a-f]{64}$/);

    const events = await p.db.query(
      `SELECT to_jsonb(e) AS e FROM ticket.ticket_events e WHERE ticket_no = $1`,
      [ticketNo],
    );
    const outbox = await p.db.query(`SELECT payload FROM platform.outbox WHERE message_key = $1`, [ticketNo]);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(outbox.length).toBe(events.length);
    for (const secret of [NAME, PHONE, PHONE.slice(-8)]) {
      expect(JSON.stringify(events)).not.toContain(secret);
      expect(JSON.stringify(outbox)).not.toContain(secret);
    }

    // Each value is bound to its ticket and column: moved elsewhere, it does not decrypt.
    const cipher = PiiCipher.fromEnv(process.env);
    expect(cipher.decrypt(row.row.complainant_phone, ticketPiiAad(ticketNo, 'complainant_phone'))).toBe(
      PHONE,
    );
    expect(() =>
      cipher.decrypt(row.row.complainant_phone, ticketPiiAad(ticketNo, 'complainant_name')),
    ).toThrow(/another row or field/);
    expect(() =>
      cipher.decrypt(row.row.complainant_phone, ticketPiiAad('20000101000001', 'complainant_phone')),
    ).toThrow(/another row or field/);
  });

  it('shows every role the complainant masked, in lists and details, with no-store and nosniff', async () => {
    const masked = { complainantName: '欧***', complainantPhone: '139****5678' };
    for (const role of ['operator', 'reviewer', 'supervisor', 'admin']) {
      const detail = await http('GET', `${p.urls.intake}/api/v1/tickets/${ticketNo}`, { token: token[role] });
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject(masked);
      expectPersonalHeaders(detail);
      const list = await http('GET', `${p.urls.intake}/api/v1/tickets?limit=200`, { token: token[role] });
      expect(list.status).toBe(200);
      expect(list.body.items.find((t: { ticketNo: string }) => t.ticketNo === ticketNo)).toMatchObject(
        masked,
      );
      expect(JSON.stringify(list.body)).not.toContain(PHONE);
      expect(JSON.stringify(list.body)).not.toContain(NAME);
      expectPersonalHeaders(list);
    }
    const desk = await eventually('the ticket on the transport desk', async () => {
      const r = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${ticketNo}`, {
        token: token['clerk.transport'],
      });
      return r.status === 200 ? r : null;
    });
    expect(desk.body).toMatchObject(masked);
    expectPersonalHeaders(desk);
    const deskList = await http('GET', `${p.urls.dispatch}/api/v1/tickets`, {
      token: token['clerk.transport'],
    });
    expect(JSON.stringify(deskList.body)).not.toContain(PHONE);
    expectPersonalHeaders(deskList);
    // Roles that do not handle tickets see none.
    for (const role of ['evaluator', 'auditor']) {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets`, { token: token[role] });
      expect(r.status).toBe(403);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const health = await http('GET', `${p.urls.intake}/health`);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('reveals the plain values to the centre with a reason, on the record; never to units', async () => {
    const reveal = (who: string, body?: unknown) =>
      http('POST', `${p.urls.intake}/api/v1/tickets/${ticketNo}/complainant/reveal`, {
        token: token[who],
        body,
        headers: { 'user-agent': 'personal-data-spec' },
      });
    const logRows = async () =>
      (
        await p.db.query(`SELECT count(*)::int AS n FROM audit.personal_data_access WHERE ticket_no = $1`, [
          ticketNo,
        ])
      )[0].n as number;

    const noReason = await reveal('supervisor', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('validation_failed');
    const blank = await reveal('supervisor', { reason: '   ab   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.code).toBe('validation_failed');
    for (const who of ['clerk.transport', 'evaluator', 'auditor']) {
      const r = await reveal(who, { reason: '人工回访需要电话' });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('forbidden');
    }
    expect(await logRows()).toBe(0);

    const ok = await reveal('supervisor', { reason: '督办核实：需联系来电人' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      ticketNo,
      complainantName: NAME,
      complainantPhone: PHONE,
      confidential: false,
    });
    expectPersonalHeaders(ok);
    expect(await logRows()).toBe(1);
    const [log] = await p.db.query(`SELECT * FROM audit.personal_data_access WHERE id = $1`, [
      ok.body.accessId,
    ]);
    expect(log).toMatchObject({
      user_id: 'supervisor',
      username: 'supervisor',
      role: 'supervisor',
      action: 'reveal',
      ticket_no: ticketNo,
      fields: ['complainantName', 'complainantPhone'],
      reason: '督办核实：需联系来电人',
      user_agent: 'personal-data-spec',
    });
    expect(log.request_address).toMatch(/127\.0\.0\.1/);

    const unknown = await http('POST', `${p.urls.intake}/api/v1/tickets/20000101999999/complainant/reveal`, {
      token: token.operator,
      body: { reason: '人工回访需要电话' },
    });
    expect(unknown.status).toBe(404);
  });

  it('keeps the access log append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await expect(p.db.query(`UPDATE audit.personal_data_access SET reason = 'changed'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(p.db.query(`DELETE FROM audit.personal_data_access`)).rejects.toThrow(/append-only/);
    await expect(p.db.query(`TRUNCATE audit.personal_data_access`)).rejects.toThrow(/append-only/);
    const [{ n }] = await p.db.query(`SELECT count(*)::int AS n FROM audit.personal_data_access`);
    expect(n).toBeGreaterThanOrEqual(1);
  });

  it('lets the auditor, and only the auditor, read the log with filters and pages', async () => {
    await http('POST', `${p.urls.intake}/api/v1/tickets/${ticketNo}/complainant/reveal`, {
      token: token.operator,
      body: { reason: '人工回访：短信未回复' },
    });
    const url = `${p.urls.intake}/api/v1/audit/personal-data-access`;
    const all = await http('GET', `${url}?ticketNo=${ticketNo}`, { token: token.auditor });
    expect(all.status).toBe(200);
    expectPersonalHeaders(all);
    expect(all.body.total).toBe(2);
    expect(all.body.items.map((i: { username: string }) => i.username)).toEqual(['operator', 'supervisor']);
    expect(all.body.items[1]).toMatchObject({
      userId: 'supervisor',
      role: 'supervisor',
      action: 'reveal',
      ticketNo,
      fields: ['complainantName', 'complainantPhone'],
      reason: '督办核实：需联系来电人',
    });
    const bySupervisor = await http('GET', `${url}?username=supervisor&ticketNo=${ticketNo}`, {
      token: token.auditor,
    });
    expect(bySupervisor.body.items.every((i: { username: string }) => i.username === 'supervisor')).toBe(
      true,
    );
    expect(bySupervisor.body.total).toBe(1);
    const byUserId = await http('GET', `${url}?userId=operator&ticketNo=${ticketNo}`, {
      token: token.auditor,
    });
    expect(byUserId.body.total).toBe(1);
    const page = await http('GET', `${url}?ticketNo=${ticketNo}&limit=1&offset=1`, { token: token.auditor });
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.body.items.map((i: { username: string }) => i.username)).toEqual(['supervisor']);
    const future = new Date(Date.now() + 3600_000).toISOString();
    const none = await http('GET', `${url}?from=${encodeURIComponent(future)}`, { token: token.auditor });
    expect(none.body.total).toBe(0);
    const past = await http('GET', `${url}?to=${encodeURIComponent('2000-01-01T00:00:00Z')}`, {
      token: token.auditor,
    });
    expect(past.body.total).toBe(0);
    const badTime = await http('GET', `${url}?from=yesterday`, { token: token.auditor });
    expect(badTime.status).toBe(400);
    // A span that ends before it begins: 400, as the ledger's days are, not an empty page.
    const backwards = await http('GET', `${url}?from=2026-12-08T00:00:00Z&to=2026-12-01T00:00:00Z`, {
      token: token.auditor,
    });
    expect([backwards.status, backwards.body.code, backwards.body.field]).toEqual([
      400,
      'validation_failed',
      'from',
    ]);
    for (const who of ['supervisor', 'admin', 'operator', 'clerk.transport']) {
      const r = await http('GET', url, { token: token[who] });
      expect(r.status).toBe(403);
    }
  });

  it("finds a caller's earlier tickets by phone through the blind index", async () => {
    const second = await create({ ...ticket, complainantPhone: '+86-139-1234-5678', title: '又一次来电' });
    const other = await create({ ...ticket, complainantPhone: '13900000000' });
    const search = await http('GET', `${p.urls.intake}/api/v1/tickets?complainantPhone=13912345678`, {
      token: token.operator,
    });
    expect(search.status).toBe(200);
    expectPersonalHeaders(search);
    const found = search.body.items.map((t: { ticketNo: string }) => t.ticketNo);
    expect(found).toEqual([second, ticketNo]);
    expect(found).not.toContain(other);
    expect(search.body.total).toBe(2);
    expect(search.body.items[0].complainantPhone).toBe('139****5678');
    // A number no ticket has: the suites share the database, so not a fixed one another may use.
    const unused = `100${String(randomInt(0, 10 ** 8)).padStart(8, '0')}`;
    const none = await http('GET', `${p.urls.intake}/api/v1/tickets?complainantPhone=${unused}`, {
      token: token.operator,
    });
    expect(none.body.total).toBe(0);
    // Each ticket a search found is on the record, under that ticket.
    const logged = await http(
      'GET',
      `${p.urls.intake}/api/v1/audit/personal-data-access?ticketNo=${second}`,
      { token: token.auditor },
    );
    expect(logged.body.items).toEqual([
      expect.objectContaining({ action: 'search', username: 'operator', fields: ['complainantPhone'] }),
    ]);
    const searches = await p.db.query(
      `SELECT ticket_no FROM audit.personal_data_access WHERE action = 'search' AND ticket_no = ANY($1)
       ORDER BY ticket_no`,
      [[ticketNo, second, other]],
    );
    expect(searches.map((r: { ticket_no: string }) => r.ticket_no)).toEqual([ticketNo, second].sort());
    // Every ticket matched is logged, not only the page answered: a search past its last page
    // (its `total` still answers whether the number is a caller's) leaves its rows too.
    const baseline = (
      await p.db.query(`SELECT coalesce(max(id), 0)::text AS id FROM audit.personal_data_access`)
    )[0].id as string;
    const rowsOf = async (username: string) =>
      (
        await p.db.query(
          `SELECT ticket_no FROM audit.personal_data_access
           WHERE action = 'search' AND username = $1 AND id > $2::bigint ORDER BY id`,
          [username, baseline],
        )
      ).map((r: { ticket_no: string | null }) => r.ticket_no);
    const reviewerId = 'reviewer';
    const beyond = await http(
      'GET',
      `${p.urls.intake}/api/v1/tickets?complainantPhone=13912345678&offset=100`,
      { token: token.reviewer },
    );
    expect([beyond.body.items.length, beyond.body.total]).toEqual([0, 2]);
    expect((await rowsOf(reviewerId)).sort()).toEqual([ticketNo, second].sort());
    // A search that found nothing is on the log too, without a ticket.
    await http('GET', `${p.urls.intake}/api/v1/tickets?complainantPhone=${unused}`, {
      token: token.reviewer,
    });
    expect((await rowsOf(reviewerId)).filter((t: string | null) => t === null)).toHaveLength(1);
    // A number as long as a phone's in the words searched is such a search as well.
    await http('GET', `${p.urls.intake}/api/v1/tickets?q=${unused}`, { token: token.reviewer });
    expect((await rowsOf(reviewerId)).filter((t: string | null) => t === null)).toHaveLength(2);
    // So is the number split into pieces, each matched on its own.
    await http(
      'GET',
      `${p.urls.intake}/api/v1/tickets?q=${encodeURIComponent(`${unused.slice(0, 6)} ${unused.slice(6)}`)}`,
      {
        token: token.reviewer,
      },
    );
    expect((await rowsOf(reviewerId)).filter((t: string | null) => t === null)).toHaveLength(3);
    // Short words are not: nothing more is logged.
    await http('GET', `${p.urls.intake}/api/v1/tickets?q=${encodeURIComponent('噪音 128号')}`, {
      token: token.reviewer,
    });
    expect(await rowsOf(reviewerId)).toHaveLength(5);
    // The same search with the phone in a body (POST …/search), out of URLs and request logs:
    // the same answer, logged the same way; a bad phone there is a 400 as in the query.
    const posted = await http('POST', `${p.urls.intake}/api/v1/tickets/search`, {
      token: token.reviewer,
      body: { complainantPhone: '13912345678', limit: 20 },
    });
    expect([posted.status, posted.body.total]).toEqual([200, 2]);
    expect(posted.body.items.map((t: { ticketNo: string }) => t.ticketNo)).toEqual([second, ticketNo]);
    expect((await rowsOf(reviewerId)).slice(5).sort()).toEqual([ticketNo, second].sort());
    for (const body of [{ complainantPhone: 'abc' }, { limit: 0 }, { unknownFilter: 1 }]) {
      const bad = await http('POST', `${p.urls.intake}/api/v1/tickets/search`, {
        token: token.reviewer,
        body,
      });
      expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    }
    // A user makes only so many such searches (a masked phone leaves four digits to guess).
    const [{ made }] = await p.db.query(
      `SELECT count(DISTINCT occurred_at)::int AS made FROM audit.personal_data_access
       WHERE action = 'search' AND username = 'admin' AND occurred_at > now() - interval '10 minutes'`,
    );
    const budget = PERSONAL_DATA_SEARCH_LIMIT.searches;
    for (let i = made; i < budget; i++) {
      const guess = `139${String(i).padStart(8, '0')}`;
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets?complainantPhone=${guess}`, {
        token: token.admin,
      });
      expect([guess, r.status]).toEqual([guess, 200]);
    }
    const over = await http('GET', `${p.urls.intake}/api/v1/tickets?complainantPhone=13912345678`, {
      token: token.admin,
    });
    expect([over.status, over.body.code, over.headers.get('retry-after')]).toEqual([
      429,
      'rate_limited',
      '600',
    ]);
    // Other users, and the admin's other lists, are not held by it.
    expect(
      (await http('GET', `${p.urls.intake}/api/v1/tickets?limit=1`, { token: token.admin })).status,
    ).toBe(200);
    const bad = await http('GET', `${p.urls.intake}/api/v1/tickets?complainantPhone=abc`, {
      token: token.operator,
    });
    expect(bad.status).toBe(400);
    const unit = await http('GET', `${p.urls.intake}/api/v1/tickets?complainantPhone=13912345678`, {
      token: token['clerk.transport'],
    });
    expect(unit.status).toBe(403);
  });

  it('rotates keys: written under k1, re-encrypted under k2, readable once k1 is gone', async () => {
    const k1 = PiiCipher.fromEnv(process.env);
    const indexKey = Buffer.from(process.env.HOTLINE_PII_INDEX_KEY!, 'base64');
    const k2Key = randomBytes(32);
    const keyOf = (kid: string) =>
      Buffer.from(
        process.env
          .HOTLINE_PII_KEYS!.split(',')
          .find((k) => k.startsWith(`${kid}:`))!
          .split(':')[1],
        'base64',
      );
    const k2First = new PiiCipher({
      keys: [
        ['k2', k2Key],
        ['test1', keyOf('test1')],
      ],
      indexKey,
    });
    const k2Only = new PiiCipher({ keys: [['k2', k2Key]], indexKey });
    // Every ticket with personal data in this run's database (other spec files' too).
    const before = await p.db.query(
      `SELECT count(*)::int AS n FROM ticket.tickets WHERE complainant_name IS NOT NULL OR complainant_phone IS NOT NULL`,
    );
    expect(before[0].n).toBeGreaterThanOrEqual(3);
    expect(await countStalePersonalData(p.db, k2First)).toBe(before[0].n);

    const progress: [number, number][] = [];
    const result = await sealTicketPersonalData(p.db, k2First, {
      batchSize: 2,
      onProgress: (d, t) => progress.push([d, t]),
    });
    expect(result.updated).toBe(before[0].n);
    expect(progress.at(-1)).toEqual([before[0].n, before[0].n]);
    expect(progress.length).toBeGreaterThan(2);
    expect(await countStalePersonalData(p.db, k2First)).toBe(0);
    const [row] = await p.db.query(
      `SELECT complainant_name, complainant_phone FROM ticket.tickets WHERE ticket_no = $1`,
      [ticketNo],
    );
    expect(row.complainant_name).toMatch(/^v1:k2:/);
    expect(row.complainant_phone).toMatch(/^v1:k2:/);
    // test1 is no longer needed: a keyring without it reads every ticket.
    const ledger = new TicketLedgerRepository(p.db, p.config.kafkaPrefix, k2Only);
    expect(await ledger.find(ticketNo)).toMatchObject({ complainantName: NAME, complainantPhone: PHONE });
    const { items, total } = await ledger.list({ limit: 200, offset: 0 });
    expect(items.length).toBe(Math.min(total, 200));
    expect(await ledger.list({ complainantPhone: PHONE, limit: 10, offset: 0 })).toMatchObject({ total: 2 });
    // And the old keyring alone no longer can: the error names the key.
    await expect(new TicketLedgerRepository(p.db, p.config.kafkaPrefix, k1).find(ticketNo)).rejects.toThrow(
      /key "k2", which HOTLINE_PII_KEYS does not hold/,
    );
    // A second run has nothing to do.
    expect((await sealTicketPersonalData(p.db, k2First)).updated).toBe(0);

    // Back under the run's key, for the services still running with it.
    const back = new PiiCipher({
      keys: [
        ['test1', keyOf('test1')],
        ['k2', k2Key],
      ],
      indexKey,
    });
    await sealTicketPersonalData(p.db, back);
    expect(await countStalePersonalData(p.db, k1)).toBe(0);
    const detail = await http('GET', `${p.urls.intake}/api/v1/tickets/${ticketNo}`, {
      token: token.operator,
    });
    expect(detail.body.complainantPhone).toBe('139****5678');
  });

  it('the migration encrypts plaintext rows registered before it, and refuses without keys', async () => {
    const adminUrl = process.env.HOTLINE_TEST_ADMIN_DATABASE_URL!;
    const dbName = `${process.env.HOTLINE_TEST_DATABASE}_pd`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    const source = (migrations: typeof MIGRATIONS) =>
      new DataSource({
        type: 'postgres',
        url: url.toString(),
        migrations,
        migrationsTableName: 'typeorm_migrations',
      });
    const index = MIGRATIONS.findIndex((m) => m.name === 'PersonalData1763950000000');
    expect(index).toBeGreaterThan(0);
    const saved = { keys: process.env.HOTLINE_PII_KEYS, index: process.env.HOTLINE_PII_INDEX_KEY };
    try {
      const old = await source(MIGRATIONS.slice(0, index)).initialize();
      await old.runMigrations({ transaction: 'each' });
      await old.query(`INSERT INTO catalog.regions (code, name) VALUES ('gulou', '鼓楼区')`);
      await old.query(
        `INSERT INTO ticket.tickets (ticket_no, channel, kind, category, region_code, title, content,
           complainant_name, complainant_phone, status, created_by)
         VALUES ('20250101000001','phone','complaint','road','gulou','t','c',$1,$2,'created','operator'),
                ('20250101000002','phone','complaint','road','gulou','t','c',NULL,NULL,'created','operator')`,
        [NAME, PHONE],
      );
      await old.destroy();

      const all = await source(MIGRATIONS).initialize();
      try {
        delete process.env.HOTLINE_PII_KEYS;
        delete process.env.HOTLINE_PII_INDEX_KEY;
        await expect(all.runMigrations({ transaction: 'each' })).rejects.toThrow(
          /1 ticket\(s\) hold the complainant's name or phone in plaintext[\s\S]*HOTLINE_PII_KEYS/,
        );
        process.env.HOTLINE_PII_KEYS = saved.keys;
        process.env.HOTLINE_PII_INDEX_KEY = saved.index;
        const ran = await all.runMigrations({ transaction: 'each' });
        // It and every later migration ran, on a database that already holds data.
        expect(ran.map((m) => m.name)).toEqual(MIGRATIONS.slice(index).map((m) => m.name));
        const rows = await all.query(
          `SELECT ticket_no, complainant_name, complainant_phone, complainant_phone_index FROM ticket.tickets ORDER BY ticket_no`,
        );
        expect(JSON.stringify(rows)).not.toContain(PHONE);
        expect(JSON.stringify(rows)).not.toContain(NAME);
        expect(rows[0].complainant_name).toMatch(/^v1:test1:/);
        expect(rows[1]).toMatchObject({
          complainant_name: null,
          complainant_phone: null,
          complainant_phone_index: null,
        });
        const cipher = PiiCipher.fromEnv(process.env);
        expect(rows[0].complainant_phone_index).toBe(cipher.phoneIndex(PHONE));
        const ledger = new TicketLedgerRepository(all, 'unused', cipher);
        expect(await ledger.find('20250101000001')).toMatchObject({
          complainantName: NAME,
          complainantPhone: PHONE,
        });
      } finally {
        await all.destroy();
      }
    } finally {
      process.env.HOTLINE_PII_KEYS = saved.keys;
      process.env.HOTLINE_PII_INDEX_KEY = saved.index;
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  });
});
