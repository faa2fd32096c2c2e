// The guided lecture: scenes in order, each setting the pair, method, settings and layers, with
// a caption saying what to see; Next / Back, and a link per scene (#tour=N).
import { FIGURE_2, W2GAN_FAST } from './compare.js';
import { messageOf } from './errors.js';

const $ = (id) => document.getElementById(id);

/**
 * The scenes: title, caption, run (a query) and layers, what to start, the compare set, and the
 * panel the caption talks about besides the plot (`see`: its element's id and name).
 */
export const SCENES = [
  {
    title: '1 · Data and the exact OT arrows',
    caption: 'Two samples: the source X (blue) and the target Y (orange). The grey arrows are the exact optimal transport plan between them — each point of X goes to one point of Y, and the total squared distance, W2², is as small as it can be. The samples are drawn at random, so the clusters hold slightly different counts: the few arrows that cross to another cluster carry the surplus.',
    query: `method=w2gan&pair=gaussians4&${W2GAN_FAST}`,
    layers: ['x', 'y', 'ot'],
  },
  {
    title: '2 · The W2 geodesic',
    caption: 'Move every point a fraction t along its arrow: μ_t (brown) slides from X (t = 0) to Y (t = 1). This displacement interpolation is the shortest path between the two distributions in the W2 metric. Press ← → to move t, or drag it in the Layers tab.',
    query: `method=w2gan&pair=gaussians4&${W2GAN_FAST}`,
    layers: ['x', 'y', 'ot', 'geo'],
    t: 0.5,
    playT: true,
  },
  {
    title: '3 · W2-OT: potentials and the map x − ∇φ(x)',
    caption: 'W2-OT learns two potentials φ, ψ with the dual of optimal transport (a penalty keeps φ(x) + ψ(y) ≤ ½‖x − y‖²). The heat map is φ; the cyan arrows x → x − ∇φ(x) approach the grey OT arrows as training runs.',
    query: 'method=w2ot&pair=gaussians4',
    layers: ['x', 'y', 'ot', 'heat0', 'monge'],
    play: true,
  },
  {
    title: '4 · W2GAN follows the geodesic',
    caption: 'W2GAN trains a generator G against those potentials. G(X) (purple) moves along the OT arrows: GeoDev (distance from the geodesic) stays small. In the geodesic chart W2²(G#X, Y) follows the ideal flow e^(−2s) about halfway (to t̄ ≈ 0.5, s ≈ 0.7), then falls more slowly (2× the line at t̄ ≈ 0.7) and levels off 94–97 % along, at 0.9–2.4× its sampling floor (seeds 0–2, 1500 steps, about 2 minutes here): no sample of G#X beats that floor, and the penalised dual blurs the plan, so its pull fades near Y.',
    query: `method=w2gan&pair=gaussians4&${W2GAN_FAST}&eval_every=25`,
    layers: ['x', 'y', 'gx', 'ot', 'trails'],
    play: true,
    see: ['chart', 'the geodesic chart'],
  },
  {
    title: '5 · The W2GAN paper’s Figure 2',
    caption: 'WGAN-GP, WGAN-LP, W2GAN, Barycentric-OT and a convex-potential map (ICNN) learn a map X → Y side by side, in chunks of 25 steps (they pause at equal steps); the chart overlays their MapErr (distance to the exact OT map) and GeoDev.',
    query: 'method=w2gan&pair=gaussians4',
    layers: ['x', 'y', 'gx', 'map'],
    compare: FIGURE_2,
  },
  {
    title: '6 · Semi-discrete OT: Laguerre cells',
    caption: 'With a weight v_j per target point, the plane splits into Laguerre cells {x : ‖x − y_j‖² − v_j is smallest}; each cell is sent to its point. Stochastic gradient steps on the semi-dual equalise the cells’ masses.',
    query: 'method=semidual&pair=checkerboard&sd_targets=64',
    layers: ['x', 'y', 'cells'],
    play: true,
  },
  {
    title: '7 · A Wasserstein autoencoder: the latent panel',
    caption: 'A Wasserstein autoencoder pushes its codes (orange, latent panel) to fill the prior (blue) with an MMD penalty, so that decoded prior samples land on the modes. While the learning rates are high the codes wander (the read-out gives the codes’ W2² over its floor: 1.3–4×); from step 3000 the run settles, and by step 6000 it reads about 1.6× or below. Decoded samples lie on arcs through the modes, some between them: over five seeds as close to the modes as the VAE’s (preset vae-blur), a tie rather than the cookbook’s clear win. Set encoder=deterministic to see the codes stay in clumps.',
    query: 'method=wae-mmd&pair=gaussians8',
    layers: ['y', 'gx', 'reconstruct'],
    play: true,
    see: ['latent', 'the latent panel'],
  },
  {
    title: '8 · E(WGAN) ≤ E(MKE) ≤ E(WVAE)',
    caption: 'A restricted dual (a critic) gives a lower bound on the transport cost, exact OT (MKE) the cost itself, a restricted coupling (an encoder) an upper bound. The table lists what the command-line claims run (`otlab claims`) measured for this and the other claims of the papers, with the verdicts.',
    query: 'method=mke&pair=gaussians8',
    layers: ['y', 'gx'],
    play: true,
    // the scene's own claim comes first in the table
    claims: 'E(θ_WGAN) ≤ E(θ_MKE)',
  },
];

/**
 * The scene a hash asks for (`#tour=N`, 1-based) as `{ index, problem }`, or null when the hash
 * is not a tour link; a number out of range or not a number opens the nearest scene (the first
 * for a non-number), and `problem` says so.
 */
export function tourScene(hash) {
  const m = /^tour=(.*)$/.exec(hash);
  if (!m) return null;
  const n = SCENES.length;
  if (!/^\d+$/.test(m[1])) {
    return { index: 0, problem: `tour = "${m[1]}" is not a scene number (1–${n}): opened scene 1` };
  }
  const asked = Number(m[1]);
  const index = Math.min(n, Math.max(1, asked)) - 1;
  return { index, problem: asked === index + 1 ? '' : `the tour has scenes 1–${n}, not ${asked}: opened scene ${index + 1}` };
}

export function setupTour({ app }) {
  let at = 0;
  /** The claims table; the row whose claim starts with `first` comes first, marked. */
  const claimsTable = async (first) => {
    const box = document.createElement('table');
    box.className = 'claims';
    try {
      const res = await fetch(new URL('./claims.json', import.meta.url));
      const data = await res.json();
      const cap = document.createElement('caption');
      cap.textContent = data.quick
        ? 'measured by `otlab claims --quick` (seed 0, a twentieth of the steps): a smoke test, not the full verdicts'
        : 'measured by `otlab claims` (full budgets; seeds 0–2 for the dual family, 0–4 for the primal)';
      box.append(cap);
      box.insertAdjacentHTML('beforeend', '<tr><th>claim</th><th>measured</th><th>verdict</th></tr>');
      const own = (c) => c.claim.startsWith(first);
      for (const c of [...data.claims.filter(own), ...data.claims.filter((c) => !own(c))]) {
        const tr = document.createElement('tr');
        if (own(c)) tr.className = 'own';
        const cell = (...parts) => { const td = document.createElement('td'); td.append(...parts); tr.append(td); };
        // the measured cell says what its numbers are, above them
        const what = document.createElement('div');
        what.className = 'explain';
        what.textContent = c.measure;
        // the command names the settings, which the lecture's scenes may not share
        const code = document.createElement('code');
        code.textContent = c.command;
        const command = document.createElement('div');
        command.className = 'command';
        command.append('one of its runs: ', code);
        cell(c.claim, command);
        cell(what, c.value);
        cell(c.verdict.replace('_', ' '));
        box.append(tr);
      }
    } catch {
      box.textContent = 'the claims table is not available';
    }
    return box;
  };

  // a scene can change the page's height (the compare grid, the claims table): where the last
  // scene's buttons were, the title of this one may not be, so it is brought below the header; on
  // a phone, where the scene's words come right under the plot, the plot is brought there with them
  const keepInView = () => {
    const title = $('tour-title');
    const top = title.getBoundingClientRect().top;
    const header = document.querySelector('header').getBoundingClientRect().bottom;
    const plot = $('main').getBoundingClientRect().top;
    const narrow = app.narrow();
    if (top >= header && top <= window.innerHeight - 120 && (!narrow || plot >= header)) return;
    if (narrow && $('compare').hidden) {
      $('main').scrollIntoView({ block: 'start' });
      return;
    }
    title.style.scrollMarginTop = `${Math.max(0, header) + 8}px`;
    title.scrollIntoView({ block: 'start' });
  };
  // a newer scene request makes an older one stop at its next await
  let seq = 0;
  const go = async (k, problem = '') => {
    const my = ++seq;
    const current = () => my === seq;
    app.stopT();
    at = Math.min(SCENES.length - 1, Math.max(0, k));
    const s = SCENES[at];
    app.tab('tour');
    $('tour-title').textContent = s.title;
    $('tour-caption').textContent = s.caption;
    $('tour-see').hidden = !s.see;
    if (s.see) $('tour-see').textContent = `↓ ${s.see[1]}`;
    $('tour-count').textContent = `${at + 1} / ${SCENES.length}`;
    $('tour-back').disabled = at === 0;
    $('tour-next').disabled = at === SCENES.length - 1;
    for (const old of document.querySelectorAll('#tab-tour table')) old.remove();
    app.compare.close();
    // opening the scene's run is not leaving the tour
    app.inTour = false;
    await app.open(s.query, s.layers);
    if (!current()) return;
    app.inTour = true;
    $('tour-left').hidden = true;
    history.replaceState(null, '', `#tour=${at + 1}`);
    $('tour-link').href = `#tour=${at + 1}`;
    $('tour-link').textContent = `link to this scene (#tour=${at + 1})`;
    keepInView();
    if (s.t !== undefined) app.setT(s.t);
    if (s.playT) app.startT(true);
    if (s.play) await app.play();
    if (!current()) return;
    // after Play, which clears the note
    if (problem) app.note(problem);
    if (s.compare) {
      for (const c of document.querySelectorAll('[data-compare]')) c.checked = s.compare.includes(c.dataset.compare);
      // the panels make the page taller: the scene's words are brought into view again
      if (!(await app.compare.build()) || !current()) return;
      keepInView();
      document.getElementById('compare-play').click();
    }
    if (s.claims) {
      const table = await claimsTable(s.claims);
      if (current()) $('tab-tour').append(table);
    }
  };
  const show = (k, problem) => go(k, problem).catch((e) => app.note(messageOf(e)));
  app.tour = go;
  /** The run was changed away from the scene (a key set, a link, data): the caption says so. */
  app.leaveTour = () => {
    app.stopT();
    if (app.inTour) $('tour-left').hidden = false;
    app.inTour = false;
  };
  // on a phone the panel a caption talks about is below the scene's words
  $('tour-see').addEventListener('click', () => $(SCENES[at].see[0]).scrollIntoView({ block: 'start' }));
  $('tour-again').addEventListener('click', () => show(at));
  $('tour-next').addEventListener('click', () => show(at + 1));
  $('tour-back').addEventListener('click', () => show(at - 1));
  // a scene's link followed inside the page
  window.addEventListener('hashchange', () => {
    const scene = tourScene(location.hash.slice(1));
    if (scene && (scene.index !== at || scene.problem || !app.inTour)) show(scene.index, scene.problem);
  });
  document.querySelector('[data-tab="tour"]').addEventListener('click', () => {
    if (!$('tour-title').textContent) show(0);
  });
}
