import { renderCharts } from './charts';
import type { RenderedChart } from './charts';
import {
  categoryName,
  chinaTime,
  countsText,
  growthText,
  percent,
  regionName,
  reportTitle,
  satisfactionOf,
  subjectKindName,
  subjectName,
  targetRows,
  unitName,
} from './report';
import type { SupervisionReport } from './report';

/**
 * The report as one self-contained HTML5 page in Chinese: inline CSS, the charts as inline SVG,
 * no script and no external resource, so that it can be mailed, archived or printed as it is.
 * Every text from the data is escaped.
 */
export function escapeHtml(text: string | number): string {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const CSS = `
body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif;
  color:#222;margin:24px auto;max-width:960px;padding:0 16px;line-height:1.6}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-left:4px solid #c23531;padding-left:8px}
.meta{color:#666;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:16px 0;page-break-inside:avoid}figcaption{font-weight:bold;margin-bottom:4px}
figure svg{max-width:100%;height:auto}
.empty{color:#888}
`;

type Cell = string | number | { n: number | string };
const td = (c: Cell) =>
  typeof c === 'object' ? `<td class="n">${escapeHtml(c.n)}</td>` : `<td>${escapeHtml(c)}</td>`;

function table(headers: string[], rows: Cell[][], empty = '无'): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body =
    rows.length === 0
      ? `<tr><td class="empty" colspan="${headers.length}">${escapeHtml(empty)}</td></tr>`
      : rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** ECharts' SVG carries its own escaping; only the caption is ours. */
const figure = (c: RenderedChart) =>
  `<figure data-chart="${escapeHtml(c.id)}"><figcaption>${escapeHtml(c.title)}</figcaption>\n${c.svg}\n</figure>`;

export function renderReportHtml(report: SupervisionReport, charts = renderCharts(report)): string {
  const r = report;
  const title = reportTitle(r);
  const totals = table(
    ['受理工单', '办结工单', '参评工单', '满意工单', '满意率'],
    [
      [
        { n: r.totals.created },
        { n: r.totals.closed },
        { n: r.totals.evaluated },
        { n: r.totals.satisfied },
        { n: percent(satisfactionOf(r)) },
      ],
    ],
  );
  const targets = table(
    ['范围', '实际解决率', '回访问及解决', '是否达标', '满意率', '参评工单', '是否达标', '目标'],
    targetRows(r).map((t) => [
      t.scope,
      { n: percent(t.resolution) },
      { n: t.asked },
      t.resolutionMet,
      { n: percent(t.satisfaction) },
      { n: t.evaluated },
      t.satisfactionMet,
      { n: `≥${percent(t.target)}` },
    ]),
  );
  const hot = table(
    ['主题', '主题类型', '本期工单数', '上期工单数', '增长', '工单编号'],
    r.hot.map((e) => [
      subjectName(r, e),
      subjectKindName(e),
      { n: e.count },
      { n: e.previousCount },
      growthText(e),
      e.ticketNos.join('、'),
    ]),
    '本期未发现热点事件',
  );
  // Weekly and monthly reports only: a daily one has no such section.
  const cross = r.crossHotSpots
    ? `<section id="cross">
<h2>跨区域、跨部门热点</h2>
<p class="meta">本期工单涉及至少2个区域且至少2个承办单位的类别或标题关键词；各区域、各单位后为其工单数</p>
${table(
  ['主题', '主题类型', '工单数', '涉及区域', '涉及单位'],
  r.crossHotSpots.map((c) => [
    subjectName(r, c),
    subjectKindName(c),
    { n: c.count },
    countsText(c.byRegion, (k) => regionName(r, k)),
    countsText(c.byUnit, (k) => unitName(r, k)),
  ]),
  '本期未发现跨区域、跨部门热点',
)}
</section>
`
    : '';
  const concentrated = table(
    ['区域', '类别', '首件时间', '末件时间', '工单数', '工单编号'],
    r.concentrated.map((e) => [
      regionName(r, e.regionCode),
      categoryName(r, e.category),
      chinaTime(e.from),
      chinaTime(e.to),
      { n: e.count },
      e.ticketNos.join('、'),
    ]),
    '本期未发现集中事件',
  );
  const persistent = table(
    ['区域', '主题', '主题类型', '持续周', '工单数', '工单编号'],
    r.persistent.map((e) => [
      regionName(r, e.regionCode),
      subjectName(r, e),
      subjectKindName(e),
      `${e.weeks[0]} 至 ${e.weeks[e.weeks.length - 1]}（${e.weeks.length}周）`,
      { n: e.ticketNos.length },
      e.ticketNos.join('、'),
    ]),
    '本期未发现持续事件',
  );
  const units = table(
    ['单位', '工单数', '办结数', '超时签收', '满意率'],
    r.units.map((u) => [
      u.unitName,
      { n: u.total },
      { n: u.closed },
      { n: u.lateSigns },
      { n: percent(u.satisfactionRate) },
    ]),
  );

  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">统计区间：${escapeHtml(chinaTime(r.from))} 至 ${escapeHtml(chinaTime(r.to))}（北京时间，不含截止时刻）<br>生成时间：${escapeHtml(chinaTime(r.generatedAt))}</p>
</header>
<section id="totals">
<h2>总体情况</h2>
${totals}
</section>
<section id="targets">
<h2>目标对照</h2>
<p class="meta">本期办结工单：实际解决率（人工回访问及是否解决的工单中答“已解决”的比例）与满意率，全市目标不低于60%，督办件不低于50%</p>
${targets}
</section>
<section id="charts">
<h2>热点分析</h2>
${charts.map(figure).join('\n')}
</section>
<section id="hot">
<h2>热点事件</h2>
<p class="meta">全市本期工单不少于10件、且不少于上期（本期之前等长时段）2倍的类别或标题关键词；上期没有的计为新出现</p>
${hot}
</section>
<section id="concentrated">
<h2>集中事件</h2>
${concentrated}
</section>
<section id="persistent">
<h2>持续事件</h2>
${persistent}
</section>
${cross}<section id="units">
<h2>单位办理情况</h2>
${units}
</section>
</body>
</html>
`;
}
