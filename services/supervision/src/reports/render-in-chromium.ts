import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * The HTML report as a browser shows it: opened in headless Chromium (Debian's package, see
 * scripts/ensure-chromium.sh; no browser download) through puppeteer-core, counting the charts
 * that are really drawn, i.e. whose SVG has a non-zero box.
 *
 * puppeteer-core is a devDependency and is loaded only when this runs, so that the service
 * never needs it. The page is offline: any request other than the page itself is aborted (the
 * report must need none), and scripts are off (it has none).
 */
export interface ChartsSeen {
  /** `figure[data-chart]` elements. */
  figures: number;
  /** `figure[data-chart] svg` elements with a non-zero width and height. */
  svgs: number;
  /** The captions of the figures whose chart is visible, in page order. */
  titles: string[];
}

export async function chartsSeenInChromium(html: string, executablePath: string): Promise<ChartsSeen> {
  const { launch } = await import('puppeteer-core');
  const browser = await launch({
    executablePath,
    headless: true,
    // Tests run as root, where Chromium's sandbox cannot start; /dev/shm is small in containers.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1024, height: 768 });
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const url = req.url();
      if (url.startsWith('data:') || url === 'about:blank') void req.continue();
      else void req.abort();
    });
    await page.setContent(html, { waitUntil: 'load', timeout: 30_000 });
    return await page.$$eval('figure[data-chart]', (elements) => {
      // Runs in the page; the project compiles without the DOM library, hence this much of it.
      interface El {
        querySelectorAll(selector: string): ArrayLike<El>;
        querySelector(selector: string): El | null;
        getBoundingClientRect(): { width: number; height: number };
        textContent: string | null;
      }
      const figures = elements as unknown as El[];
      const seen = { figures: figures.length, svgs: 0, titles: [] as string[] };
      for (const f of figures) {
        let visible = false;
        for (const svg of Array.from(f.querySelectorAll('svg'))) {
          const box = svg.getBoundingClientRect();
          if (box.width > 0 && box.height > 0) {
            seen.svgs++;
            visible = true;
          }
        }
        if (visible) seen.titles.push(f.querySelector('figcaption')?.textContent?.trim() ?? '');
      }
      return seen;
    });
  } finally {
    await browser.close();
  }
}

/**
 * A Chromium binary: `CHROMIUM_PATH`, else `chromium`, `chromium-browser` or Google Chrome on the
 * PATH; null when there is none (scripts/ensure-chromium.sh installs Debian's).
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (env.CHROMIUM_PATH && executable(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (executable(file)) return file;
    }
  }
  return null;
}
