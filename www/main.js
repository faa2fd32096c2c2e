// Page glue: loads the wasm core, builds the controls, and asks the Lab to draw.
import init, { Lab, pairNames } from '../pkg/otlab.js';

const $ = (id) => document.getElementById(id);

function showError(err) {
  const box = $('message');
  box.textContent = String(err && err.message ? err.message : err);
  box.hidden = false;
}

async function main() {
  await init();
  const select = $('pair');
  for (const name of pairNames()) {
    select.append(new Option(name, name));
  }
  const lab = new Lab(select.value, 512, 0n);
  const canvas = $('main');
  const redraw = () => {
    try { lab.draw(canvas); } catch (e) { showError(e); }
  };
  select.addEventListener('change', () => {
    try { lab.setPair(select.value); redraw(); } catch (e) { showError(e); }
  });
  $('resample').addEventListener('click', () => { lab.resample(); redraw(); });
  redraw();
  $('status').textContent = 'ready';
  document.body.dataset.ready = '1';
}

main().catch((e) => { $('status').textContent = 'failed'; showError(e); });
