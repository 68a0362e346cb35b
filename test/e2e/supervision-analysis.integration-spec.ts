import { randomInt } from 'node:crypto';
import ExcelJS from 'exceljs';
import {
  chartsSeenInChromium,
  findChromium,
} from '../../services/supervision/src/reports/render-in-chromium';
import { createTicket, eventually, http, login, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * Hot spots and the reports on the real stack (RULES §7, SQ art. 12–14): tickets through intake,
 * their facts through Kafka, titles segmented with jieba; a concentrated event is found and
 * tracked; the weekly report as JSON, XLSX and a page whose charts a real browser draws.
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

  beforeAll(async () => {
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
    expect(book.worksheets.map((w) => w.name)).toEqual(['概况', '热点', '集中事件', '持续事件', '单位']);

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
