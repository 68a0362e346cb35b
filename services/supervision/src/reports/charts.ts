import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { categoryName, regionName } from './report';
import type { SupervisionReport } from './report';

/**
 * The report's charts as standalone SVG strings, rendered on the server with ECharts' SSR mode
 * (no DOM, no canvas): they go inline into the HTML report and can be saved as .svg files.
 *
 * Text is escaped by ECharts (a category named `<script>` is drawn as text). The font family is
 * single-quoted: it goes into an SVG `style` attribute, which double quotes would end.
 */
export interface RenderedChart {
  id: string;
  title: string;
  svg: string;
}

export const CHART_FONT =
  "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";
const WIDTH = 720;
const EMPTY = '暂无数据';

function render(option: EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CHART_FONT },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const titleOf = (text: string, empty: boolean) => ({
  text,
  left: 'center',
  textStyle: { fontFamily: CHART_FONT, fontSize: 16 },
  ...(empty ? { subtext: EMPTY, subtextStyle: { fontFamily: CHART_FONT } } : {}),
});

/** Horizontal bars, the largest on top: long Chinese names read better on the y axis. */
function horizontalBars(
  title: string,
  rows: { name: string; value: number }[],
  series: { name: string; axisMax?: number; valueFormat?: (v: number) => string },
): string {
  const shown = [...rows].reverse();
  const height = Math.max(240, 90 + shown.length * 32);
  const fmt = series.valueFormat ?? ((v: number) => String(v));
  return render(
    {
      title: titleOf(title, rows.length === 0),
      grid: { left: 16, right: 56, top: 56, bottom: 24, containLabel: true },
      xAxis: { type: 'value', max: series.axisMax, minInterval: 1 },
      yAxis: {
        type: 'category',
        data: shown.map((r) => r.name),
        axisLabel: { width: 200, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: series.name,
          data: shown.map((r) => r.value),
          barMaxWidth: 22,
          label: {
            show: true,
            position: 'right',
            formatter: (p: { value?: unknown }) => fmt(Number(p.value)),
          },
        },
      ],
    },
    WIDTH,
    height,
  );
}

function categoryChart(r: SupervisionReport): RenderedChart {
  const title = '诉求类别分布';
  const rows = r.hotSpots.byCategory
    .slice(0, 10)
    .map((k) => ({ name: categoryName(r, k.key), value: k.count }));
  return { id: 'categories', title, svg: horizontalBars(title, rows, { name: '工单数' }) };
}

/**
 * Tickets by region. The analysis keeps the top regions only; the rest of the period's tickets,
 * if any, are one slice, 其他.
 */
function regionChart(r: SupervisionReport): RenderedChart {
  const title = '区域分布';
  const data = r.hotSpots.byRegion.map((k) => ({ name: regionName(r, k.key), value: k.count }));
  const rest = r.totals.created - data.reduce((s, d) => s + d.value, 0);
  if (data.length > 0 && rest > 0) data.push({ name: '其他', value: rest });
  const svg = render(
    {
      title: titleOf(title, data.length === 0),
      legend: { type: 'scroll', orient: 'vertical', left: 8, top: 48, bottom: 16 },
      series: [
        {
          type: 'pie',
          name: '工单数',
          radius: ['0%', '62%'],
          center: ['60%', '55%'],
          data,
          label: { formatter: '{b}: {c} ({d}%)' },
        },
      ],
    },
    WIDTH,
    400,
  );
  return { id: 'regions', title, svg };
}

function keywordChart(r: SupervisionReport): RenderedChart {
  const title = '热点关键词';
  const rows = r.hotSpots.byKeyword.slice(0, 10).map((k) => ({ name: k.key, value: k.count }));
  return { id: 'keywords', title, svg: horizontalBars(title, rows, { name: '涉及工单数' }) };
}

/** Units with something evaluated, the lowest rate on top (those are the ones to look at). */
function satisfactionChart(r: SupervisionReport): RenderedChart {
  const title = '各单位满意率';
  const rows = r.units
    .filter((u): u is typeof u & { satisfactionRate: number } => u.satisfactionRate !== null)
    .map((u) => ({ name: u.unitName, value: Math.round(u.satisfactionRate * 1000) / 10 }))
    .sort((a, b) => a.value - b.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const svg = horizontalBars(title, rows, { name: '满意率', axisMax: 100, valueFormat: (v) => `${v}%` });
  return { id: 'satisfaction', title, svg };
}

/** By category, by region, hot keywords, units' satisfaction: in that order. */
export function renderCharts(report: SupervisionReport): RenderedChart[] {
  return [categoryChart(report), regionChart(report), keywordChart(report), satisfactionChart(report)];
}
