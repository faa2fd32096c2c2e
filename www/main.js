// Page glue: loads the wasm core, builds the controls, and switches the canvas between the OT
// explorer (samples, OT arrows, the W2 geodesic), a training run and the compare view.
import init, { Lab, pairNames } from '../pkg/otlab.js';

const $ = (id) => document.getElementById(id);

function showError(err) {
  const box = $('message');
  box.textContent = String(err && err.message ? err.message : err);
  box.hidden = false;
}

function clearError() {
  $('message').hidden = true;
}

async function main() {
  await init();
  const select = $('pair');
  for (const name of pairNames()) select.append(new Option(name, name));
  const hashPair = new URLSearchParams(location.hash.slice(1)).get('pair');
  if (hashPair && [...select.options].some((o) => o.value === hashPair)) select.value = hashPair;
  const lab = new Lab(select.value, 512, 0n);
  const canvas = $('main');
  const slider = $('t');
  let playing = false;
  // which view shows: the OT explorer (geodesic), the training run, or the compare grid
  let view = 'explore';
  const setView = (v) => { view = v; document.body.dataset.view = v; };
  const { setupTraining } = await import('./train.js');
  const { setupData } = await import('./data.js');
  const { setupCompare } = await import('./compare.js');
  let data = null;
  const training = setupTraining({
    showError, clearError, pairSelect: select, canvas,
    onActive: () => setView('train'),
    onPair: (name) => { try { lab.setPair(name); } catch (e) { showError(e); } },
    geodesicT: () => Number(slider.value),
    afterDraw: (c, rect) => data && data.afterDraw(c, rect),
  });
  data = setupData({ canvas, training, pairSelect: select, showError, clearError });
  setupCompare({
    pairSelect: select,
    seed: () => new URLSearchParams(location.hash.slice(1)).get('seed') ?? '0',
    showError, clearError,
    onActive: () => { training.pause(); setView('compare'); },
    onClose: () => setView(training.active ? 'train' : 'explore'),
  });

  const explore = () => setView('explore');
  const redraw = () => {
    const t = Number(slider.value);
    $('t-value').textContent = `t = ${t.toFixed(2)}`;
    $('w2sq').textContent = lab.w2sq.toFixed(4);
    if (view === 'train') { training.draw(); return; }
    if (view === 'compare') return;
    try { lab.draw(canvas, t, $('arrows').checked); } catch (e) { showError(e); }
  };
  const guarded = (f) => () => { try { f(); } catch (e) { showError(e); } redraw(); };

  select.addEventListener('change', guarded(() => { lab.setPair(select.value); training.setPair(select.value); }));
  $('resample').addEventListener('click', guarded(() => { explore(); lab.resample(); }));
  $('arrows').addEventListener('change', () => { explore(); redraw(); });
  // in the training view the slider moves μ_t of the run's held-out samples, next to G(X)
  const followSlider = () => { if (view === 'train') training.showGeodesic(); };
  slider.addEventListener('input', () => { followSlider(); redraw(); });

  // play: t runs 0 → 1 in two seconds, then stops at 1
  let last = 0;
  const tick = (now) => {
    if (!playing) return;
    const dt = last ? (now - last) / 2000 : 0;
    last = now;
    slider.value = String(Math.min(1, Number(slider.value) + dt));
    redraw();
    if (Number(slider.value) >= 1) { playing = false; $('play').textContent = 'Play'; return; }
    requestAnimationFrame(tick);
  };
  $('play').addEventListener('click', () => {
    if (view === 'compare') explore();
    followSlider();
    playing = !playing;
    $('play').textContent = playing ? 'Pause' : 'Play';
    if (playing) {
      if (Number(slider.value) >= 1) slider.value = '0';
      last = 0;
      requestAnimationFrame(tick);
    }
  });

  redraw();
  $('status').textContent = 'ready';
  document.body.dataset.ready = '1';
}

main().catch((e) => { $('status').textContent = 'failed'; showError(e); });
