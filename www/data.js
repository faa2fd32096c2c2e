// Your own data: draw points into X or Y with a mouse or a finger, import a CSV, export X, Y,
// G(X) as CSV and the canvas as PNG. Drawn points show at once and reach the run on release.

import { messageOf } from './errors.js';

const $ = (id) => document.getElementById(id);
// a stroke adds a point each time the pointer moves this share of the window
const SPACING = 0.01;

/** Offer `blob` as a file download named `name`. */
export function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

export function setupData({ app, canvas, note, clearNote, show, frame }) {
  // points drawn so far per side, in data coordinates
  const drawn = { x: [], y: [] };
  let stroke = null;
  const side = () => $('draw-side').value;

  // pointer position → data coordinates through the plot rectangle and window of the last frame
  const toData = (ev) => {
    const box = canvas.getBoundingClientRect();
    const px = ((ev.clientX - box.left) * canvas.width) / box.width;
    const py = ((ev.clientY - box.top) * canvas.height) / box.height;
    const [l, t, r, b] = app.info.rect;
    const [x0, y0, size] = app.info.window;
    return [x0 + ((px - l) / (r - l)) * size, y0 + size - ((py - t) / (b - t)) * size];
  };
  const toPixel = ([x, y]) => {
    const [l, t, r, b] = app.info.rect;
    const [x0, y0, size] = app.info.window;
    return [l + ((x - x0) / size) * (r - l), t + ((y0 + size - y) / size) * (b - t)];
  };

  const add = (ev) => {
    if (!app.info) return;
    const p = toData(ev);
    const [x0, y0, size] = app.info.window;
    if (p[0] < x0 || p[0] > x0 + size || p[1] < y0 || p[1] > y0 + size) return;
    const list = drawn[stroke];
    const last = list[list.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) >= SPACING * size) list.push(p);
  };

  // the drawn points on top of the frame (black rings)
  const afterDraw = (c) => {
    if (!app.info) return;
    // a run on a named pair (a preset, a scene, a new pair) has none of the drawn points
    if (!stroke && !committing && app.readout && app.readout.pair !== 'custom') {
      drawn.x = [];
      drawn.y = [];
    }
    const ctx = c.getContext('2d');
    ctx.strokeStyle = '#111';
    ctx.lineWidth = window.devicePixelRatio || 1;
    for (const p of [...drawn.x, ...drawn.y]) {
      const [px, py] = toPixel(p);
      ctx.beginPath();
      ctx.arc(px, py, 3 * (window.devicePixelRatio || 1), 0, 2 * Math.PI);
      ctx.stroke();
    }
  };

  let committing = false;
  /** Send side `s`'s points as CSV; `imported`: they replace the side, rings drawn on it too. */
  const commit = async (s, csv, imported = false) => {
    committing = true;
    const first = !imported && !app.customPoints[s];
    try {
      const { readout } = await app.client.call('points', { side: s, csv });
      app.customPoints[s] = csv;
      app.leaveTour();
      show(readout);
      clearNote();
      // the first stroke takes the place of the pair's sample: say so, once
      const S = s.toUpperCase();
      if (first && !readout.data_note) note(`${S} is now the ${drawn[s].length} points you drew, in place of the pair's ${S}; more strokes add to them, and Clear drawn data brings the pair's ${S} back`, 'info');
      if (imported) drawn[s] = [];
    } catch (e) { note(messageOf(e)); }
    committing = false;
    frame();
  };

  canvas.addEventListener('pointerdown', (ev) => {
    if (!side()) return;
    ev.preventDefault();
    stroke = side();
    canvas.setPointerCapture(ev.pointerId);
    add(ev);
    afterDraw(canvas);
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!stroke) return;
    ev.preventDefault();
    add(ev);
    afterDraw(canvas);
  });
  const end = () => {
    if (!stroke) return;
    const s = stroke;
    stroke = null;
    if (drawn[s].length < 2) {
      note(`draw at least 2 points into ${s.toUpperCase()} (drawn: ${drawn[s].length})`);
      return;
    }
    commit(s, drawn[s].map(([x, y]) => `${x},${y}`).join('\n'));
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  $('draw-side').addEventListener('change', () => {
    if (side()) document.body.dataset.draw = side(); else delete document.body.dataset.draw;
    // on a phone the controls sit below the canvas: bring the canvas back to draw on
    if (side()) canvas.scrollIntoView({ block: 'nearest' });
  });
  $('clear-drawing').addEventListener('click', async () => {
    drawn.x = [];
    drawn.y = [];
    const pair = new URLSearchParams(app.readout.query).get('pair');
    await app.setKey('pair', pair, null);
  });

  $('import-csv').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    ev.target.value = '';
    if (!file) return;
    commit($('import-side').value, await file.text(), true);
  });

  const exportCsv = (what) => async () => {
    try {
      const csv = await app.client.call('exportCsv', { what });
      download(`otlab-${what}.csv`, new Blob([csv], { type: 'text/csv' }));
    } catch (e) { note(messageOf(e)); }
  };
  for (const what of ['x', 'y', 'gx']) $(`export-${what}`).addEventListener('click', exportCsv(what));
  $('export-png').addEventListener('click', () => canvas.toBlob((blob) => download('otlab.png', blob), 'image/png'));

  return { afterDraw };
}
