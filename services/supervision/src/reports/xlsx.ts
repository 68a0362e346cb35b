import ExcelJS from 'exceljs';
import {
  categoryName,
  chinaTime,
  countsText,
  growthText,
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
 * The report as an Excel workbook, one sheet per part: 概况, 目标对照, 热点, 热点事件, 集中事件, 持续事件,
 * 跨区域跨部门热点 (the weekly and monthly reports only: a daily one has no such part), 单位.
 * Headers are Chinese and frozen; rates are numbers formatted as percentages (empty when nothing
 * was evaluated); times are China time as text (Excel has no time zones: a Date would show UTC).
 */
export const SHEET_NAMES = [
  '概况',
  '目标对照',
  '热点',
  '热点事件',
  '集中事件',
  '持续事件',
  '跨区域跨部门热点',
  '单位',
] as const;

const PERCENT = '0.0%';

function sheet(wb: ExcelJS.Workbook, name: string, columns: { header: string; width: number }[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  ws.getRow(1).font = { bold: true };
  return ws;
}

export async function renderReportXlsx(report: SupervisionReport): Promise<Buffer> {
  const r = report;
  const wb = new ExcelJS.Workbook();
  wb.creator = '12345热线督办系统';
  wb.created = new Date(r.generatedAt);
  wb.title = reportTitle(r);

  const summary = sheet(wb, '概况', [
    { header: '项目', width: 16 },
    { header: '数值', width: 40 },
  ]);
  const rate = satisfactionOf(r);
  summary.addRows([
    ['报告', reportTitle(r)],
    ['统计开始（北京时间）', chinaTime(r.from)],
    ['统计截止（北京时间，不含）', chinaTime(r.to)],
    ['生成时间（北京时间）', chinaTime(r.generatedAt)],
    ['受理工单', r.totals.created],
    ['办结工单', r.totals.closed],
    ['参评工单', r.totals.evaluated],
    ['满意工单', r.totals.satisfied],
    ['满意率', rate],
  ]);
  summary.getCell(`B${summary.rowCount}`).numFmt = PERCENT;

  // The targets seen in practice (RULES §7): rates as numbers (empty with nothing to count).
  const targets = sheet(wb, '目标对照', [
    { header: '范围', width: 10 },
    { header: '实际解决率', width: 12 },
    { header: '回访问及解决', width: 14 },
    { header: '解决率是否达标', width: 14 },
    { header: '满意率', width: 10 },
    { header: '参评工单', width: 10 },
    { header: '满意率是否达标', width: 14 },
    { header: '目标', width: 8 },
  ]);
  for (const t of targetRows(r)) {
    const row = targets.addRow([
      t.scope,
      t.resolution,
      t.asked,
      t.resolutionMet,
      t.satisfaction,
      t.evaluated,
      t.satisfactionMet,
      t.target,
    ]);
    for (const c of [2, 5, 8]) row.getCell(c).numFmt = PERCENT;
  }

  const hot = sheet(wb, '热点', [
    { header: '维度', width: 10 },
    { header: '排名', width: 8 },
    { header: '名称', width: 24 },
    { header: '工单数', width: 10 },
  ]);
  const ranks = (what: string, list: { key: string; count: number }[], name: (k: string) => string) =>
    list.forEach((k, i) => hot.addRow([what, i + 1, name(k.key), k.count]));
  ranks('类别', r.hotSpots.byCategory, (k) => categoryName(r, k));
  ranks('区域', r.hotSpots.byRegion, (k) => regionName(r, k));
  ranks('关键词', r.hotSpots.byKeyword, (k) => k);

  const hotEvents = sheet(wb, '热点事件', [
    { header: '主题', width: 16 },
    { header: '主题类型', width: 10 },
    { header: '本期工单数', width: 12 },
    { header: '上期工单数', width: 12 },
    { header: '增长', width: 10 },
    { header: '工单编号', width: 60 },
  ]);
  for (const e of r.hot) {
    hotEvents.addRow([
      subjectName(r, e),
      subjectKindName(e),
      e.count,
      e.previousCount,
      growthText(e),
      e.ticketNos.join('、'),
    ]);
  }

  const conc = sheet(wb, '集中事件', [
    { header: '区域', width: 16 },
    { header: '类别', width: 16 },
    { header: '首件时间', width: 18 },
    { header: '末件时间', width: 18 },
    { header: '工单数', width: 8 },
    { header: '工单编号', width: 60 },
  ]);
  for (const e of r.concentrated) {
    conc.addRow([
      regionName(r, e.regionCode),
      categoryName(r, e.category),
      chinaTime(e.from),
      chinaTime(e.to),
      e.count,
      e.ticketNos.join('、'),
    ]);
  }

  const pers = sheet(wb, '持续事件', [
    { header: '区域', width: 16 },
    { header: '主题', width: 16 },
    { header: '主题类型', width: 10 },
    { header: '持续周数', width: 10 },
    { header: '周次', width: 40 },
    { header: '工单数', width: 8 },
    { header: '工单编号', width: 60 },
  ]);
  for (const e of r.persistent) {
    pers.addRow([
      regionName(r, e.regionCode),
      subjectName(r, e),
      subjectKindName(e),
      e.weeks.length,
      e.weeks.join('、'),
      e.ticketNos.length,
      e.ticketNos.join('、'),
    ]);
  }

  if (r.crossHotSpots) {
    const cross = sheet(wb, '跨区域跨部门热点', [
      { header: '主题', width: 16 },
      { header: '主题类型', width: 10 },
      { header: '工单数', width: 8 },
      { header: '区域数', width: 8 },
      { header: '单位数', width: 8 },
      { header: '区域分布（工单数）', width: 40 },
      { header: '单位分布（工单数）', width: 60 },
    ]);
    for (const c of r.crossHotSpots) {
      cross.addRow([
        subjectName(r, c),
        subjectKindName(c),
        c.count,
        c.byRegion.length,
        c.byUnit.length,
        countsText(c.byRegion, (k) => regionName(r, k)),
        countsText(c.byUnit, (k) => unitName(r, k)),
      ]);
    }
  }

  const units = sheet(wb, '单位', [
    { header: '单位编号', width: 16 },
    { header: '单位名称', width: 24 },
    { header: '工单数', width: 10 },
    { header: '办结数', width: 10 },
    { header: '超时签收', width: 10 },
    { header: '满意率', width: 10 },
  ]);
  for (const u of r.units) {
    units.addRow([u.unitId, u.unitName, u.total, u.closed, u.lateSigns, u.satisfactionRate]);
  }
  units.getColumn(6).numFmt = PERCENT;

  return Buffer.from(await wb.xlsx.writeBuffer());
}
