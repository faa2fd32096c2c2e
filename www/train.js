// The training panel: builds controls from the Rust key table, runs training in time slices
// per animation frame, draws the chosen layers and the charts, keeps the config in the URL hash.
import { Training, catalogJson } from '../pkg/otlab.js';
import { download } from './data.js';

const $ = (id) => document.getElementById(id);
/** The method catalog, key table and presets from the Rust core. */
export const catalog = JSON.parse(catalogJson());
const LAYERS = [
  ['gx', 'G(X)', true], ['x', 'X', true], ['y', 'Y', true], ['map', 'map x → G(x)', false],
  ['ot', 'discrete OT arrows', false], ['heat0', 'heat map 1st field', false], ['heat1', 'heat map 2nd field', false],
  ['signal', 'generator signal', false], ['monge', 'x − ∇φ(x)', false], ['trails', 'trails of G', false],
  ['geo', 'μ_t on the geodesic', false], ['cells', 'Laguerre cells', false],
  ['reconstruct', 'y → g(f(y))', false],
];
// milliseconds of training per animation frame, by speed setting (0: one update per frame);
// 8 ms keeps the page at ≥ 50 frames/s
const SPEEDS = [[0, '1 update/frame'], [2, '2 ms/frame'], [4, '4 ms/frame'], [8, '8 ms/frame'], [12, '12 ms/frame']];
// while training runs the charts are redrawn this often, in a frame with a shorter training slice
// (drawing them costs about as much as a frame's training)
const CHART_MS = 250;
const CHART_FRAME_SLICE_MS = 2;

export function setupTraining({ showError, clearError, pairSelect, canvas, onActive, onPair, geodesicT, afterDraw }) {
  let training = null;
  let playing = false;
  let chartAt = 0;
  const method = $('method');
  for (const m of catalog.methods) method.append(new Option(`${m.name} (${m.family})`, m.name));
  const presets = catalog.methods.flatMap((m) => m.presets.map((p) => ({ ...p, method: m.name })));
  for (const p of presets) $('preset').append(new Option(p.name, p.name));
  const speed = $('speed');
  const sliceMs = () => SPEEDS[Number(speed.value)][0];
  const showSpeed = () => { $('speed-value').textContent = SPEEDS[Number(speed.value)][1]; };
  speed.addEventListener('input', showSpeed);
  showSpeed();

  for (const [key, text, on] of LAYERS) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" data-layer="${key}" ${on ? 'checked' : ''}> ${text}`;
    $('layers').append(label);
  }
  const layerList = () => [...document.querySelectorAll('[data-layer]')].filter((c) => c.checked)
    .map((c) => (c.dataset.layer === 'geo' ? `geo=${geodesicT()}` : c.dataset.layer)).join(',');

  const explain = () => {
    const m = catalog.methods.find((x) => x.name === method.value);
    $('explain').innerHTML = `<b>Trains</b> ${m.trains}.<br><b>Loss</b> ${m.loss}.<br><b>Watch</b> ${m.watch}.`;
  };

  const params = () => new URLSearchParams(training ? training.query() : '');
  const buildKeys = () => {
    const box = $('keys');
    box.textContent = '';
    const m = catalog.methods.find((x) => x.name === method.value);
    const current = params();
    for (const name of m.keys.filter((k) => k !== 'pair')) {
      const spec = catalog.keys.find((k) => k.name === name);
      if (!spec) continue;
      const value = current.get(name) ?? m.defaults[name];
      let input;
      if (spec.kind.type === 'choice') {
        input = document.createElement('select');
        for (const o of spec.kind.of) input.append(new Option(o, o));
      } else if (spec.kind.type === 'bool') {
        input = document.createElement('select');
        for (const o of ['true', 'false']) input.append(new Option(o, o));
      } else {
        input = document.createElement('input');
        input.type = 'number';
        input.min = spec.kind.min; input.max = spec.kind.max;
        input.step = spec.kind.type === 'int' ? '1' : 'any';
      }
      input.value = value;
      input.dataset.key = name;
      input.title = `${spec.help}${spec.live ? ' (applies live)' : ' (rebuilds the model)'}`;
      input.addEventListener('change', () => apply(name, input));
      const label = document.createElement('label');
      label.append(`${name}${spec.live ? '' : ' ⟳'}`, input);
      box.append(label);
    }
  };

  const apply = (name, input) => {
    if (!training) return;
    try {
      training.set(name, input.value);
      clearError();
      saveHash();
      draw();
    } catch (e) {
      // the typed value stays in the box so the user can fix it
      showError(e);
    }
  };

  const saveHash = () => { if (training) history.replaceState(null, '', `#${training.query()}`); };

  const create = (query) => {
    const next = new Training(query);
    if (training) training.free();
    training = next;
    const p = params();
    method.value = p.get('method');
    if (pairSelect.value !== p.get('pair')) { pairSelect.value = p.get('pair'); onPair(p.get('pair')); }
    explain();
    buildKeys();
    saveHash();
  };

  const readout = () => {
    const r = JSON.parse(training.readout());
    const e = r.evals[r.evals.length - 1] || {};
    const f = (v) => (v === null || v === undefined ? 'n/a' : v.toFixed(4));
    const losses = r.losses.map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
    const pair = training.pairName === 'custom' ? ' · custom data' : '';
    $('train-readout').textContent =
      `step ${r.steps} · W2² ${f(e.w2sq)} · MapErr ${f(e.map_err)} · GeoDev ${f(e.geo_dev)} · ${r.steps_per_s.toFixed(1)} steps/s${losses ? ' · ' + losses : ''}${pair}`;
  };

  const draw = (force = true) => {
    if (!training) return;
    try {
      training.setLayers(layerList());
      training.draw(canvas);
      $('latent').hidden = !training.drawLatent($('latent'));
      afterDraw(canvas, training.plotRect());
      readout();
      const now = performance.now();
      if (force || now - chartAt >= CHART_MS) { training.drawCharts($('chart')); chartAt = now; }
    } catch (e) { showError(e); }
  };

  const act = (f) => () => {
    try { ensure(); f(); clearError(); } catch (e) { playing = false; $('train-play').textContent = 'Train'; showError(e); }
    draw();
  };

  const loop = () => {
    if (!playing) return;
    const chartDue = performance.now() - chartAt >= CHART_MS;
    const ms = chartDue ? Math.min(sliceMs(), CHART_FRAME_SLICE_MS) : sliceMs();
    try { training.runFor(ms); } catch (e) { playing = false; $('train-play').textContent = 'Train'; showError(e); }
    draw(!playing);
    if (playing) requestAnimationFrame(loop);
  };

  $('train-play').addEventListener('click', act(() => {
    playing = !playing;
    $('train-play').textContent = playing ? 'Pause' : 'Train';
    if (playing) requestAnimationFrame(loop);
  }));
  $('step-critic').addEventListener('click', act(() => training.step('critic')));
  $('step-gen').addEventListener('click', act(() => training.step('generator')));
  $('step-both').addEventListener('click', act(() => training.step('both')));
  $('reset').addEventListener('click', act(() => training.reset()));
  $('preset').addEventListener('change', act(() => {
    const p = presets.find((x) => x.name === $('preset').value);
    if (!p) return;
    const q = new URLSearchParams(`method=${p.method}&${p.query}`);
    if (!q.has('pair')) q.set('pair', pairSelect.value);
    create(q.toString());
  }));
  method.addEventListener('change', act(() => { training.set('method', method.value); explain(); buildKeys(); saveHash(); }));
  document.querySelectorAll('[data-layer]').forEach((c) => c.addEventListener('change', () => { if (training) draw(); }));
  $('share').addEventListener('click', act(() => {
    const link = `${location.origin}${location.pathname}#${training.query()}`;
    navigator.clipboard?.writeText(link).catch(() => {});
    $('share').dataset.link = link;
  }));
  $('save').addEventListener('click', act(() => {
    download(`otlab-${method.value}.json`, new Blob([training.saveParams()], { type: 'application/json' }));
  }));
  $('load').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    const text = await file.text();
    act(() => training.loadParams(text))();
  });

  explain();
  // a shared link: start from the hash (a malformed one is reported, the page keeps working)
  if (location.hash.length > 1) {
    try { create(decodeURIComponent(location.hash.slice(1))); onActive(); draw(); } catch (e) { showError(e); }
  }
  const ensure = () => {
    if (!training) create(location.hash.slice(1) || `method=${method.value}&pair=${pairSelect.value}`);
    onActive();
    return training;
  };
  return {
    setPair: (name) => { if (training) { training.set('pair', name); saveHash(); draw(); } },
    get active() { return training !== null; },
    pause: () => { playing = false; $('train-play').textContent = 'Train'; },
    showGeodesic: () => { document.querySelector('[data-layer="geo"]').checked = true; },
    ensure,
    draw,
  };
}
