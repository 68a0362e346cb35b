import { randomInt } from 'node:crypto';
import ExcelJS from 'exceljs';
import {
  chartsSeenInChromium,
  findChromium,
} from '../../services/supervision/src/reports/render-in-chromium';
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
 * Hot spots and the reports on the real stack (RULES §7, SQ art. 12–14): tickets through intake,
 * their facts through Kafka, titles segmented with jieba; a concentrated event is found and
 * tracked; a hot event is found by the discovery on its own and tracked, and the weekly report
 * shows it and a cross-district, cross-department hot spot; the weekly report as JSON, XLSX and a
 * page whose charts a real browser draws.
 */
describe('supervision: analysis and reports (e2e)', () => {
  let p: Platform;
  let operator: string;
  let supervisor: string;
  const created: string[] = [];
  const sup = (path: string, token = supervisor) =>
    http('GET', `${p.urls.supervision}/api/v1${path}`, { token });
  // The window opens just before this suite's own tickets: a wider one takes in the tickets of the
  // suites run in the minute before, whose keywords can outrank these in the top ten.
  let started = '';
  // The discovery runs every 3 s here (every 10 min by default): this file's environment only.
  const discoveryMinutes = process.env.SUPERVISION_DISCOVERY_MINUTES;

  beforeAll(async () => {
    process.env.SUPERVISION_DISCOVERY_MINUTES = '0.05';
    p = await startPlatform();
    [operator, supervisor] = await Promise.all(
      ['operator', 'supervisor'].map((u) => login(p.urls.intake, u)),
    );
    started = new Date(Date.now() - 2_000).toISOString();
    // Five food-safety complaints from one district within minutes: a concentrated event.
    for (let i = 0; i < 5; i++)
      created.push(
        await createTicket(p, operator, {
          category: 'food-safety',
          regionCode: 'hexi',
          title: '河西菜市场熟食摊位卫生脏乱',
          complainantPhone: `135${String(randomInt(10_000_000, 99_999_999))}`,
        }),
      );
    await eventually('the facts of the five tickets', async () => {
      const rows = await p.db.query(
        `SELECT count(*)::int AS n FROM supervision.ticket_facts WHERE ticket_no = ANY($1) AND title IS NOT NULL`,
        [created],
      );
      return rows[0].n === 5;
    });
  });
  afterAll(async () => {
    await p?.stop();
    if (discoveryMinutes === undefined) delete process.env.SUPERVISION_DISCOVERY_MINUTES;
    else process.env.SUPERVISION_DISCOVERY_MINUTES = discoveryMinutes;
  });

  it('finds the hot spots by category, region and keyword, and the concentrated event', async () => {
    const r = await sup(
      `/analysis/hot-spots?from=${encodeURIComponent(started)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(r.status).toBe(200);
    expect(
      r.body.hotSpots.byRegion.find((k: { key: string }) => k.key === 'hexi').count,
    ).toBeGreaterThanOrEqual(5);
    expect(r.body.hotSpots.byKeyword.map((k: { key: string }) => k.key)).toEqual(
      expect.arrayContaining(['菜市场', '卫生']),
    );
    const event = r.body.concentrated.find(
      (c: { regionCode: string; category: string }) =>
        c.regionCode === 'hexi' && c.category === 'food-safety',
    );
    expect(event.ticketNos).toEqual(expect.arrayContaining(created));
    for (const bad of [
      '?from=2026-11-01',
      '?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
      '?from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z',
    ])
      expect((await sup(`/analysis/hot-spots${bad}`)).status).toBe(400);
  });

  it('the weekly report as JSON tracks the event; as XLSX with its sheets; as a page whose charts Chromium draws', async () => {
    const json = await sup('/reports/weekly');
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ kind: 'weekly', label: expect.stringMatching(/^\d{4}年第\d+周$/) });
    expect(json.body.totals.created).toBeGreaterThanOrEqual(5);
    expect(json.body.units.length).toBeGreaterThan(5);
    const tracked = await sup('/analysis/events?kind=concentrated&limit=200');
    expect(
      tracked.body.items.some(
        (e: { regionCode: string; subject: string; ticketNos: string[] }) =>
          e.regionCode === 'hexi' &&
          e.subject === 'food-safety' &&
          created.every((no) => e.ticketNos.includes(no)),
      ),
    ).toBe(true);

    const xlsx = await fetch(`${p.urls.supervision}/api/v1/reports/weekly?format=xlsx`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    // Named by the period's first day in China time, as the report reads it.
    const daily = await fetch(`${p.urls.supervision}/api/v1/reports/daily?date=2026-12-07&format=xlsx`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(daily.headers.get('content-disposition')).toContain('report-daily-2026-12-07.xlsx');
    const monthly = await fetch(`${p.urls.supervision}/api/v1/reports/monthly?date=2026-12-07&format=xlsx`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(monthly.headers.get('content-disposition')).toContain('report-monthly-2026-12-01.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      '概况',
      '目标对照',
      '热点',
      '热点事件',
      '集中事件',
      '持续事件',
      '跨区域跨部门热点',
      '单位',
    ]);

    const page = await fetch(
      `${p.urls.supervision}/api/v1/reports/weekly?format=html&date=${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)}`,
      {
        headers: { authorization: `Bearer ${supervisor}` },
      },
    );
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<html lang="zh-CN">');
    const chromium = findChromium();
    if (!chromium && !process.env.REQUIRE_CHROMIUM) return; // a bare `npx jest` without Chromium
    const seen = await chartsSeenInChromium(html, chromium!);
    expect(seen.figures).toBeGreaterThanOrEqual(4);
    expect(seen.svgs).toBe(seen.figures);
    expect(seen.titles).toEqual(
      expect.arrayContaining(['诉求类别分布', '区域分布', '热点关键词', '各单位满意率']),
    );
  }, 60_000);

  it('finds a hot event by itself and tracks it; the weekly report has it and a cross-district, cross-department hot spot', async () => {
    // Ten reports of shared bikes parked anyhow, none the week before: five on Gulou's roads (the
    // transport bureau's), five as street obstruction in Hexi (the city management bureau's).
    const bikes: string[] = [];
    for (const [category, regionCode] of [
      ['road', 'gulou'],
      ['street-stalls', 'hexi'],
    ])
      for (let i = 0; i < 5; i++)
        bikes.push(
          await createTicket(p, operator, {
            category,
            regionCode,
            title: '共享单车乱停放',
            complainantPhone: `136${String(randomInt(10_000_000, 99_999_999))}`,
          }),
        );
    await eventually('the facts of the ten tickets, with their units', async () => {
      const rows = await p.db.query(
        `SELECT count(*)::int AS n FROM supervision.ticket_facts
         WHERE ticket_no = ANY($1) AND title IS NOT NULL AND unit_id IS NOT NULL`,
        [bikes],
      );
      return rows[0].n === 10;
    });

    // The discovery (every 3 s here) finds the keyword 单车 hot: ten tickets, none the 7 days before.
    type Tracked = {
      key: string;
      kind: string;
      regionCode: string | null;
      subject: string;
      ticketNos: string[];
      firstSeenAt: string;
      lastSeenAt: string;
    };
    const tracked = await eventually('the hot event tracked by the discovery', async () => {
      const r = await sup('/analysis/events?kind=hot&limit=200');
      expect(r.status).toBe(200);
      return (r.body.items as Tracked[]).find(
        (e) => e.subject === '单车' && bikes.every((no) => e.ticketNos.includes(no)),
      );
    });
    expect(tracked).toMatchObject({ kind: 'hot', regionCode: null, ticketCount: 10 });
    expect(tracked.ticketNos).toEqual(bikes);
    // Found again (by the discovery, then by the report), it is the same event: one row, seen later.
    const bikeEvents = async () =>
      ((await sup('/analysis/events?kind=hot&limit=200')).body.items as Tracked[]).filter(
        (e) => e.subject === '单车',
      );
    await new Promise((r) => setTimeout(r, 4_000));
    const [again] = await bikeEvents();
    expect(again).toMatchObject({ key: tracked.key, firstSeenAt: tracked.firstSeenAt, ticketCount: 10 });
    expect(Date.parse(again.lastSeenAt)).toBeGreaterThan(Date.parse(tracked.lastSeenAt));
    expect((await sup('/analysis/events?kind=cold')).status).toBe(400);

    const json = await sup('/reports/weekly');
    expect(json.status).toBe(200);
    const hot = json.body.hot.find((e: { subject: string }) => e.subject === '单车');
    expect(hot).toMatchObject({ subjectKind: 'keyword', count: 10, previousCount: 0, ticketNos: bikes });
    expect(hot.to).toBe(json.body.to);
    expect(await bikeEvents()).toEqual([expect.objectContaining({ key: tracked.key, ticketNos: bikes })]);
    const cross = json.body.crossHotSpots.find((c: { subject: string }) => c.subject === '单车');
    expect(cross).toEqual({
      subject: '单车',
      subjectKind: 'keyword',
      count: 10,
      byRegion: [
        { key: 'gulou', count: 5 },
        { key: 'hexi', count: 5 },
      ],
      byUnit: [
        { key: 'transport', count: 5 },
        { key: 'urban-mgmt', count: 5 },
      ],
    });
    // The concentrated food-safety tickets are Hexi's and the market bureau's only: not cross.
    expect(
      json.body.crossHotSpots.some((c: { subject: string }) => ['food-safety', '菜市场'].includes(c.subject)),
    ).toBe(false);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect((await sup(`/reports/monthly?date=${today}`)).body.crossHotSpots).toEqual(
      expect.arrayContaining([expect.objectContaining({ subject: '单车', count: 10 })]),
    );
    expect((await sup(`/reports/daily?date=${today}`)).body).not.toHaveProperty('crossHotSpots');

    const get = (format: string) =>
      fetch(`${p.urls.supervision}/api/v1/reports/weekly?format=${format}&date=${today}`, {
        headers: { authorization: `Bearer ${supervisor}` },
      });
    const page = await get('html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const crossSection = html.slice(
      html.indexOf('<section id="cross">'),
      html.indexOf('<section id="units">'),
    );
    expect(crossSection).toContain('<h2>跨区域、跨部门热点</h2>');
    expect(crossSection).toContain(
      '<td>单车</td><td>关键词</td><td class="n">10</td><td>鼓楼区 5、河西区 5</td>',
    );
    expect(crossSection).toContain('市交通运输局 5、市城市管理局 5');
    expect(html).toContain(
      '<td>单车</td><td>关键词</td><td class="n">10</td><td class="n">0</td><td>新出现</td>',
    );

    const xlsx = await get('xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const rows = (name: string) => {
      const sheet = book.getWorksheet(name)!;
      return Array.from({ length: sheet.rowCount }, (_, n) => sheet.getRow(n + 1).values);
    };
    expect(rows('热点事件')).toEqual(
      expect.arrayContaining([[undefined, '单车', '关键词', 10, 0, '新出现', bikes.join('、')]]),
    );
    expect(rows('跨区域跨部门热点')).toEqual(
      expect.arrayContaining([
        [undefined, '单车', '关键词', 10, 2, 2, '鼓楼区 5、河西区 5', '市交通运输局 5、市城市管理局 5'],
      ]),
    );
  }, 90_000);

  it('sets the actual resolution rate, as the manual callback asked it, against the targets seen in practice', async () => {
    const [reviewer, clerk] = await Promise.all(
      ['reviewer', 'clerk.transport'].map((u) => login(p.urls.intake, u)),
    );
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const asked = async () =>
      (await sup(`/reports/daily?date=${today}`)).body.targets.city.resolution.asked as number;
    const before = await asked();
    // The SMS gateway does not ask it: refused there.
    const crew = { operator, reviewer, clerk };
    const a = await driveTicket(p, crew, {});
    const bySms = await http('POST', `${p.urls.evaluation}/api/v1/callbacks/${a}/sms`, {
      token: operator,
      body: { verdict: 'satisfied', resolved: true },
    });
    expect(bySms.status).toBe(400);
    await callbackAnswer(p, operator, a, 'sms', 'unsatisfied');
    const manual = (no: string, verdict: string, resolved: boolean) =>
      http('POST', `${p.urls.evaluation}/api/v1/callbacks/${no}/manual`, {
        token: operator,
        body: { verdict, resolved, note: '电话回访' },
      });
    await eventually(
      'the manual call taken',
      async () => (await manual(a, 'satisfied', true)).status === 200,
    );
    const b = await driveTicket(p, crew, { answers: [['sms', 'unsatisfied']] });
    await eventually(
      'the manual call taken',
      async () => (await manual(b, 'basically_satisfied', false)).status === 200,
    );
    await eventually('supervision took both answers', async () => {
      const rows = await p.db.query(
        `SELECT ticket_no, resolved FROM supervision.ticket_facts WHERE ticket_no = ANY($1) AND closed_at IS NOT NULL`,
        [[a, b]],
      );
      return (
        rows.length === 2 &&
        rows.every((r: { ticket_no: string; resolved: boolean }) => r.resolved === (r.ticket_no === a))
      );
    });
    const report = await sup(`/reports/daily?date=${today}`);
    expect(report.body.targets.city.resolution.asked).toBe(before + 2);
    expect(report.body.targets.city.resolution.target).toBe(0.6);
    expect(report.body.targets.supervised.satisfaction.target).toBe(0.5);
    const r = report.body.targets.city.resolution;
    expect(r.meetsTarget).toBe(r.rate >= 0.6);
  });

  it('refuses a bad kind, date or format, and a unit clerk', async () => {
    for (const bad of [
      '/reports/yearly',
      '/reports/daily?date=2026-02-30',
      '/reports/daily?date=yesterday',
      '/reports/daily?format=pdf',
    ])
      expect((await sup(bad)).status).toBe(400);
    const clerk = await login(p.urls.intake, 'clerk.market');
    expect((await sup('/reports/daily', clerk)).status).toBe(403);
  });
});
