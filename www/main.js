// Page glue: loads the wasm core, builds the controls, and asks the Lab to draw.
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
  // which view the canvas shows: the OT explorer (geodesic) or the training run
  let view = 'explore';
  const { setupTraining } = await import('./train.js');
  const training = setupTraining({
    showError, clearError, pairSelect: select, canvas,
    onActive: () => { view = 'train'; document.body.dataset.view = 'train'; },
  });

  const explore = () => { view = 'explore'; document.body.dataset.view = 'explore'; };
  const redraw = () => {
    if (view === 'train') { training.draw(); return; }
    const t = Number(slider.value);
    $('t-value').textContent = `t = ${t.toFixed(2)}`;
    $('w2sq').textContent = lab.w2sq.toFixed(4);
    try { lab.draw(canvas, t, $('arrows').checked); } catch (e) { showError(e); }
  };
  const guarded = (f) => () => { try { f(); } catch (e) { showError(e); } redraw(); };

  select.addEventListener('change', guarded(() => { lab.setPair(select.value); training.setPair(select.value); }));
  $('resample').addEventListener('click', guarded(() => { explore(); lab.resample(); }));
  $('arrows').addEventListener('change', () => { explore(); redraw(); });
  slider.addEventListener('input', () => { explore(); redraw(); });

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
    explore();
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
