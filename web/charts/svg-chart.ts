import { html, type SafeHtml } from '../html.js';

// Charts drawn on the server as SVG, as GOV.UK's guidance on data visualisation asks: the
// image has a title and a description (role="img", aria-labelledby), the figures are in a
// table beside it, and nothing needs JavaScript. The viewBox scales to any width, so 320 px
// screens get the same picture, smaller; the table carries every number in text.

const WIDTH = 640;
const INK = '#0b0c0c';
/** GOV.UK blue: 5.2:1 against white, past the 3:1 non-text contrast WCAG asks of a bar. */
const BAR = '#1d70b8';
const AXIS = '#505a5f';

export interface ChartText {
  /** Unique within the page: the title's and description's ids start with it. */
  readonly id: string;
  readonly title: string;
  /** What the chart shows, in a sentence or two, for those who cannot see it. */
  readonly description: string;
}

function frame(text: ChartText, height: number, body: SafeHtml): SafeHtml {
  return html`<svg class="cc-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${text.id}-title ${text.id}-desc" xmlns="http://www.w3.org/2000/svg" focusable="false">
  <title id="${text.id}-title">${text.title}</title><desc id="${text.id}-desc">${text.description}</desc>${body}</svg>`;
}

/** One bar per row, each labelled above it, longest = full width. */
export function barChart(text: ChartText, rows: readonly { label: string; value: number }[]): SafeHtml {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 56;
  const barSpace = WIDTH - 80;
  return frame(text, Math.max(rowHeight, rows.length * rowHeight), html`${rows.map((row, i) => {
    const y = i * rowHeight;
    const width = Math.round((row.value / max) * barSpace);
    return html`<text x="0" y="${y + 20}" font-size="20" fill="${INK}">${truncate(row.label, 52)}</text>
    <rect x="0" y="${y + 28}" width="${Math.max(width, 2)}" height="20" fill="${BAR}"></rect>
    <text x="${Math.max(width, 2) + 8}" y="${y + 45}" font-size="20" font-weight="bold" fill="${INK}">${row.value}</text>`;
  })}`);
}

export interface Segment { readonly label: string; readonly colour: string }

/** One bar per row split into segments (e.g. outcomes), with a legend above. */
export function stackedBarChart(text: ChartText, segments: readonly Segment[], rows: readonly { label: string; values: readonly number[] }[]): SafeHtml {
  const max = Math.max(1, ...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const legendHeight = Math.ceil(segments.length / 2) * 30 + 10;
  const rowHeight = 56;
  const barSpace = WIDTH - 80;
  const legend = segments.map((s, i) => {
    const x = (i % 2) * (WIDTH / 2);
    const y = Math.floor(i / 2) * 30;
    return html`<rect x="${x}" y="${y + 4}" width="20" height="20" fill="${s.colour}"></rect><text x="${x + 28}" y="${y + 20}" font-size="20" fill="${INK}">${s.label}</text>`;
  });
  const bars = rows.map((row, i) => {
    const y = legendHeight + i * rowHeight;
    let x = 0;
    const parts = row.values.map((value, s) => {
      const width = Math.round((value / max) * barSpace);
      const part = html`<rect x="${x}" y="${y + 28}" width="${width}" height="20" fill="${segments[s]!.colour}"></rect>`;
      x += width;
      return part;
    });
    return html`<text x="0" y="${y + 20}" font-size="20" fill="${INK}">${truncate(row.label, 52)}</text>${parts}
    <text x="${x + 8}" y="${y + 45}" font-size="20" font-weight="bold" fill="${INK}">${row.values.reduce((a, b) => a + b, 0)}</text>`;
  });
  return frame(text, legendHeight + Math.max(1, rows.length) * rowHeight, html`${legend}${bars}`);
}

/** One column per month (YYYY-MM), the first month of each year and the last labelled. */
export function columnChart(text: ChartText, columns: readonly { month: string; value: number }[]): SafeHtml {
  const height = 300;
  const top = 30;
  const bottom = height - 40;
  const max = Math.max(1, ...columns.map((c) => c.value));
  const step = WIDTH / Math.max(1, columns.length);
  return frame(text, height, html`
  <line x1="0" y1="${bottom}" x2="${WIDTH}" y2="${bottom}" stroke="${AXIS}" stroke-width="2"></line>
  <text x="0" y="20" font-size="18" fill="${INK}">Most in a month: ${max}</text>
  ${columns.map((c, i) => {
    const h = Math.round((c.value / max) * (bottom - top));
    const x = Math.round(i * step + step * 0.15);
    const labelled = i === 0 || i === columns.length - 1 || c.month.endsWith('-01');
    return html`<rect x="${x}" y="${bottom - h}" width="${Math.max(1, Math.round(step * 0.7))}" height="${h}" fill="${BAR}"></rect>${labelled
      ? html`<text x="${Math.min(x, WIDTH - 80)}" y="${bottom + 28}" font-size="18" fill="${INK}">${monthLabel(c.month)}</text>` : ''}`;
  })}`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-03" → "Mar 2026". */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${year}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
