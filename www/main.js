// The page: one training run in a Web Worker drawn on the big canvas, the controls built from the
// Rust registry, the read-out and charts beside it; the compare view and the guided tour on top.
// The main thread only draws frames the worker posts and answers the user.
import { catalogJson, pairNames, drawFrame, linkLayers } from '../pkg/otlab.js';
import { RunClient } from './client.js';
import { loadCore, loadedBuild } from './wasm.js';
import { messageOf } from './errors.js';
import { fmt, metricParts } from './readout.js';
import { setupData, download } from './data.js';
import { setupCompare, W2GAN_FAST } from './compare.js';
import { setupTour, tourScene } from './tour.js';

const $ = (id) => document.getElementById(id);
/** The opening run: W2GAN on 4-Gaussians, fast settings, the OT arrows and the learned map. */
export const OPENING = `method=w2gan&pair=gaussians4&${W2GAN_FAST}&eval_every=25`;
const OPENING_LAYERS = ['x', 'y', 'gx', 'ot', 'map'];
/** Steps per second of the slow-motion speeds (0: full speed). */
const SLOW = { 1: 1, 4: 4 };
/** What the read-out's floors are, under every method's text. */
const FLOORS = '<details><summary>what the read-out’s floors are</summary>Each metric is set against its '
  + 'floor, what sampling noise alone scores.<br>• W2² and the latent W2² read ‘× floor’: their floor is W2² between '
  + 'two independent samples of the target (of the prior, for the codes) of the evaluation’s size. 1× floor is as '
  + 'close as a fresh sample would be; a little below 1 is noise, not a better fit.<br>• MapErr and GeoDev read '
  + '‘(floor x)’: what a near-exact map scores (the discrete OT reference is noisy too); GeoDev’s is taken as '
  + 'far along the geodesic as the run.<br>• On a mixture (4 or 8 Gaussians, the grid, the checkerboard), off-mode is '
  + 'the share of generated points farther than 3 standard deviations from every mode (outside every square), beside '
  + 'the held-out targets’ own share: blur and bridges between modes that W2² against its floor barely registers.</details>';

/** The keys the Train tab shows for a method: not the pair, mode, seed and sampling (the Data tab
 * and the menus hold them), nor `steps`, the command line's and the claims' run length (the page
 * trains until paused), except where it ends a settling phase (WAE-MMD, WVAE). */
const shownKeys = (m) => m.keys.filter((k) => !['pair', 'mode', 'seed', 'sampling'].includes(k) && (k !== 'steps' || m.keys.includes('settle')));

/** Two written values of a key are the same value: equal text, or equal numbers written two
 * ways (the registry writes 1e-3, a query 0.001); a missing value (null) equals only another. */
const sameValue = (a, b) => a === b || (a != null && b != null && String(a).trim() !== '' && String(b).trim() !== '' && Number(a) === Number(b));

/** A link's hash split into the run's query and the layers it names (null when it names none). */
function splitLink(hash) {
  const parts = hash.split('&');
  const named = parts.find((p) => p.startsWith('layers='));
  const layers = named === undefined ? null : decodeURIComponent(named.slice(7)).split(',').filter(Boolean);
  return { query: parts.filter((p) => p !== named).join('&'), layers };
}
/** Layer names as the worker and a link write them: μ_t with its t, and a fixed window. */
const layerEntries = (app, names) => names.map((l) => (l === 'geo' ? `geo=${Number(app.t.toFixed(3))}` : l))
  .concat(app.view ? [`view=${app.view.join(';')}`] : []);
/** The link of the open run: its config, the layers asked for, t (`geo=T`) and a fixed window. */
const linkOf = (app) => (app.readout ? `${app.readout.query}&layers=${layerEntries(app, [...app.layers]).join(',')}` : '');
/** The least time in ms between two writes of the address. */
const LINK_EVERY = 350;

/** Whether a step of the run `r` (a read-out) takes a critic update and a generator update (else one kind). */
const alternates = (r) => r.has_critic && r.has_generator;

/** The header's Play button as a pause button (`on`) or a play button. */
function playLabel(on) {
  $('play').textContent = on ? '❚❚ Pause' : '▶ Play';
  $('play').setAttribute('aria-pressed', String(on));
}


async function main() {
  // a Play pressed while the core loads and the first run opens is kept, and honoured then
  let booting = true;
  let earlyPlay = false;
  const early = () => {
    earlyPlay = !earlyPlay;
    playLabel(earlyPlay);
  };
  $('play').addEventListener('click', early);
  await loadCore();
  document.body.dataset.wasm = loadedBuild();
  const catalog = JSON.parse(catalogJson());
  const app = {
    catalog,
    readout: null,
    layers: new Set(OPENING_LAYERS),
    t: 0.5,
    /** The plot's fixed window [x0, y0, size], or null while it fits the data. */
    view: null,
    info: null,
    playing: false,
    lastFrame: null,
    // seconds a step was estimated to take when its settings were accepted, and those settings
    stepSeconds: 0,
    accepted: null,
    // the points drawn or imported into each side of a custom pair, as CSV
    customPoints: {},
    // the keys the last change of method kept from the run before (not its defaults), less any
    // key set since
    kept: [],
  };
  const canvas = $('main');
  const dpr = () => window.devicePixelRatio || 1;

  // ---- messages: a status line by the canvas, and errors next to the control that caused them
  const note = (text, kind = 'bad') => {
    const n = $('note');
    const shown = !n.hidden;
    n.textContent = text;
    n.className = `note ${kind === 'info' ? 'info' : ''}`;
    n.hidden = !text;
    // the canvas makes room for the note below it, so the note never covers the plot
    if (shown !== !n.hidden || (text && n.offsetHeight !== app.noteHeight)) layout();
    // while the compare view is open the status line speaks of it, unless there is news
    if (!text && !$('compare').hidden) return;
    $('status').textContent = text ? (kind === 'info' ? text : `⚠ ${text}`) : '';
    $('status').classList.toggle('bad', kind !== 'info' && !!text);
  };
  const status = () => {
    const r = app.readout;
    if (r && $('compare').hidden) $('status').textContent = `${app.playing ? 'training' : 'paused'}: ${r.method} on ${r.pair}`;
  };
  /** Clear the note; what the core says about the run's own points stays while they are its
   * data (points far from the origin: training may get nowhere), and the status line speaks of
   * the run. */
  const clearNote = () => {
    note(app.readout?.data_note ?? '', 'info');
    status();
  };

  // ---- sizes: the canvas as large as fits beside the control column, sharp on HiDPI screens
  /** A phone's layout (the style sheet's breakpoint): the side column stacks under the plot. */
  app.narrow = () => window.matchMedia('(max-width: 900px)').matches;
  const layout = () => {
    const stage = document.querySelector('.stage');
    const narrow = app.narrow();
    const w = stage.clientWidth - 16;
    app.noteHeight = $('note').hidden ? 0 : $('note').offsetHeight;
    const h = narrow ? w : stage.clientHeight - 16 - (app.noteHeight ? app.noteHeight + 10 : 0);
    const side = Math.max(200, Math.floor(Math.min(w, h)));
    // on a phone the charts stack (render_charts), so their canvas is taller
    // the charts take the side column's width: measured without the width set last time; hidden
    // (the compare view stands in for them) they keep their size until it closes
    const chart = $('chart');
    const sized = [[canvas, side, side]];
    if (!chart.hidden) {
      chart.style.width = '';
      sized.push([chart, chart.clientWidth, narrow ? 540 : 300]);
    }
    for (const [c, cw, ch] of sized) {
      c.style.width = `${cw}px`;
      c.style.height = `${ch}px`;
      c.width = Math.round(cw * dpr());
      c.height = Math.round(ch * dpr());
    }
    const lat = $('latent');
    // beside the read-out on a wide screen, under it on a phone
    const lw = narrow ? Math.min(lat.parentElement.clientWidth - 4, 320) : 220;
    lat.style.width = `${lw}px`;
    lat.style.height = `${lw}px`;
    lat.width = Math.round(lw * dpr());
    lat.height = Math.round(lw * dpr());
    if (app.lastFrame) draw(app.lastFrame);
  };
  app.layout = layout;

  // ---- the run
  const client = new RunClient({
    onFrame: (bytes, readout) => {
      app.lastFrame = bytes;
      draw(bytes);
      show(readout);
    },
    onStopped: (error, readout) => {
      setPlaying(false);
      if (readout) show(readout);
      if (error) note(error);
      client.requestFrame();
    },
    // a step far slower than estimated (OT plans the estimate does not count) leaves the worker
    // deaf: the note says so and offers to stop it, which reopens the run at step 0 with its
    // settings and its custom points; the offer goes once the worker is heard from again
    onStuck: (seconds, stop) => {
      if (seconds === null) {
        if ($('stop-step')) clearNote();
        return;
      }
      note(`One training step has run for more than ${seconds.toFixed(0)} s: these settings cost more than estimated.`);
      const button = document.createElement('button');
      button.id = 'stop-step';
      button.type = 'button';
      button.textContent = 'Stop it';
      button.addEventListener('click', async () => {
        stop();
        stopSlow();
        setPlaying(false);
        try {
          await reopen(app.readout.query);
          note('The step was stopped and the run reopened at step 0 with its settings: lighten them (batch, widths, n_critic) before training again.');
        } catch (e) { note(messageOf(e)); }
      });
      $('note').append(' ', button);
      layout();
    },
    // a step may take three times the run's pace, or the estimate its settings were accepted with
    patience: () => 3000 * Math.max(2 / 3, app.stepSeconds, app.readout?.steps_per_s > 0 ? 1 / app.readout.steps_per_s : 0),
  });
  app.client = client;

  const draw = (bytes) => {
    try {
      const latentOn = app.readout && app.readout.mode === 'generative' && app.readout.family === 'primal';
      app.info = JSON.parse(drawFrame(bytes, canvas, $('chart'), latentOn ? $('latent') : undefined, dpr()));
      $('latent').hidden = !app.info.latent;
      data.afterDraw(canvas, app.info);
    } catch (e) { note(messageOf(e)); }
  };

  let written = null;
  const show = (r) => {
    const old = app.readout;
    // the controls are rebuilt when the method, the mode or the offered layers change; other
    // values are copied into their fields (not into one being edited or marked invalid)
    const rebuild = !old || old.method !== r.method || old.mode !== r.mode || old.layers.length !== r.layers.length;
    app.readout = r;
    if (r.pair !== 'custom') app.customPoints = {};
    const e = r.eval || {};
    const parts = [`step ${r.steps}`];
    const warming = r.steps === 0 && r.critic_needed > 0 && r.critic_done > 0;
    // the warm-up and the first step's n_critic updates, all before G's first step
    if (warming) {
      // a warm-up where the method has one (else the first step's n_critic); Step critic can take
      // more than are due
      const what = Number(new URLSearchParams(r.query).get('critic_warmup')) > 0 ? 'critic warm-up' : 'critic';
      parts.push(r.critic_done <= r.critic_needed ? `${what}: ${r.critic_done} / ${r.critic_needed} critic updates before G's first step`
        : `critic: ${r.critic_done} updates before G's first step (${r.critic_needed} were due)`);
    }
    parts.push(...metricParts(r));
    if (e.step !== undefined && e.step !== r.steps) parts.push(`metrics of step ${e.step}`);
    const losses = r.losses.map(([k, v]) => `${k} ${fmt(v)}`).join(' · ');
    $('readout').innerHTML = '';
    $('readout').append(parts.join(' · '));
    // the losses' line is there from step 0, so the read-out keeps its height when training starts
    const small = document.createElement('div');
    small.className = 'explain';
    const rate = warming ? 'G waits for the critic\'s warm-up' : `${r.steps_per_s.toFixed(1)} steps/s`;
    const speed = app.playing && !SLOW[$('speed').value] ? rate : '';
    // a schedule (settling, a halving rate) changes what the settings fields say is in force
    small.textContent = [losses || 'losses: after the first step', r.schedule, speed, r.pair === 'custom' ? 'custom data' : ''].filter(Boolean).join(' · ');
    $('readout').append(small);
    // they split a step into its two updates; a method with one kind (W2-OT, semi-dual) has Step
    $('step-critic').disabled = !alternates(r);
    $('step-gen').disabled = !alternates(r);
    if (rebuild) controls();
    else if (old.query !== r.query || old.pair !== r.pair) syncValues();
    if (!old || old.query !== r.query) showPreset();
    if ($('note').hidden) status();
    writeLink();
  };
  // the address holds the run's config and the drawn layers; browsers limit how often it may
  // change (a t sweep or a slider drag would pass the limit), so it is written only when one of
  // them changed, at most once per LINK_EVERY ms, the last change always
  let linkTimer = null;
  let linkWritten = -Infinity;
  const writeLinkNow = () => {
    linkTimer = null;
    const link = linkOf(app);
    if (app.inTour || !link || link === written) return;
    written = link;
    linkWritten = performance.now();
    try { history.replaceState(null, '', `#${link}`); } catch { written = null; }
  };
  const writeLink = () => {
    if (linkTimer) return;
    const wait = linkWritten + LINK_EVERY - performance.now();
    if (wait <= 0) writeLinkNow();
    else linkTimer = setTimeout(writeLinkNow, wait);
  };

  const frame = () => client.requestFrame();
  // app.layers is what the user asked for; a method draws those it offers, and the rest come
  // back when a method that has them returns
  const layerList = () => {
    const offered = new Set(app.readout ? app.readout.layers.map(([k]) => k) : []);
    return layerEntries(app, [...app.layers].filter((l) => offered.has(l))).join(',');
  };
  /** Ask for layer `key` (one heat map at a time). */
  const addLayer = (key) => {
    if (key.startsWith('heat')) for (const h of [...app.layers]) if (h.startsWith('heat')) app.layers.delete(h);
    app.layers.add(key);
  };
  const pushLayers = async () => {
    await client.call('layers', { list: layerList() });
    writeLink();
    frame();
  };

  /** Open a run from a query; what the link held that could not be used is reported. */
  const open = async (query, layers) => {
    stopSlow();
    setPlaying(false);
    app.stepSeconds = 0;
    const r = await client.call('open', { query });
    $('load-done').textContent = '';
    app.kept = [];
    $('kept').hidden = true;
    app.leaveTour();
    const problems = [...r.warnings];
    if (layers) {
      // names, t (`geo=T`) and a fixed window (`view=x0;y0;size`), read by the core; a malformed
      // t or window is a problem named, and left out
      const read = JSON.parse(linkLayers(layers.join(',')));
      app.layers = new Set(read.names);
      if (read.t !== null) showT(read.t);
      setView(read.view);
      problems.push(...read.problems);
    }
    app.readout = null;
    show(r.readout);
    await pushLayers();
    if (problems.length) note(`Part of the link could not be used: ${problems.join('; ')}`, 'bad');
    else clearNote();
    return r.readout;
  };
  app.open = open;
  /** Open a query with the run's custom points (drawn or imported), if it has any. */
  const reopen = async (query) => {
    const points = { ...app.customPoints };
    const r = await open(query);
    for (const [side, csv] of Object.entries(points)) {
      // in generative mode the source is noise: drawn source points have no place there
      if (side === 'x' && r.mode !== 'map') {
        note('your source points X are not in this run: in generative mode the source is noise', 'info');
        continue;
      }
      show((await client.call('points', { side, csv })).readout);
      app.customPoints[side] = csv;
    }
    if ($('note').hidden) clearNote();
    frame();
  };
  /** Open a link's run with the layers it names (the opening run's layers for a bare link). */
  const openLink = (hash) => {
    const { query, layers } = splitLink(hash);
    return open(query || OPENING, layers ?? (query ? null : OPENING_LAYERS));
  };

  /** The fields whose typed value was refused, as `key = value in force (not typed)`. */
  const refused = () => {
    const q = new URLSearchParams(app.readout.query);
    return [...document.querySelectorAll('#keys .invalid')].map((i) => `${i.dataset.key} = ${q.get(i.dataset.key)} (not ${i.value})`);
  };

  // ---- transport: play / pause (idempotent), step, reset, speeds
  app.playLabel = playLabel;
  const setPlaying = (on) => {
    app.playing = on;
    playLabel(on);
  };
  // slow motion runs while its token is current; pausing or a new play starts a new token
  let slowToken = 0;
  const stopSlow = () => { slowToken += 1; };
  const slowMotion = (rate) => {
    const token = ++slowToken;
    const next = async () => {
      if (token !== slowToken) return;
      const r = app.readout;
      try {
        // the update a full step takes next: the critic's while it is due more (n_critic, a
        // warm-up before G's first), then G's
        const done = await client.call('step', { phase: 'next' });
        if (token !== slowToken) return;
        const critic = alternates(r) && done.steps === r.steps;
        // name the update taken: a method with one kind of update names its step
        note(critic ? `critic update ${done.critic_done} of ${done.critic_needed}: the critic learns from the current samples while the rest holds still`
          : `${r.step_name}${alternates(r) ? ': it follows the critic\'s signal while the critic holds still' : ''}`, 'info');
        show(done);
        frame();
        setTimeout(next, 1000 / rate);
      } catch (e) { await pause(); note(messageOf(e)); }
    };
    next();
  };
  /**
   * Whether a step estimated at `s` seconds is accepted: over a second the user is asked (`With
   * ${what} one step would take …`); an accepted estimate sets how long a step may run.
   */
  const costAccepted = (s, what, question) => {
    if (s > 1 && !window.confirm(`With ${what} one step would take about ${s.toFixed(1)} s. ${question}`)) return false;
    app.stepSeconds = s;
    return true;
  };
  let asking = false;
  const play = async () => {
    if (app.playing || asking) return;
    // a link can hold settings no one was asked about: the first step's cost is checked, unless
    // these settings were just accepted
    if (app.readout.steps === 0 && app.readout.query !== app.accepted) {
      asking = true;
      const s = await client.call('estimate', { key: '', value: '' }).catch(() => 0);
      asking = false;
      if (!costAccepted(s, 'this run\'s settings', 'Train anyway?')) return;
      app.accepted = app.readout.query;
    }
    setPlaying(true);
    clearNote();
    const kept = refused();
    if (kept.length) note(`training with ${kept.join(', ')}: a marked field's value is not in force until it is valid`, 'info');
    const rate = SLOW[$('speed').value];
    // slow motion: one update at a time, the phase named under the canvas
    if (rate) return slowMotion(rate);
    try { show(await client.play()); } catch (e) { setPlaying(false); note(messageOf(e)); }
  };
  const pause = async () => {
    const slow = app.playing && SLOW[$('speed').value];
    stopSlow();
    setPlaying(false);
    if (slow) clearNote();
    try { show(await client.pause()); } catch (e) { note(messageOf(e)); }
    frame();
  };
  app.play = play;
  app.pause = pause;
  const act = (f) => async () => {
    try { show(await f()); clearNote(); frame(); } catch (e) { note(messageOf(e)); }
  };
  // while the compare view is open, Play plays and pauses it; the hidden run is left alone
  $('play').removeEventListener('click', early);
  $('play').addEventListener('click', () => {
    if (booting) early();
    else if (!$('compare').hidden) $('compare-play').click();
    else if (app.playing) pause();
    else play();
  });
  $('step').addEventListener('click', act(() => client.call('step', { phase: 'both' })));
  $('step-critic').addEventListener('click', act(() => client.call('step', { phase: 'critic' })));
  $('step-gen').addEventListener('click', act(() => client.call('step', { phase: 'generator' })));
  $('reset').addEventListener('click', act(() => client.call('reset')));
  $('speed').addEventListener('change', async () => { if (app.playing) { await pause(); await play(); } });

  // ---- controls built from the registry entry of the running method
  const method = $('method');
  for (const fam of ['dual', 'primal']) {
    const group = document.createElement('optgroup');
    group.label = fam === 'dual' ? 'dual family (a critic or potential)' : 'primal family (a coupling)';
    for (const m of catalog.methods.filter((x) => x.family === fam)) group.append(new Option(m.name, m.name));
    method.append(group);
  }
  for (const p of pairNames()) $('pair').append(new Option(p, p));
  // drawn or imported data shows as such; choosing a named pair goes back to it
  const customPair = new Option('custom (drawn / imported points)', 'custom');
  customPair.disabled = true;
  $('pair').append(customPair);
  const showPair = (r) => {
    customPair.hidden = r.pair !== 'custom';
    $('pair').value = r.pair;
  };
  const methodNamed = (name) => catalog.methods.find((m) => m.name === name);
  const entry = () => methodNamed(app.readout.method);

  const setKey = async (key, value, input) => {
    written = null;
    const error = input && input.parentElement.querySelector(`.error[data-for="${key}"]`);
    try {
      const spec = catalog.keys.find((k) => k.name === key);
      if (spec && !spec.live) {
        const s = await client.call('estimate', { key, value });
        if (!costAccepted(s, `${key} = ${value}`, 'Apply it?')) {
          if (input) input.value = new URLSearchParams(app.readout.query).get(key);
          return;
        }
      }
      const r = await client.call('set', { key, value });
      // asked once: Play does not ask again about the settings just accepted
      if (spec && !spec.live) app.accepted = r.readout.query;
      app.leaveTour();
      if (input) { input.classList.remove('invalid'); input.removeAttribute('aria-invalid'); }
      if (error) error.remove();
      show(r.readout);
      clearNote();
      frame();
      app.kept = app.kept.filter((k) => k !== key);
      showKept();
      return true;
    } catch (e) {
      // the typed value stays in the box, marked, with the reason beside it
      if (input) {
        input.classList.add('invalid');
        input.setAttribute('aria-invalid', 'true');
        let box = error;
        if (!box) {
          box = document.createElement('p');
          box.className = 'error';
          box.dataset.for = key;
          input.after(box);
        }
        box.textContent = messageOf(e);
        // the reason must be seen: bring it into the side panel's view
        box.scrollIntoView({ block: 'nearest' });
      }
      note(messageOf(e));
      return false;
    }
  };
  app.setKey = setKey;

  /** Open a run in place of this one; a run that was training goes on training, as after a
   * change of method. */
  const openPlaying = async (opening) => {
    const was = app.playing;
    try {
      await opening();
      if (was) await play();
    } catch (e) { note(messageOf(e)); }
  };

  /** Under the Method menu, the keys a change of method kept (app.kept), with an offer of the
   * method's own defaults. */
  const showKept = () => {
    const m = entry();
    const q = new URLSearchParams(app.readout.query);
    const { kept } = app;
    const box = $('kept');
    box.hidden = !kept.length;
    if (!kept.length) return;
    // a default as the query writes numbers (0.001, not 1e-3)
    const asQuery = (d) => (d !== '' && Number.isFinite(Number(d)) ? String(Number(d)) : d);
    box.textContent = `${m.name} keeps what was set before: ${kept.map((k) => `${k} = ${q.get(k)} (its default ${asQuery(m.defaults[k])})`).join(', ')}. `;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `Use ${m.name}'s defaults`;
    button.addEventListener('click', () => {
      // the shared choices stay (a mode only where it is not the method's own)
      const fresh = new URLSearchParams({ method: m.name });
      for (const k of ['pair', 'sampling', 'seed']) fresh.set(k, q.get(k));
      if (!sameValue(m.defaults.mode, q.get('mode'))) fresh.set('mode', q.get('mode'));
      openPlaying(() => reopen(fresh.toString()));
    });
    box.append(button);
  };

  /** The Preset menu names the preset whose settings the run holds (— once one is changed). */
  const showPreset = () => {
    const q = new URLSearchParams(app.readout.query);
    const held = ([m, p]) => m.name === app.readout.method && [...new URLSearchParams(p.query)].every(([k, v]) => sameValue(q.get(k), v));
    const all = catalog.methods.flatMap((m) => m.presets.map((p) => [m, p]));
    const id = ([m, p]) => `${m.name}|${p.name}`;
    // the one chosen stays named while it holds (two presets can hold at once)
    const found = all.find((x) => id(x) === $('preset').value && held(x)) || all.find(held);
    $('preset').value = found ? id(found) : '';
    // what the preset shows, under the menu while the run holds it
    $('preset-about').textContent = found ? found[1].about : '';
    $('preset-about').hidden = !found;
  };

  /** Copy the run's values into the fields, the pair and the mode. */
  const syncValues = () => {
    const r = app.readout;
    const q = new URLSearchParams(r.query);
    for (const input of document.querySelectorAll('#keys [data-key]')) {
      if (input !== document.activeElement && !input.classList.contains('invalid')) input.value = q.get(input.dataset.key);
    }
    showPair(r);
    $('mode').value = r.mode;
  };

  const controls = () => {
    const r = app.readout;
    const m = entry();
    const q = new URLSearchParams(r.query);
    method.value = m.name;
    showPair(r);
    $('mode-label').hidden = m.modes.length < 2;
    $('mode').value = r.mode;
    for (const o of $('mode').options) o.disabled = !m.modes.includes(o.value);
    const preset = $('preset');
    preset.textContent = '';
    preset.append(new Option('—', ''));
    for (const x of catalog.methods) for (const p of x.presets) preset.append(new Option(`${p.name} (${x.name})`, `${x.name}|${p.name}`));
    // Watch says what to look at; the measurements behind it fold away
    const measured = m.measured ? `<details><summary>what was measured</summary>${m.measured}.</details>` : '';
    $('explain').innerHTML = `<b>Trains</b> ${m.trains}.<br><b>Loss</b> ${m.loss}.<br><b>Watch</b> ${m.watch}.${measured}${FLOORS}`;
    const box = $('keys');
    box.textContent = '';
    for (const name of shownKeys(m)) {
      const spec = catalog.keys.find((k) => k.name === name);
      let input;
      if (spec.kind.type === 'choice' || spec.kind.type === 'bool') {
        input = document.createElement('select');
        for (const o of spec.kind.type === 'bool' ? ['true', 'false'] : spec.kind.of) input.append(new Option(o, o));
      } else {
        input = document.createElement('input');
        input.type = 'text';
        input.inputMode = 'decimal';
      }
      input.value = q.get(name);
      input.dataset.key = name;
      input.id = `key-${name}`;
      input.title = `${spec.help}${spec.live ? ' (applies live)' : ' (restarts the run)'}`;
      input.addEventListener('change', () => setKey(name, input.value, input));
      const label = document.createElement('label');
      label.htmlFor = input.id;
      label.textContent = `${name}${spec.live ? '' : ' ⟳'}`;
      label.title = input.title;
      box.append(label, input);
    }
    // the export names the mapped or generated points as the layers do: G(X), T(X) or G(z)
    const gx = r.layers.find(([k]) => k === 'gx');
    if (gx) $('export-gx').textContent = `${gx[1].replace('generated ', '')}.csv`;
    // layers: only those this run can draw
    const layers = $('layers');
    layers.textContent = '';
    const offered = new Set(r.layers.map(([k]) => k));
    for (const [key, label] of r.layers) {
      const el = document.createElement('label');
      const box2 = document.createElement('input');
      box2.type = 'checkbox';
      box2.dataset.layer = key;
      box2.checked = app.layers.has(key);
      box2.addEventListener('change', () => {
        if (box2.checked) addLayer(key); else app.layers.delete(key);
        for (const c of layers.querySelectorAll('[data-layer]')) c.checked = app.layers.has(c.dataset.layer);
        pushLayers().catch((e) => note(messageOf(e)));
      });
      el.append(box2, ` ${label}`);
      layers.append(el);
    }
    $('t').closest('fieldset').hidden = !offered.has('geo');
    pushLayers().catch((e) => note(messageOf(e)));
  };

  // a touch screen has no hover: the focused setting's help shows under it
  const dropHelp = () => { for (const old of $('keys').querySelectorAll('.help')) old.remove(); };
  $('keys').addEventListener('focusin', (ev) => {
    const input = ev.target;
    if (!input.dataset.key) return;
    dropHelp();
    const help = document.createElement('p');
    help.className = 'help';
    help.textContent = input.title;
    const error = input.nextElementSibling?.classList.contains('error') ? input.nextElementSibling : null;
    (error || input).after(help);
  });
  $('keys').addEventListener('focusout', dropHelp);
  // a new method keeps the data, the seed and what was set here since the run opened (the core
  // counts a link's, a preset's or the opening run's settings as that run's own)
  method.addEventListener('change', async () => {
    const m = methodNamed(method.value);
    // the layers its Watch text speaks of come on (one heat map at a time); those it does not
    // draw wait in app.layers for a method that does
    for (const l of m.shows) addLayer(l);
    if (!(await setKey('method', method.value, null))) return;
    // those kept from the run before that are not the new method's defaults
    const q = new URLSearchParams(app.readout.query);
    app.kept = shownKeys(m).filter((k) => !sameValue(m.defaults[k], q.get(k)));
    showKept();
    // the new method's texts change the column's height above the fields: the line saying what
    // was kept, and its button, are brought into view
    if (app.kept.length) $('kept').scrollIntoView({ block: 'nearest' });
  });
  $('mode').addEventListener('change', () => setKey('mode', $('mode').value, $('mode')));
  $('pair').addEventListener('change', () => setKey('pair', $('pair').value, $('pair')));
  $('preset').addEventListener('change', async () => {
    const [m, name] = $('preset').value.split('|');
    if (!m) return;
    const p = methodNamed(m).presets.find((x) => x.name === name);
    const q = new URLSearchParams(`method=${m}&${p.query}`);
    const cur = new URLSearchParams(app.readout.query);
    // a preset made for its own data replaces drawn or imported points, if the teacher agrees;
    // one that is not keeps them
    const ownData = q.has('pair');
    const points = Object.keys(app.customPoints);
    if (ownData && points.length && !window.confirm(`${name} runs on ${q.get('pair')}: your ${points.map((p) => p.toUpperCase()).join(' and ')} points would not be in it (export them as CSV in the Data tab to keep them). Open it?`)) {
      showPreset();
      return;
    }
    if (!ownData) q.set('pair', cur.get('pair'));
    q.set('seed', cur.get('seed'));
    const chosen = $('preset').value;
    await openPlaying(async () => {
      await (ownData ? open : reopen)(q.toString());
      // the menu and the description under it name the preset chosen, not another it holds too
      $('preset').value = chosen;
      showPreset();
    });
  });
  $('resample').addEventListener('click', () => {
    const seed = Number(new URLSearchParams(app.readout.query).get('seed')) + 1;
    setKey('seed', String(seed), null);
  });

  // ---- the geodesic slider and the view
  /** t and the slider that shows it, without drawing. */
  function showT(t) {
    app.t = Math.min(1, Math.max(0, t));
    $('t').value = String(app.t);
    $('t-value').textContent = `t = ${app.t.toFixed(2)}`;
  }
  /** The plot's window fixed at `view` ([x0, y0, size], 3 decimals), or fitting the data (null). */
  function setView(view) {
    app.view = view && view.map((v) => Number(v.toFixed(3)));
    $('fit').checked = !app.view;
  }
  const setT = (t) => {
    showT(t);
    if (!app.layers.has('geo') && app.readout.layers.some(([k]) => k === 'geo')) {
      app.layers.add('geo');
      const box = document.querySelector('[data-layer="geo"]');
      if (box) box.checked = true;
    }
    pushLayers().catch((e) => note(messageOf(e)));
  };
  app.setT = setT;
  $('t').addEventListener('input', () => setT(Number($('t').value)));
  // Play t: t runs from where it is to 1 in about 3 s
  let tAnim = null;
  const stopT = () => {
    if (tAnim) cancelAnimationFrame(tAnim);
    tAnim = null;
    $('play-t').textContent = 'Play t';
  };
  /** Slide t from where it is to 1 in up to 3 s; `sweep`: back and forth until stopped. */
  const startT = (sweep = false) => {
    stopT();
    let last = performance.now();
    let dir = 1;
    if (app.t >= 1) setT(0);
    $('play-t').textContent = 'Stop';
    const step = (now) => {
      setT(app.t + (dir * (now - last)) / 3000);
      last = now;
      if (app.t >= 1 && !sweep) { stopT(); return; }
      if (app.t >= 1) dir = -1;
      if (app.t <= 0) dir = 1;
      tAnim = requestAnimationFrame(step);
    };
    tAnim = requestAnimationFrame(step);
  };
  app.startT = startT;
  app.stopT = stopT;
  $('play-t').addEventListener('click', () => (tAnim ? stopT() : startT()));
  $('fit').addEventListener('change', () => {
    setView($('fit').checked ? null : app.info?.window ?? null);
    pushLayers().catch((e) => note(messageOf(e)));
  });

  // ---- tabs
  const tab = (name) => {
    for (const b of document.querySelectorAll('[role="tab"]')) b.setAttribute('aria-selected', String(b.dataset.tab === name));
    for (const p of document.querySelectorAll('[role="tabpanel"]')) p.hidden = p.id !== `tab-${name}`;
    document.body.dataset.tab = name;
  };
  app.tab = tab;
  const tabButtons = [...document.querySelectorAll('[role="tab"]')];
  for (const b of tabButtons) b.addEventListener('click', () => tab(b.dataset.tab));
  // ← → on a focused tab go to the tab beside it (as in any tab list), not along the geodesic
  for (const [i, b] of tabButtons.entries()) {
    b.addEventListener('keydown', (ev) => {
      const step = { ArrowLeft: -1, ArrowRight: 1 }[ev.key];
      if (!step) return;
      ev.preventDefault();
      ev.stopPropagation();
      const to = tabButtons[(i + step + tabButtons.length) % tabButtons.length];
      to.focus();
      // a click, as the Tour tab starts its first scene when clicked
      to.click();
    });
  }

  // ---- share: the link, parameters
  $('share').addEventListener('click', async () => {
    const link = `${location.origin}${location.pathname}#${linkOf(app)}`;
    $('share').dataset.link = link;
    try {
      await navigator.clipboard.writeText(link);
      $('share-done').textContent = 'Link copied ✓';
    } catch {
      $('share-done').textContent = `Copy this link: ${link}`;
    }
    const kept = refused();
    if (kept.length) $('share-done').textContent += ` — it holds ${kept.join(', ')}`;
    // a link holds settings, not points: drawn or imported data travels as a CSV file
    if (app.readout.pair === 'custom') $('share-done').textContent += ` — it holds the settings on ${new URLSearchParams(app.readout.query).get('pair')}, not your points: export them as CSV (Data tab) to share them`;
  });
  $('save').addEventListener('click', async () => {
    try {
      const text = await client.call('save');
      download(`otlab-${app.readout.method}.json`, new Blob([text], { type: 'application/json' }));
    } catch (e) { note(messageOf(e)); }
  });
  $('load').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    ev.target.value = '';
    if (!file) return;
    const text = await file.text();
    $('load-done').textContent = '';
    act(async () => {
      // the parameters go into a fresh run: step 0, the optimisers and schedules from their start
      const { readout, steps } = await client.call('load', { text });
      app.leaveTour();
      $('load-done').textContent = `loaded ${file.name}${steps != null ? `: trained ${steps} steps` : ''}; the step count starts again at 0`;
      return readout;
    })();
  });

  // ---- keyboard: Space play/pause, S step, R reset, ← → move t; Space on a focused button
  // presses it, as anywhere else
  document.addEventListener('keydown', (ev) => {
    if (ev.target.closest('input, select, textarea') || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const k = ev.key.toLowerCase();
    if (k === ' ' && ev.target.closest('button, summary')) return;
    if (k === ' ') { ev.preventDefault(); $('play').click(); return; }
    // while the compare view is open, only Space acts (on it); the hidden run is left alone
    if (!$('compare').hidden) return;
    if (k === 's') $('step').click();
    else if (k === 'r') $('reset').click();
    else if (ev.key === 'ArrowLeft') setT(app.t - 0.05);
    else if (ev.key === 'ArrowRight') setT(app.t + 0.05);
  });

  const data = setupData({ app, canvas, note, clearNote, show, frame });
  setupCompare({ app, catalog, note, clearNote, dpr });
  app.note = note;
  setupTour({ app });

  // a link pasted into the address bar of the open tab: open its run (scene links are the tour's)
  window.addEventListener('hashchange', () => {
    const hash = location.hash.slice(1);
    if (!hash || tourScene(hash) !== null || hash === written) return;
    openLink(hash).catch((e) => note(messageOf(e)));
  });
  window.addEventListener('resize', layout);
  layout();
  // a shared link, a tour scene, or the opening run; a link written as a query (`?pair=…`) opens
  // as the same link written after `#` would (what it holds that is not a key is reported), and
  // the address is rewritten that way; a query of tracking tags alone is not a link
  let hash = location.hash.slice(1);
  const tracking = (k) => /^(utm_\w+|fbclid|gclid|ref)$/.test(k);
  if (!hash && [...new URLSearchParams(location.search).keys()].some((k) => !tracking(k))) {
    hash = location.search.slice(1);
    try { history.replaceState(null, '', `${location.pathname}#${hash}`); } catch { /* the address stays */ }
  }
  const scene = tourScene(hash);
  try {
    if (scene) await app.tour(scene.index, scene.problem);
    else await openLink(hash);
  } catch (e) {
    note(messageOf(e));
    await open(OPENING, OPENING_LAYERS);
  }
  layout();
  if ($('note').hidden) clearNote();
  booting = false;
  if (earlyPlay) await play();
  document.body.dataset.ready = '1';
}

main().catch((e) => {
  $('status').textContent = `failed: ${messageOf(e)}`;
});
