// Line charts as inline SVG strings for the self-contained report: no script, no external request. Written by hand
// because the app's chart library (recharts) renders React into the live DOM, not into a standalone file.
import type { ReportCurve } from './reportTypes';

const COLORS = ['#1d4ed8', '#b91c1c', '#15803d', '#7c3aed', '#b45309', '#0e7490'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number) => (Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(2) : Number(v.toFixed(4)).toString());

export type SvgChartOptions = { title: string; width?: number; height?: number; yLabel?: string };

/** One chart of several curves sharing the step axis; non-finite points are skipped. */
export function lineChartSvg(curves: ReportCurve[], opts: SvgChartOptions): string {
  const width = opts.width ?? 720;
  const height = opts.height ?? 260;
  const pad = { l: 64, r: 16, t: 28, b: 40 };
  const pts = curves.flatMap((c) => c.points.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.step)));
  const head = `<svg role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${esc(opts.title)}">`;
  if (pts.length === 0) return `${head}<title>${esc(opts.title)}</title><text x="${width / 2}" y="${height / 2}" text-anchor="middle">no data</text></svg>`;
  const xs = pts.map((p) => p.step);
  const ys = pts.map((p) => p.value);
  const x0 = Math.min(...xs);
  const y0 = Math.min(0, Math.min(...ys));
  const x1 = Math.max(...xs) === x0 ? x0 + 1 : Math.max(...xs);
  const y1 = Math.max(...ys) === y0 ? y0 + 1 : Math.max(...ys);
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (width - pad.l - pad.r);
  const sy = (y: number) => height - pad.b - ((y - y0) / (y1 - y0)) * (height - pad.t - pad.b);
  const parts: string[] = [head, `<title>${esc(opts.title)}</title>`];
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = y0 + ((y1 - y0) * i) / 4;
    const y = sy(v).toFixed(1);
    parts.push(`<line x1="${pad.l}" x2="${width - pad.r}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${pad.l - 6}" y="${y}" font-size="11" text-anchor="end" dominant-baseline="middle" fill="#374151">${fmt(v)}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const v = Math.round(x0 + ((x1 - x0) * i) / 4);
    parts.push(`<text x="${sx(v).toFixed(1)}" y="${height - pad.b + 16}" font-size="11" text-anchor="middle" fill="#374151">${v}</text>`);
  }
  parts.push(`<text x="${(pad.l + width - pad.r) / 2}" y="${height - 6}" font-size="12" text-anchor="middle" fill="#111827">step</text>`);
  if (opts.yLabel)
    parts.push(
      `<text x="14" y="${(pad.t + height - pad.b) / 2}" font-size="12" text-anchor="middle" fill="#111827" transform="rotate(-90 14 ${(pad.t + height - pad.b) / 2})">${esc(opts.yLabel)}</text>`,
    );
  curves.forEach((c, i) => {
    const color = COLORS[i % COLORS.length];
    const ok = c.points.filter((p) => Number.isFinite(p.value));
    if (ok.length === 0) return;
    const d = ok.map((p) => `${sx(p.step).toFixed(1)},${sy(p.value).toFixed(1)}`).join(' ');
    parts.push(`<polyline class="curve" data-name="${esc(c.name)}" data-points="${ok.length}" fill="none" stroke="${color}" stroke-width="2" points="${d}"/>`);
    if (ok.length <= 40) for (const p of ok) parts.push(`<circle cx="${sx(p.step).toFixed(1)}" cy="${sy(p.value).toFixed(1)}" r="2.5" fill="${color}"/>`);
    parts.push(
      `<rect x="${pad.l + 8 + i * 170}" y="8" width="12" height="4" fill="${color}"/><text x="${pad.l + 24 + i * 170}" y="14" font-size="12" fill="#111827">${esc(c.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
