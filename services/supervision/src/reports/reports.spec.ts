import ExcelJS from 'exceljs';
import { renderCharts } from './charts';
import { escapeHtml, renderReportHtml } from './html';
import type { SupervisionReport } from './report';
import { segmentTitle } from '@hotline/platform';
import { sampleReport } from './testing.fixtures';
import { renderReportXlsx, SHEET_NAMES } from './xlsx';

/** The report's renderers over a sample week built with the real segmentation and analysis. */
describe('segmentTitle (jieba, then the stop-word filter)', () => {
  it('finds the words of a title', () => {
    const words = segmentTitle('小区门口道路积水严重影响出行');
    expect(words).toEqual(expect.arrayContaining(['积水', '道路']));
  });

  it('drops stop words, single characters, digits and punctuation', () => {
    const words = segmentTitle('市民反映：幸福路3号楼下水道堵塞，希望尽快处理！');
    expect(words).toContain('下水道');
    expect(words).toContain('堵塞');
    for (const w of words) expect([...w].length).toBeGreaterThanOrEqual(2);
    expect(words).not.toEqual(expect.arrayContaining(['反映']));
    expect(words).not.toEqual(expect.arrayContaining(['希望']));
    expect(words).not.toEqual(expect.arrayContaining(['，']));
    expect(segmentTitle('')).toEqual([]);
    expect(segmentTitle('   ')).toEqual([]);
  });
});

describe('report rendering', () => {
  let report: SupervisionReport;
  beforeAll(() => {
    report = sampleReport();
  });

  it('the sample has something in every part (else the tests below prove little)', () => {
    expect(report.label).toBe('2026年第48周');
    expect(report.hotSpots.byKeyword.map((k) => k.key)).toContain('积水');
    expect(report.concentrated).toHaveLength(1);
    expect(report.concentrated[0].count).toBe(6);
    expect(report.persistent.some((e) => e.subjectKind === 'category' && e.subject === 'noise')).toBe(true);
    expect(report.persistent.some((e) => e.subjectKind === 'keyword' && e.subject === '噪音')).toBe(true);
    expect(report.hot.map((e) => [e.subjectKind, e.subject, e.count, e.previousCount])).toEqual([
      ['category', 'road', 7, 0],
      ['keyword', '积水', 6, 0],
    ]);
    expect(report.crossHotSpots?.[0]).toEqual({
      subject: 'other',
      subjectKind: 'category',
      count: 2,
      byRegion: [
        { key: '310101', count: 1 },
        { key: '310105', count: 1 },
      ],
      byUnit: [
        { key: 'u-hostile', count: 1 },
        { key: 'u-roads', count: 1 },
      ],
    });
  });

  describe('charts', () => {
    it('renders the four charts as standalone SVG with their Chinese titles', () => {
      const charts = renderCharts(report);
      expect(charts.map((c) => [c.id, c.title])).toEqual([
        ['categories', '诉求类别分布'],
        ['regions', '区域分布'],
        ['keywords', '热点关键词'],
        ['satisfaction', '各单位满意率'],
      ]);
      for (const c of charts) {
        expect(c.svg.startsWith('<svg')).toBe(true);
        expect(c.svg.trimEnd().endsWith('</svg>')).toBe(true);
        expect(c.svg).toContain('xmlns="http://www.w3.org/2000/svg"');
        expect(c.svg).toContain(c.title);
        expect(c.svg).toContain('Noto Sans CJK SC');
        // The font family sits in a style attribute: a double quote there would end it.
        expect(c.svg).not.toMatch(/font-family:"/);
      }
    });

    it('draws the series: names of categories, regions, keywords and units', () => {
      const [categories, regions, keywords, satisfaction] = renderCharts(report);
      expect(categories.svg).toContain('道路设施');
      expect(categories.svg).toContain('噪声污染');
      expect(regions.svg).toContain('黄浦区');
      expect(regions.svg).toContain('徐汇区');
      expect(keywords.svg).toContain('积水');
      expect(satisfaction.svg).toContain('区市政管理中心');
      expect(satisfaction.svg).toContain('80%');
      // A unit with nothing evaluated has no bar.
      expect(satisfaction.svg).not.toContain('区住建委');
    });

    it('escapes markup in names', () => {
      const all = renderCharts(report)
        .map((c) => c.svg)
        .join('\n');
      expect(all).not.toMatch(/<script|<img|<b>/);
      expect(all).toContain('&lt;b&gt;其他&lt;/b&gt;');
    });

    it('still draws every chart, marked 暂无数据, for an empty period', () => {
      const empty: SupervisionReport = {
        ...report,
        totals: { created: 0, closed: 0, satisfied: 0, evaluated: 0 },
        hotSpots: { byCategory: [], byRegion: [], byKeyword: [] },
        concentrated: [],
        persistent: [],
        units: [],
      };
      const charts = renderCharts(empty);
      expect(charts).toHaveLength(4);
      for (const c of charts) {
        expect(c.svg.startsWith('<svg')).toBe(true);
        expect(c.svg).toContain('暂无数据');
      }
    });
  });

  describe('html', () => {
    it('is one Chinese HTML5 page with the title, the totals and a figure per chart', () => {
      const html = renderReportHtml(report);
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain('<title>12345热线 周报 2026年第48周</title>');
      expect(html.match(/<figure data-chart="[a-z]+"><figcaption>[^<]+<\/figcaption>\n<svg/g)).toHaveLength(
        4,
      );
      for (const id of ['categories', 'regions', 'keywords', 'satisfaction']) {
        expect(html).toContain(`<figure data-chart="${id}">`);
      }
      expect(html).toContain('<figcaption>各单位满意率</figcaption>');
      expect(html).toContain('87.5%'); // 7 satisfied of 8 evaluated
      expect(html).toContain('2026-11-23 00:00'); // the week starts Monday 00:00 China time
    });

    it('has the concentrated and persistent events and the units', () => {
      const html = renderReportHtml(report);
      const c = report.concentrated[0];
      expect(html).toContain(c.ticketNos.join('、'));
      expect(html).toContain('2026-W46 至 2026-W48（3周）');
      expect(html).toContain('区生态环境局');
      expect(html).toContain('<td class="n">—</td>'); // no satisfaction rate without evaluations
    });

    it('escapes every text, and loads nothing from outside', () => {
      const html = renderReportHtml(report);
      expect(html).not.toMatch(/<script|<img|<b>|onerror=alert\(1\)>/i);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;街道办');
      expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
      expect(html).not.toMatch(/<link\b/i);
      expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    });

    it('has the hot events and the cross-district, cross-department hot spots, names resolved', () => {
      const html = renderReportHtml(report);
      const hot = html.slice(html.indexOf('<section id="hot">'), html.indexOf('<section id="concentrated">'));
      expect(hot).toContain('<h2>热点事件</h2>');
      expect(hot).toContain(
        '<td>道路设施</td><td>类别</td><td class="n">7</td><td class="n">0</td><td>新出现</td>',
      );
      expect(hot).toContain('<td>积水</td><td>关键词</td><td class="n">6</td>');
      const cross = html.slice(html.indexOf('<section id="cross">'), html.indexOf('<section id="units">'));
      expect(cross).toContain('<h2>跨区域、跨部门热点</h2>');
      // Names as the report has them (category, region, the unit's line), markup shown as text.
      expect(cross).toContain(
        '<td>&lt;b&gt;其他&lt;/b&gt;</td><td>类别</td><td class="n">2</td><td>黄浦区 1、长宁区 1</td>' +
          '<td>&lt;img src=x onerror=alert(1)&gt;街道办 1、区市政管理中心 1</td>',
      );
      expect(html.indexOf('<section id="cross">')).toBeGreaterThan(html.indexOf('<section id="persistent">'));
    });

    it('sets the actual resolution and satisfaction rates against the targets seen in practice', () => {
      const html = renderReportHtml(report);
      const part = html.slice(html.indexOf('<section id="targets">'), html.indexOf('<section id="charts">'));
      expect(part).toContain('<h2>目标对照</h2>');
      // City-wide 5 of 7 solved (71.4 %), 7 of 8 satisfied; supervised 1 of 3 and 1 of 2.
      expect(part).toContain(
        '<td>全市</td><td class="n">71.4%</td><td class="n">7</td><td>达标</td><td class="n">87.5%</td><td class="n">8</td><td>达标</td><td class="n">≥60.0%</td>',
      );
      expect(part).toContain(
        '<td>督办件</td><td class="n">33.3%</td><td class="n">3</td><td>未达标</td><td class="n">50.0%</td><td class="n">2</td><td>达标</td><td class="n">≥50.0%</td>',
      );
    });

    it('says so when there are no events; a daily report has no cross-district section', () => {
      const html = renderReportHtml({
        ...report,
        hot: [],
        concentrated: [],
        persistent: [],
        crossHotSpots: [],
      });
      expect(html).toContain('本期未发现热点事件');
      expect(html).toContain('本期未发现集中事件');
      expect(html).toContain('本期未发现持续事件');
      expect(html).toContain('本期未发现跨区域、跨部门热点');
      const daily = renderReportHtml({ ...report, kind: 'daily', crossHotSpots: undefined });
      expect(daily).not.toContain('<section id="cross">');
      expect(daily).not.toContain('跨区域');
    });
  });

  describe('xlsx', () => {
    it('writes the eight sheets with Chinese headers, read back with exceljs', async () => {
      const buffer = await renderReportXlsx(report);
      expect(Buffer.isBuffer(buffer)).toBe(true);
      expect(buffer.subarray(0, 2).toString()).toBe('PK'); // a zip, as xlsx files are
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buffer as unknown as ArrayBuffer);
      expect(wb.worksheets.map((s) => s.name)).toEqual([...SHEET_NAMES]);

      const summary = wb.getWorksheet('概况')!;
      expect(summary.getCell('A1').value).toBe('项目');
      expect(summary.getCell('B2').value).toBe('12345热线 周报 2026年第48周');
      expect(summary.getCell('B10').value).toBe(0.875);
      expect(summary.getCell('B10').numFmt).toBe('0.0%');

      const targets = wb.getWorksheet('目标对照')!;
      expect(targets.getRow(2).values).toEqual([undefined, '全市', 5 / 7, 7, '达标', 0.875, 8, '达标', 0.6]);
      expect(targets.getRow(3).values).toEqual([
        undefined,
        '督办件',
        1 / 3,
        3,
        '未达标',
        0.5,
        2,
        '达标',
        0.5,
      ]);
      expect(targets.getCell('B2').numFmt).toBe('0.0%');

      const hot = wb.getWorksheet('热点')!;
      expect(hot.getRow(1).values).toEqual([undefined, '维度', '排名', '名称', '工单数']);
      expect(hot.getRow(2).values).toEqual([undefined, '类别', 1, '道路设施', 7]);

      const hotEvents = wb.getWorksheet('热点事件')!;
      expect(hotEvents.getRow(1).values).toEqual([
        undefined,
        '主题',
        '主题类型',
        '本期工单数',
        '上期工单数',
        '增长',
        '工单编号',
      ]);
      expect(hotEvents.getRow(2).values).toEqual([
        undefined,
        '道路设施',
        '类别',
        7,
        0,
        '新出现',
        report.hot[0].ticketNos.join('、'),
      ]);
      expect(hotEvents.rowCount).toBe(1 + report.hot.length);

      const cross = wb.getWorksheet('跨区域跨部门热点')!;
      expect(cross.getCell('A1').value).toBe('主题');
      expect(cross.getRow(2).values).toEqual([
        undefined,
        '<b>其他</b>',
        '类别',
        2,
        2,
        2,
        '黄浦区 1、长宁区 1',
        '<img src=x onerror=alert(1)>街道办 1、区市政管理中心 1',
      ]);
      expect(cross.rowCount).toBe(1 + report.crossHotSpots!.length);

      const conc = wb.getWorksheet('集中事件')!;
      expect(conc.getCell('A2').value).toBe('黄浦区');
      expect(conc.getCell('E2').value).toBe(6);

      const pers = wb.getWorksheet('持续事件')!;
      expect(pers.getCell('A1').value).toBe('区域');
      expect(pers.rowCount).toBe(1 + report.persistent.length);

      const units = wb.getWorksheet('单位')!;
      expect(units.getCell('B4').value).toBe('<img src=x onerror=alert(1)>街道办'); // data, not markup
      expect(units.getCell('F2').value).toBe(0.8);
      expect(units.getCell('F5').value).toBeNull();
    });

    it('a daily report has no cross-district, cross-department sheet', async () => {
      const wb = new ExcelJS.Workbook();
      const daily = await renderReportXlsx({ ...report, kind: 'daily', crossHotSpots: undefined });
      await wb.xlsx.load(daily as unknown as ArrayBuffer);
      expect(wb.worksheets.map((s) => s.name)).toEqual(SHEET_NAMES.filter((n) => n !== '跨区域跨部门热点'));
    });
  });
});
