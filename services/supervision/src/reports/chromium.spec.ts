import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { renderCharts } from './charts';
import { renderReportHtml } from './html';
import { chartsSeenInChromium, findChromium } from './render-in-chromium';
import { sampleReport } from './testing.fixtures';

/**
 * The HTML report in a real browser: every chart is drawn (its SVG has a box), not just present
 * in the markup. Needs a Chromium binary: `npm test` installs Debian's (scripts/ensure-chromium.sh)
 * and requires the check (REQUIRE_CHROMIUM); a bare `npx jest` without one skips it, and with CI set
 * installs it.
 */
const root = path.resolve(__dirname, '../../../..');
const found = findChromium();
const run = found !== null || !!process.env.CI || !!process.env.REQUIRE_CHROMIUM ? describe : describe.skip;

run('the HTML report in headless Chromium', () => {
  let chromium: string;
  beforeAll(() => {
    chromium =
      found ??
      execFileSync('bash', [path.join(root, 'scripts/ensure-chromium.sh')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: 540_000,
      }).trim();
  }, 560_000);

  it('shows every chart, each with a visible SVG', async () => {
    const report = sampleReport();
    const charts = renderCharts(report);
    const seen = await chartsSeenInChromium(renderReportHtml(report, charts), chromium);
    expect(seen.figures).toBe(charts.length);
    expect(seen.svgs).toBe(charts.length);
    expect(seen.titles).toEqual(charts.map((c) => c.title));
  }, 60_000);

  it('counts a chart without a box as not seen', async () => {
    const html =
      '<!DOCTYPE html><html lang="zh-CN"><body>' +
      '<figure data-chart="a"><figcaption>甲</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"></svg></figure>' +
      '<figure data-chart="b"><figcaption>乙</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"></svg></figure>' +
      '<figure data-chart="c" style="display:none"><figcaption>丙</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"></svg></figure>' +
      '</body></html>';
    expect(await chartsSeenInChromium(html, chromium)).toEqual({ figures: 3, svgs: 1, titles: ['甲'] });
  }, 60_000);
});
