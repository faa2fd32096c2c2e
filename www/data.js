// Your own data: draw points with the mouse into X or Y, import a CSV, export X, Y, G(X) as CSV
// and the canvas as PNG. Drawn points show at once and are handed to the run on mouse-up.

const $ = (id) => document.getElementById(id);
// data coordinates of the plot window (math.md §1)
const LO = -2;
const HI = 2;
// a stroke adds a point each time the pointer moves this far (data units)
const SPACING = 0.04;

/** Offer `blob` as a file download named `name`. */
export function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

export function setupData({ canvas, training, pairSelect, showError, clearError }) {
  // points drawn so far per side, in data coordinates
  const drawn = { x: [], y: [] };
  let stroke = false;
  let rect = [0, 0, 1, 1];
  const side = () => $('draw-side').value;

  const toData = (ev) => {
    const box = canvas.getBoundingClientRect();
    const px = ((ev.clientX - box.left) * canvas.width) / box.width;
    const py = ((ev.clientY - box.top) * canvas.height) / box.height;
    const [l, t, r, b] = rect;
    return [LO + ((px - l) / (r - l)) * (HI - LO), HI - ((py - t) / (b - t)) * (HI - LO)];
  };
  const toPixel = ([x, y]) => {
    const [l, t, r, b] = rect;
    return [l + ((x - LO) / (HI - LO)) * (r - l), t + ((HI - y) / (HI - LO)) * (b - t)];
  };

  const add = (ev) => {
    const p = toData(ev);
    if (p[0] < LO || p[0] > HI || p[1] < LO || p[1] > HI) return;
    const list = drawn[side()];
    const last = list[list.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) >= SPACING) list.push(p);
  };

  // the drawn points on top of whatever the run drew (black rings)
  const afterDraw = (c, plotRect) => {
    rect = plotRect;
    const ctx = c.getContext('2d');
    ctx.strokeStyle = '#111';
    for (const p of [...drawn.x, ...drawn.y]) {
      const [px, py] = toPixel(p);
      ctx.beginPath();
      ctx.arc(px, py, 3, 0, 2 * Math.PI);
      ctx.stroke();
    }
  };

  const commit = (s, csv) => {
    try {
      const t = training.ensure();
      t.setPoints(s, csv);
      clearError();
    } catch (e) { showError(e); }
    training.draw();
  };

  canvas.addEventListener('pointerdown', (ev) => {
    if (!side()) return;
    training.ensure();
    stroke = true;
    canvas.setPointerCapture(ev.pointerId);
    add(ev);
    training.draw();
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!stroke) return;
    add(ev);
    training.draw();
  });
  canvas.addEventListener('pointerup', () => {
    if (!stroke) return;
    stroke = false;
    const s = side();
    if (drawn[s].length < 2) { showError(`draw at least 2 points into ${s.toUpperCase()} (drawn: ${drawn[s].length})`); return; }
    commit(s, drawn[s].map(([x, y]) => `${x},${y}`).join('\n'));
  });
  $('draw-side').addEventListener('change', () => {
    if (side()) document.body.dataset.draw = side(); else delete document.body.dataset.draw;
  });
  $('clear-drawing').addEventListener('click', () => {
    drawn.x = [];
    drawn.y = [];
    try { training.ensure().set('pair', pairSelect.value); clearError(); } catch (e) { showError(e); }
    training.draw();
  });

  $('import-csv').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    const text = await file.text();
    ev.target.value = '';
    commit($('import-side').value, text);
  });

  const exportCsv = (what) => () => {
    try {
      const csv = training.ensure().exportCsv(what);
      download(`otlab-${what}.csv`, new Blob([csv], { type: 'text/csv' }));
    } catch (e) { showError(e); }
  };
  for (const what of ['x', 'y', 'gx']) $(`export-${what}`).addEventListener('click', exportCsv(what));
  $('export-png').addEventListener('click', () => {
    canvas.toBlob((blob) => download('otlab.png', blob), 'image/png');
  });

  return { afterDraw };
}
