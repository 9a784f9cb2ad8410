// A bar chart in plain SVG: one bar per bucket, a y axis with three gridlines, and a tooltip
// (<title>) per bar. It scales with its container through the viewBox.

import { svg } from './ui.js';

const W = 720;
const H = 240;
const PAD = { top: 12, right: 12, bottom: 28, left: 64 };

/** The smallest "round" number (1, 2, 2.5, 5 × 10^n) at or above v. */
export function niceCeil(v) {
  if (!(v > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= v) return m * pow;
  return 10 * pow;
}

/**
 * bars: [{label, value, tip}], label shown every `labelEvery` bars; format(v) for axis values.
 * title: the chart's accessible name.
 */
export function barChart({ bars, format = String, labelEvery = 1, title }) {
  const top = niceCeil(Math.max(0, ...bars.map((b) => b.value)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, bars.length);
  const y = (v) => PAD.top + plotH - (v / top) * plotH;

  const grid = [0, top / 2, top].map((v) => svg('g', { class: 'tick' },
    svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }),
    svg('text', { x: PAD.left - 8, y: y(v), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, format(v))));

  const columns = bars.map((b, i) => {
    const x = PAD.left + i * slot;
    const height = Math.max(b.value > 0 ? 1.5 : 0, plotH - (y(b.value) - PAD.top));
    return svg('g', { class: 'bar' },
      svg('rect', { x: x + slot * 0.15, y: PAD.top + plotH - height, width: slot * 0.7, height, rx: 2 },
        svg('title', {}, b.tip ?? `${b.label}: ${format(b.value)}`)),
      i % labelEvery === 0
        ? svg('text', { x: x + slot / 2, y: H - 8, 'text-anchor': 'middle', class: 'x-label' }, b.label)
        : null);
  });

  return svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title, preserveAspectRatio: 'xMidYMid meet',
  }, svg('title', {}, title), ...grid, ...columns,
  svg('line', { class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0) }));
}
