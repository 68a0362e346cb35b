// Figures for people: percentiles, a progress line, a text table and a self-made SVG bar chart.

/** Nearest-rank percentile of a sorted array (ms). */
const pct = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null;

function latencyStats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const r = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    n: s.length,
    p50: r(pct(s, 50)),
    p90: r(pct(s, 90)),
    p99: r(pct(s, 99)),
    max: r(s.length ? s[s.length - 1] : null),
  };
}

/**
 * A progress line, rewritten in place about every second on a terminal (a new line every few
 * seconds when the output is a log). text() returns what to show; stop() prints the final state.
 */
function progress(text, { everyMs } = {}) {
  const tty = Boolean(process.stdout.isTTY);
  const interval = everyMs ?? (tty ? 1000 : 3000);
  const show = (final) => {
    const line = `bench:   ${text()}`;
    if (tty) process.stdout.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else console.log(line);
  };
  const timer = setInterval(() => show(false), interval);
  return {
    stop() {
      clearInterval(timer);
      show(true);
    },
  };
}

function table(headers, rows) {
  const cells = [headers, ...rows].map((r) =>
    r.map((c) => (c === null || c === undefined ? '–' : String(c))),
  );
  const width = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), width.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Horizontal bar charts, one panel each: { title, unit, bars: [{ label, value, series? }] }.
 * Bars of the same series share a colour; each panel has its own scale.
 */
function svgChart(title, panels) {
  const W = 760;
  const labelW = 230;
  const barH = 18;
  const gap = 6;
  const colours = ['#3b6ea8', '#d9822b', '#5a9e4b', '#a8443b', '#7b5ea8', '#888888'];
  const parts = [];
  let y = 40;
  parts.push(`<text x="16" y="26" font-size="16" font-weight="bold">${esc(title)}</text>`);
  for (const p of panels) {
    const bars = p.bars.filter((b) => Number.isFinite(b.value));
    if (!bars.length) continue;
    y += 14;
    parts.push(`<text x="16" y="${y}" font-size="13" font-weight="bold">${esc(p.title)}</text>`);
    y += 8;
    const max = Math.max(...bars.map((b) => b.value), 1e-9);
    const series = [...new Set(bars.map((b) => b.series ?? ''))];
    for (const b of bars) {
      const w = Math.max(1, ((W - labelW - 110) * b.value) / max);
      const c = colours[series.indexOf(b.series ?? '') % colours.length];
      const shown =
        b.value >= 100 ? b.value.toFixed(0) : b.value >= 10 ? b.value.toFixed(1) : b.value.toFixed(2);
      parts.push(
        `<text x="${labelW - 8}" y="${y + 13}" font-size="12" text-anchor="end">${esc(b.label)}</text>`,
        `<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${c}"/>`,
        `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 13}" font-size="12">${esc(`${shown} ${p.unit}`)}</text>`,
      );
      y += barH + gap;
    }
    if (series.length > 1) {
      let x = labelW;
      for (const [i, s] of series.entries()) {
        parts.push(
          `<rect x="${x}" y="${y + 2}" width="10" height="10" fill="${colours[i % colours.length]}"/>`,
          `<text x="${x + 14}" y="${y + 11}" font-size="11">${esc(s)}</text>`,
        );
        x += 24 + 7 * s.length;
      }
      y += 18;
    }
    y += 8;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y + 10}" viewBox="0 0 ${W} ${y + 10}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

module.exports = { pct, latencyStats, progress, table, svgChart };
