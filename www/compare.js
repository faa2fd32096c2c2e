// Compare view: several methods trained side by side on the same pair and seed, live (the W2GAN
// paper's Figure 2: Barycentric-OT, WGAN-GP, WGAN-LP and W2GAN learning a map X → Y).
import { Training } from '../pkg/otlab.js';
import { catalog } from './train.js';

const $ = (id) => document.getElementById(id);
const FIGURE_2 = ['barycentric', 'wgan-gp', 'wgan-lp', 'w2gan'];
// training time per animation frame, shared by all panels
const SLICE_MS = 8;

export function setupCompare({ pairSelect, seed, showError, clearError, onActive, onClose }) {
  for (const m of catalog.methods) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" data-compare="${m.name}" ${FIGURE_2.includes(m.name) ? 'checked' : ''}> ${m.name}`;
    $('compare-methods').append(label);
  }
  let runs = [];
  // the pair the current runs were built for
  let builtFor = null;
  let playing = false;

  const stop = () => { playing = false; $('compare-play').textContent = 'Compare'; };
  const free = () => { for (const r of runs) r.training.free(); runs = []; $('compare').textContent = ''; };

  const build = () => {
    free();
    const chosen = [...document.querySelectorAll('[data-compare]')].filter((c) => c.checked).map((c) => c.dataset.compare);
    if (!chosen.length) throw new Error('choose at least one method to compare');
    for (const m of chosen) {
      // each method with its own defaults (map mode for the dual family)
      const training = new Training(`method=${m}&pair=${pairSelect.value}&seed=${seed()}&eval_every=25`);
      training.setLayers('x,y,gx,map');
      const fig = document.createElement('figure');
      const canvas = document.createElement('canvas');
      canvas.width = 380; canvas.height = 380;
      canvas.dataset.method = m;
      const caption = document.createElement('figcaption');
      fig.append(canvas, caption);
      $('compare').append(fig);
      runs.push({ m, training, canvas, caption });
    }
  };

  const draw = () => {
    for (const r of runs) {
      r.training.draw(r.canvas);
      const out = JSON.parse(r.training.readout());
      const e = out.evals[out.evals.length - 1] || {};
      const f = (v) => (v === null || v === undefined ? 'n/a' : v.toFixed(3));
      r.caption.textContent = `${r.m} · step ${out.steps} · W2² ${f(e.w2sq)} · MapErr ${f(e.map_err)}`;
    }
  };

  const loop = () => {
    if (!playing) return;
    try {
      for (const r of runs) r.training.runFor(SLICE_MS / runs.length);
      draw();
    } catch (e) { stop(); showError(e); }
    if (playing) requestAnimationFrame(loop);
  };

  $('compare-play').addEventListener('click', () => {
    try {
      if (!runs.length || builtFor !== pairSelect.value) { build(); builtFor = pairSelect.value; }
      onActive();
      $('compare').hidden = false;
      playing = !playing;
      $('compare-play').textContent = playing ? 'Pause' : 'Compare';
      clearError();
      draw();
      if (playing) requestAnimationFrame(loop);
    } catch (e) { stop(); showError(e); }
  });
  $('compare-close').addEventListener('click', () => { stop(); free(); $('compare').hidden = true; onClose(); });

  return { stop, get active() { return runs.length > 0; } };
}
