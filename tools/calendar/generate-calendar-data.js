// Writes libs/shared/src/domain/calendar-data.ts, the seed data of the working-day calendar.
//
//   node tools/calendar/generate-calendar-data.js           write the file
//   node tools/calendar/generate-calendar-data.js --check   exit 1 if the file is not what it would write
//
// Official years come from the chinese-days package (a dev dependency only: the generated file is
// plain data and libs/shared imports nothing at run time), which transcribes the State Council's
// yearly notices (国务院办公厅关于部分节假日安排的通知). A year the package has no notice for is
// computed from the statutory days of 全国年节及纪念日放假办法 (2025 revision) with the package's
// lunar calendar and solar terms, without any bridging or adjusted workdays, and marked
// provisional: replace it with the State Council notice once published (upgrade chinese-days, move
// the year to OFFICIAL_YEARS, run this script).
const fs = require('node:fs');
const path = require('node:path');
const prettier = require('prettier');
const chineseDays = require('chinese-days');
const daysJson = require('chinese-days/dist/chinese-days.json');
const daysVersion = require('chinese-days/package.json').version;

const OUT = path.resolve(__dirname, '../../libs/shared/src/domain/calendar-data.ts');

/** Years transcribed from State Council notices, with the notice (URLs as cited in chinese-days' source). */
const OFFICIAL_YEARS = [
  {
    year: 2025,
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    url: 'https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
  },
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知',
    url: 'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
  },
];
/** Years computed from the statutory days only, until the State Council publishes their notice. */
const PROVISIONAL_YEARS = [2027];

const WORKING_HOURS = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEKDAYS_ZH = ['日', '一', '二', '三', '四', '五', '六'];

function fail(message) {
  throw new Error(`generate-calendar-data: ${message}`);
}

/** 'YYYY-MM-DD' plus n days (pure date arithmetic in UTC, no time zone involved). */
function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

function weekdayZh(day) {
  return `周${WEEKDAYS_ZH[new Date(`${day}T00:00:00Z`).getUTCDay()]}`;
}

/** The solar date of a lunar date (regular month, not a leap month) in a lunar year. */
function lunarToSolar(lunarYear, month, day) {
  const key = `${lunarYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const { date } = chineseDays.getSolarDateFromLunar(key);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date || '')) fail(`no solar date for lunar ${key}`);
  return date;
}

/**
 * The statutory holidays of a year under 全国年节及纪念日放假办法 (2025 revision, art. 2), each
 * with its festival: 元旦 Jan 1; 春节 lunar New Year's Eve and lunar 1/1–1/3; 清明 the day of the
 * solar term; 劳动节 May 1–2; 端午 lunar 5/5; 中秋 lunar 8/15; 国庆节 Oct 1–3.
 */
function statutoryHolidays(year) {
  const y = String(year);
  const newYear = lunarToSolar(year, 1, 1);
  const qingming = chineseDays.getSolarTermDate(year, 4, 'pure_brightness');
  const days = [
    [`${y}-01-01`, '元旦'],
    [addDays(newYear, -1), '春节'],
    [newYear, '春节'],
    [addDays(newYear, 1), '春节'],
    [addDays(newYear, 2), '春节'],
    [qingming, '清明'],
    [`${y}-05-01`, '劳动节'],
    [`${y}-05-02`, '劳动节'],
    [lunarToSolar(year, 5, 5), '端午'],
    [lunarToSolar(year, 8, 15), '中秋'],
    [`${y}-10-01`, '国庆节'],
    [`${y}-10-02`, '国庆节'],
    [`${y}-10-03`, '国庆节'],
  ];
  for (const [day] of days) if (!day.startsWith(`${y}-`)) fail(`statutory holiday ${day} is not in ${year}`);
  return days.map(([day, festival]) => ({ day, festival }));
}

/** chinese-days' entries of one year: 'English name,中文名,days' keyed by date. */
function officialDays(table, year) {
  return Object.entries(daysJson[table])
    .filter(([day]) => day.startsWith(`${year}-`))
    .map(([day, value]) => ({ day, festival: String(value).split(',')[1] || fail(`bad entry ${day}`) }));
}

function byDay(a, b) {
  return a.day < b.day ? -1 : a.day > b.day ? 1 : 0;
}

function collect() {
  const holidays = [];
  const adjustedWorkdays = [];
  const sources = [];
  const years = [...OFFICIAL_YEARS.map((o) => o.year), ...PROVISIONAL_YEARS];
  if (new Set(years).size !== years.length) fail('a year is listed twice');

  for (const { year, source, url } of OFFICIAL_YEARS) {
    const h = officialDays('holidays', year);
    const w = officialDays('workdays', year);
    if (h.length === 0) fail(`chinese-days@${daysVersion} has no holidays for ${year}`);
    // The notice must grant at least the statutory days: checks the rule used for provisional years.
    const granted = new Set(h.map((e) => e.day));
    for (const s of statutoryHolidays(year)) {
      if (!granted.has(s.day))
        fail(`${year}: statutory ${s.festival} ${s.day} is not a holiday in the notice`);
    }
    holidays.push(...h);
    adjustedWorkdays.push(...w);
    sources.push({
      year,
      status: 'official',
      source,
      url,
      note: `transcribed by the chinese-days npm package ${daysVersion}`,
    });
  }

  for (const year of PROVISIONAL_YEARS) {
    if (officialDays('holidays', year).length > 0) {
      fail(`chinese-days@${daysVersion} has the notice for ${year}: move it to OFFICIAL_YEARS`);
    }
    holidays.push(...statutoryHolidays(year));
    sources.push({
      year,
      status: 'provisional',
      source: '全国年节及纪念日放假办法（2025年修订）第二条',
      url: null,
      note:
        'statutory days only; replace with the State Council notice when published ' +
        '(no bridged rest days, no make-up days for holidays on a weekend, no adjusted workdays; ' +
        `lunar dates and solar terms from chinese-days ${daysVersion})`,
    });
  }

  holidays.sort(byDay);
  adjustedWorkdays.sort(byDay);
  const all = [...holidays, ...adjustedWorkdays].map((e) => e.day);
  if (new Set(all).size !== all.length) fail('a day is listed twice, or both a holiday and a workday');
  sources.sort((a, b) => a.year - b.year);
  return { holidays, adjustedWorkdays, sources };
}

/** One array element per line, with a comment naming the year and festival where they change. */
function dayLines(entries) {
  const lines = [];
  let group = '';
  for (const { day, festival } of entries) {
    const g = `${day.slice(0, 4)} ${festival}`;
    if (g !== group) lines.push(`    // ${g}`);
    group = g;
    lines.push(`    '${day}', // ${weekdayZh(day)}`);
  }
  return lines.join('\n');
}

function render({ holidays, adjustedWorkdays, sources }) {
  const years = sources.map((s) => s.year);
  return `// Generated by tools/calendar/generate-calendar-data.js from the chinese-days npm package
// ${daysVersion}. Do not edit by hand: change the generator and run it again.
import type { CalendarData, CalendarSource } from './calendar';

/** Where each year of {@link CN_MAINLAND_CALENDAR} comes from; check 'provisional' years before relying on them. */
export const CALENDAR_SOURCES: readonly CalendarSource[] = ${JSON.stringify(sources, null, 2)};

/**
 * Mainland China: public holidays with the bridged rest days, and the adjusted working weekends
 * (调休), of ${years.join(', ')}; office hours 09:00–12:00 and 13:30–17:30. Days of other years are
 * working days exactly when they are Monday–Friday.
 */
export const CN_MAINLAND_CALENDAR: CalendarData = {
  id: 'cn-mainland',
  name: '中国大陆法定节假日',
  holidays: [
${dayLines(holidays)}
  ],
  adjustedWorkdays: [
${dayLines(adjustedWorkdays)}
  ],
  workingHours: ${JSON.stringify(WORKING_HOURS)},
};
`;
}

async function main() {
  const source = render(collect());
  const options = (await prettier.resolveConfig(OUT)) || {};
  const text = await prettier.format(source, { ...options, filepath: OUT });
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      console.error(
        `${path.relative(process.cwd(), OUT)} is out of date: run node tools/calendar/generate-calendar-data.js`,
      );
      process.exit(1);
    }
    console.log(`${path.relative(process.cwd(), OUT)} is up to date`);
    return;
  }
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
