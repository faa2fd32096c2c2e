// Compare view: several methods on the same pair and seed, each in its own worker, advanced
// together in chunks of equal steps; a shared chart overlays every panel's MapErr and GeoDev (W2²
// and the latent W2² over their floors for generators and autoencoders), and a reference panel
// shows the discrete OT arrows.
import { Lab, drawFrame, drawCharts } from '../pkg/otlab.js';
import { RunClient } from './client.js';
import { messageOf } from './errors.js';
import { metricParts } from './readout.js';

const $ = (id) => document.getElementById(id);
/** The W2GAN paper's Figure 2 (Barycentric-OT, WGAN-GP, WGAN-LP, W2GAN) and the convex-potential map. */
export const FIGURE_2 = ['barycentric', 'wgan-gp', 'wgan-lp', 'w2gan', 'icnn'];
/** W2GAN with the paper's step and without the lab's 2000-update critic warm-up: the w2gan-fast
 * preset's settings (the opening run, the tour's W2GAN scenes and the compare view). */
export const W2GAN_FAST = 'critic_warmup=0&gen_fit=0&gen_halflife=0&gen_lr=3e-4';
/**
 * Settings per method in the compare view: W2GAN as the paper's Figure 2 trains it, from the
 * start, so the panels move together from step 1.
 */
const COMPARE_SETTINGS = { w2gan: W2GAN_FAST };
/** Steps every panel makes before they all move on. */
const CHUNK = 25;
/** The panels' colours (a swatch, their lines in the shared chart): none of the colours of X
 * (blue), Y (orange), G(X) (purple) or the learned map's arrows (green) in the panels. */
const COLORS = [[214, 39, 40], [140, 86, 75], [227, 119, 194], [188, 189, 34], [23, 190, 207], [127, 127, 127], [40, 40, 40], [23, 100, 100]];

export function setupCompare({ app, catalog, note, clearNote, dpr }) {
  for (const m of catalog.methods) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" data-compare="${m.name}" ${FIGURE_2.includes(m.name) ? 'checked' : ''}> ${m.name}`;
    $('compare-methods').append(label);
  }
  let panels = [];
  let playing = false;
  let target = 0;
  let lab = null;
  // each build has its own generation: a close or a newer build makes an older one give up
  let generation = 0;
  let building = false;

  // a panel's metrics: MapErr and GeoDev where it maps X to Y, else W2² and (autoencoders) the
  // latent W2², each over its sampling floor
  const metricsOf = (r) => {
    const e = r.eval || {};
    const latent = e.latent_w2sq == null || !r.latent_floor ? null : e.latent_w2sq / r.latent_floor;
    return e.map_err == null
      ? { bold: ['W2²/floor', e.w2_over_floor], light: ['latent/floor', latent] }
      : { bold: ['MapErr', e.map_err], light: ['GeoDev', e.geo_dev] };
  };

  // a panel's colour in the shared chart, shown by a swatch before its caption
  const colorOf = (p) => COLORS[panels.indexOf(p) % COLORS.length];
  // a caption writes the metrics as the read-out does
  const caption = (p) => {
    const r = p.readout;
    if (!r) return;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = `rgb(${colorOf(p).join(',')})`;
    p.caption.replaceChildren(swatch, [r.method, `step ${r.steps}`, ...metricParts(r)].join(' · '));
  };

  const chart = () => {
    const series = [];
    const names = { bold: new Set(), light: new Set() };
    panels.forEach((p) => {
      const color = colorOf(p);
      const [bold, light] = ['bold', 'light'].map((w) => p.history.filter((h) => h[w][1] > 0));
      if (bold.length) names.bold.add(bold[0].bold[0]);
      if (light.length) names.light.add(light[0].light[0]);
      const at = (list, w) => list.map((h) => [h.step, h[w][1]]);
      series.push({ name: `${p.method} ${bold[0]?.bold[0] ?? ''}`.trim(), color, points: at(bold, 'bold') });
      series.push({ name: `${p.method} ${light[0]?.light[0] ?? ''}`.trim(), color, reference: true, points: at(light, 'light') });
    });
    const title = `${[...names.bold].join(' or ') || 'MapErr'} (bold), ${[...names.light].join(' or ') || 'GeoDev'} (light), log`;
    const c = $('compare-chart');
    try {
      drawCharts(JSON.stringify({ title, x_label: 'step', log_y: true, empty: 'the panels\' metrics appear at their first evaluations', series }), c, dpr());
    } catch (e) { note(messageOf(e)); }
  };

  // the shared chart is drawn at most once per display frame, however many panels report
  let chartQueued = false;
  const queueChart = () => {
    if (chartQueued) return;
    chartQueued = true;
    requestAnimationFrame(() => { chartQueued = false; chart(); });
  };

  const size = () => {
    // square panels as wide as the grid's columns (the style sheet decides how many), all measured
    // before any is resized
    const canvases = [...$('compare-grid').querySelectorAll('canvas')];
    const widths = canvases.map((c) => c.clientWidth);
    for (const [i, c] of canvases.entries()) {
      const w = widths[i];
      c.style.height = `${w}px`;
      c.width = Math.round(w * dpr());
      c.height = Math.round(w * dpr());
    }
    // taller on a phone, where the legend goes under the plot
    const chartCanvas = $('compare-chart');
    const chartH = app.narrow() ? 340 : 260;
    chartCanvas.style.height = `${chartH}px`;
    chartCanvas.width = Math.round(chartCanvas.clientWidth * dpr());
    chartCanvas.height = Math.round(chartH * dpr());
  };

  const advance = async () => {
    if (!playing) return;
    const alive = panels.filter((p) => !p.failed);
    if (!alive.length) {
      playing = false;
      $('compare-play').textContent = 'Compare';
      app.playLabel(false);
      return;
    }
    target += CHUNK;
    await Promise.all(alive.map((p) => p.client.play(target).catch((e) => { p.failed = messageOf(e); })));
    // the others' stops advance the view; if every play was refused, no stop will come
    if (alive.every((p) => p.failed)) advance();
  };

  const stopped = (p) => (error, readout) => {
    // a closed view's workers may still report
    if (!panels.includes(p)) return;
    if (readout) { p.readout = readout; caption(p); }
    if (error) {
      p.failed = error;
      p.caption.textContent = `${p.method}: ${error}`;
    }
    p.client.requestFrame();
    // every panel at the target: the next chunk, or the pause asked for is complete
    if (!panels.every((q) => q.failed || (q.readout && q.readout.steps >= target))) return;
    if (playing) advance();
    else $('status').textContent = `compare paused at step ${target}: ${panels.map((q) => q.method).join(', ')}`;
  };

  // while the view is open the side column shows the shared chart in place of the hidden run's
  // read-out and charts, and the header's Play drives the panels (Step and Reset wait)
  const showView = (open) => {
    $('compare').hidden = !open;
    $('main').hidden = open;
    $('compare-chart').hidden = !open;
    $('chart').hidden = open;
    document.querySelector('.summary').hidden = open;
    $('step').disabled = open;
    $('reset').disabled = open;
    app.playLabel(false);
  };

  const close = () => {
    playing = false;
    generation += 1;
    for (const p of panels) p.client.terminate();
    panels = [];
    if (lab) { lab.free(); lab = null; }
    $('compare-grid').textContent = '';
    showView(false);
    // the run's charts were sized while hidden (no width to measure): size them again
    app.layout();
    $('compare-play').textContent = 'Compare';
    // the status line speaks of the main run again
    clearNote();
  };

  /** Build the panels (once at a time: a build under way makes another, or Compare, wait). */
  const build = async () => {
    if (building) return false;
    building = true;
    try {
      return await buildPanels();
    } finally {
      building = false;
    }
  };

  const buildPanels = async () => {
    close();
    const my = generation;
    const chosen = [...document.querySelectorAll('[data-compare]')].filter((c) => c.checked).map((c) => c.dataset.compare);
    const cores = Math.max(2, navigator.hardwareConcurrency || 2);
    if (!chosen.length) throw new Error('choose at least one method to compare');
    if (chosen.length > cores + 4) throw new Error(`choose at most ${cores + 4} methods (this device has ${cores} cores)`);
    await app.pause();
    if (my !== generation) return false;
    const q = new URLSearchParams(app.readout.query);
    const pair = q.get('pair');
    const seed = q.get('seed');
    if (app.readout.pair === 'custom') note(`the compare view trains on the named pair ${pair}: drawn or imported points stay in the main run`, 'info');
    showView(true);
    // the reference: the discrete OT arrows between samples of the pair
    const refFig = document.createElement('figure');
    const refCanvas = document.createElement('canvas');
    refCanvas.dataset.reference = '1';
    const refCap = document.createElement('figcaption');
    refCap.textContent = 'reference: the exact OT arrows from X to Y (512 points), in the panels\' colours for X and Y';
    refFig.append(refCap, refCanvas);
    $('compare-grid').append(refFig);
    for (const method of chosen) {
      const fig = document.createElement('figure');
      const canvas = document.createElement('canvas');
      canvas.dataset.method = method;
      const cap = document.createElement('figcaption');
      cap.textContent = `${method}: starting…`;
      // the name above its panel: at a laptop size the lower row's captions are below the fold
      fig.append(cap, canvas);
      $('compare-grid').append(fig);
      const p = { method, canvas, caption: cap, readout: null, history: [], failed: null };
      p.client = new RunClient({
        onFrame: (bytes, readout) => {
          p.readout = readout;
          const e = readout.eval;
          if (e && (!p.history.length || p.history[p.history.length - 1].step !== e.step)) p.history.push({ step: e.step, ...metricsOf(readout) });
          try { drawFrame(bytes, canvas, undefined, undefined, dpr()); } catch (err) { cap.textContent = messageOf(err); }
          caption(p);
          queueChart();
        },
        onStopped: null,
      });
      p.client.onStopped = stopped(p);
      panels.push(p);
    }
    size();
    // every panel in the reference's window, so that the panels compare at one scale
    let view = '';
    try {
      lab = new Lab(pair, 512, BigInt(seed));
      lab.draw(refCanvas, 0, true, dpr());
      view = `,view=${[...lab.window()].join(';')}`;
    } catch { refCap.textContent = 'reference: not available for this pair'; }
    await Promise.all(panels.map(async (p) => {
      try {
        const extra = COMPARE_SETTINGS[p.method] ? `&${COMPARE_SETTINGS[p.method]}` : '';
        await p.client.call('open', { query: `method=${p.method}&pair=${pair}&seed=${seed}&eval_every=${CHUNK}${extra}` });
        await p.client.call('layers', { list: `x,y,gx,map,nolegend${view}` });
        p.client.requestFrame();
      } catch (e) { p.failed = messageOf(e); p.caption.textContent = `${p.method}: ${p.failed}`; }
    }));
    target = 0;
    return my === generation;
  };

  $('compare-play').addEventListener('click', async () => {
    if (building) return;
    try {
      if (!panels.length && !(await build())) return;
      playing = !playing;
      $('compare-play').textContent = playing ? 'Pause' : 'Compare';
      app.playLabel(playing);
      const methods = panels.map((p) => p.method).join(', ');
      // a pause lets every panel finish the chunk it is in, so that all stop at the same step
      $('status').textContent = playing ? `comparing: ${methods}` : `compare pausing at step ${target}: ${methods}`;
      if (playing) {
        target = Math.max(0, ...panels.map((p) => (p.readout ? p.readout.steps : 0)));
        await advance();
      }
    } catch (e) { playing = false; app.playLabel(false); note(messageOf(e)); }
  });
  $('compare-close').addEventListener('click', close);
  // resizing clears the canvases: draw them again
  window.addEventListener('resize', () => {
    if (!panels.length) return;
    size();
    const ref = document.querySelector('#compare-grid canvas[data-reference]');
    if (lab && ref) lab.draw(ref, 0, true, dpr());
    for (const p of panels) p.client.requestFrame();
    chart();
  });
  app.compare = { build, close, get panels() { return panels; } };
}
