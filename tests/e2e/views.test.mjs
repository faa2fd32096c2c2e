// What the page draws: each method offers only the layers it can draw and each one shows up,
// the geodesic slider moves μ_t, the autoencoders' latent panel appears, and the compare view
// trains its methods side by side at equal steps with a shared chart.
import { test, assert, openLab, stepsReach, coloured, colourCounts, onScreen } from './harness.mjs';

const layersOffered = (page) => page.evaluate(() => [...document.querySelectorAll('[data-layer]')].map((b) => b.dataset.layer));
const toggle = async (page, key) => {
  await page.click(`[data-layer="${key}"]`);
  await page.waitForTimeout(700);
};

test('layers: heat maps only where there is a critic, each layer draws, the geodesic slider moves μ_t', async ({ page, url, shot }) => {
  await openLab(page, url, '#method=w2gan&pair=gaussians4&critic_warmup=0&gen_halflife=0&gen_lr=3e-4');
  await page.click('#play');
  await stepsReach(page, 150);
  await page.click('#play');
  await page.click('[data-tab="layers"]');
  const offered = await layersOffered(page);
  for (const k of ['x', 'y', 'gx', 'ot', 'map', 'geo', 'heat0', 'heat1']) assert(offered.includes(k), `w2gan offers ${k}: ${offered}`);

  const before = await coloured(page, '#main');
  await toggle(page, 'heat0');
  const withHeat = await coloured(page, '#main');
  assert(withHeat > 0.6 && withHeat > before + 0.3, `the heat map fills the plot (${before.toFixed(2)} → ${withHeat.toFixed(2)} of pixels coloured)`);
  await shot('layer-heat');
  // the field is drawn finely: along the middle row, many distinct shades, not a few dozen blocks
  const shades = await page.evaluate(() => {
    const c = document.querySelector('#main');
    const row = c.getContext('2d').getImageData(0, Math.floor(c.height / 2), c.width, 1).data;
    const seen = new Set();
    for (let i = 0; i < row.length; i += 4) seen.add(`${row[i]},${row[i + 1]},${row[i + 2]}`);
    return seen.size;
  });
  assert(shades > 120, `the heat map varies smoothly (${shades} shades along a row)`);
  await toggle(page, 'heat0');

  // μ_t at t = 0 sits on X, at t = 1 on Y: the grey dots move
  await toggle(page, 'geo');
  const grey = { mu: [90, 90, 90] };
  const at = async (t) => {
    await page.evaluate((v) => { const s = document.querySelector('#t'); s.value = String(v); s.dispatchEvent(new Event('input')); }, t);
    await page.waitForTimeout(600);
    return page.evaluate(() => document.querySelector('#main').toDataURL());
  };
  const a = await at(0);
  const b = await at(1);
  assert(a !== b, 'moving t redraws μ_t');
  assert((await page.textContent('#t-value')).includes('1.00'), 'the slider shows t');
  assert((await colourCounts(page, '#main', grey)).mu > 0, 'μ_t is drawn');

  await openLab(page, url, '#method=mke&pair=gaussians4');
  const mke = await layersOffered(page);
  assert(!mke.some((k) => k.startsWith('heat')), `MKE has no critic, so no heat map is offered: ${mke}`);
  await openLab(page, url, '#method=semidual&pair=checkerboard');
  await page.click('[data-tab="layers"]');
  const sd = await layersOffered(page);
  assert(sd.includes('cells'), `the semi-dual map offers its Laguerre cells: ${sd}`);
  if (!(await page.isChecked('[data-layer="cells"]'))) await toggle(page, 'cells');
  const colours = await page.evaluate(() => {
    const c = document.querySelector('#main');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 16) seen.add(`${d[i] >> 3},${d[i + 1] >> 3},${d[i + 2] >> 3}`);
    return seen.size;
  });
  assert(colours > 8, `the cells are drawn in several colours (${colours})`);
  await shot('layer-cells');
});

test('an autoencoder shows its latent panel: codes against the prior, with the latent W2² in the read-out', async ({ page, url, shot }) => {
  await openLab(page, url, '#method=wae-mmd&pair=gaussians8');
  await page.click('#play');
  await stepsReach(page, 200);
  await page.click('#play');
  await page.waitForFunction(() => !document.querySelector('#latent').hidden);
  assert(await coloured(page, '#latent') > 0.02, 'the latent panel draws the codes and the prior');
  assert(/latent W2² [0-9.e+-]+ \([0-9.e+-]+× floor\)/.test(await page.textContent('#readout')), 'the read-out gives the latent W2² against its floor');
  const off = (await page.textContent('#readout')).match(/off-mode (\d+\.\d) % \(Y (\d+\.\d) %\)/);
  assert(off && Number(off[2]) < 3, `on 8 Gaussians the read-out gives the share off the modes beside Y's own: ${off}`);
  for (const s of ['#latent', '#chart', '.tabs', '#method']) assert(await onScreen(page, s), `${s} is on screen next to the latent panel at 1280×800`);
  await shot('latent');
  // a projector's 1024×768: the charts shrink with the side column instead of running off the edge
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.waitForTimeout(300);
  assert(await onScreen(page, '#chart') && await onScreen(page, '#latent'), 'at 1024×768 after a resize the charts and the latent panel fit');
  await page.setViewportSize({ width: 1280, height: 800 });
  await openLab(page, url, '#method=w2gan&pair=gaussians4');
  assert(await page.evaluate(() => document.querySelector('#latent').hidden), 'map runs have no latent panel');
});

test('compare: one worker per method, panels at equal steps, a shared chart and the OT reference', async ({ page, url, shot }) => {
  await openLab(page, url, '#method=w2gan&pair=gaussians4');
  await page.click('[data-tab="compare"]');
  await page.click('#compare-play');
  await page.waitForSelector('#compare:not([hidden])');
  await page.waitForFunction(() => [...document.querySelectorAll('#compare-grid figcaption')].slice(1).every((c) => /step [1-9]\d*/.test(c.textContent)), null, { timeout: 90000 });
  await page.waitForTimeout(4000);
  // the shared chart stands in the side column where the hidden run's charts were; the header's
  // Play drives the compare, and Step and Reset wait
  assert(await onScreen(page, '#compare-chart') && !(await page.isVisible('#chart')), 'the shared chart is on screen in place of the run\'s');
  assert(await page.isDisabled('#step') && await page.isDisabled('#reset'), 'Step and Reset wait while comparing');
  assert(/Pause/.test(await page.textContent('#play')), `the header's button pauses the compare: ${await page.textContent('#play')}`);
  // the side panel's method changes the hidden run; the status line keeps speaking of the compare
  await page.click('[data-tab="train"]');
  await page.selectOption('#method', 'vae');
  await page.waitForFunction(() => /method=vae/.test(location.hash));
  assert(/^comparing/.test(await page.textContent('#status')), `the status speaks of the compare: ${await page.textContent('#status')}`);
  await page.click('[data-tab="compare"]');
  // a pause lets every panel finish its chunk: all stop at the step the status line names
  await page.click('#play');
  await page.waitForFunction(() => /compare paused at step \d+/.test(document.querySelector('#status').textContent), null, { timeout: 60000 });
  const at = Number(/paused at step (\d+)/.exec(await page.textContent('#status'))[1]);
  const captions = await page.$$eval('#compare-grid figcaption', (cs) => cs.map((c) => c.textContent));
  const steps = captions.slice(1).map((c) => Number(/step (\d+)/.exec(c)?.[1]));
  assert(steps.length === 5, `the five methods of Figure 2 and the convex potential: ${captions}`);
  assert(at > 0 && steps.every((s) => s === at), `the panels stop together at step ${at} (steps ${steps})`);
  // each caption's swatch is its line's colour in the shared chart: five different colours
  const swatches = await page.$$eval('#compare-grid figcaption .swatch', (s) => s.map((x) => x.style.background));
  assert(swatches.length === 5 && new Set(swatches).size === 5, `a swatch of its own before each caption: ${swatches}`);
  assert(/reference/.test(captions[0]) && await coloured(page, '#compare-grid canvas[data-reference]') > 0.01, 'the OT reference is drawn');
  for (const m of await page.$$eval('#compare-grid canvas[data-method]', (cs) => cs.map((c) => c.dataset.method))) {
    assert(await coloured(page, `#compare-grid canvas[data-method="${m}"]`) > 0.01, `the ${m} panel draws`);
  }
  assert(await coloured(page, '#compare-chart') > 0.02, 'the shared chart draws');
  // every panel square on screen, its pixels at the device pixel ratio (not a stretched picture)
  const shapes = await page.$$eval('#compare-grid canvas', (cs) => cs.map((c) => {
    const r = c.getBoundingClientRect();
    return [Math.round(r.width), Math.round(r.height), c.width / (r.width * devicePixelRatio)];
  }));
  assert(shapes.every(([w, h, sharp]) => Math.abs(w - h) <= 1 && Math.abs(sharp - 1) < 0.02), `square, sharp panels: ${JSON.stringify(shapes)}`);
  // captions of two, three or four lines: the plots of a row still line up
  const rows = await page.$$eval('#compare-grid figure', (fs) => fs.map((f) => [Math.round(f.getBoundingClientRect().top), Math.round(f.querySelector('canvas').getBoundingClientRect().top)]));
  const level = rows.every(([top, c]) => rows.filter(([t]) => t === top).every(([, c2]) => Math.abs(c - c2) <= 1));
  assert(level && new Set(rows.map(([t]) => t)).size < rows.length, `the plots of a row start level: ${JSON.stringify(rows)}`);
  await shot('compare');
  await page.click('#compare-close');
  assert(await page.isVisible('#main') && await page.isVisible('#chart') && !(await page.isDisabled('#step')), 'closing returns to the run, its charts and its controls');
});

test('compare autoencoders: each panel reads W2² and the latent W2² over their floors, not MapErr', async ({ page, url }) => {
  await openLab(page, url, '#method=vae&pair=gaussians8');
  await page.click('[data-tab="compare"]');
  await page.evaluate(() => {
    for (const c of document.querySelectorAll('[data-compare]')) c.checked = ['vae', 'wae-mmd'].includes(c.dataset.compare);
  });
  await page.click('#compare-play');
  await page.waitForFunction(() => {
    const caps = [...document.querySelectorAll('#compare-grid figcaption')].slice(1);
    return caps.length === 2 && caps.every((c) => /latent W2² [0-9.e-]+ \([0-9.e-]+× floor\)/.test(c.textContent));
  }, null, { timeout: 90000 });
  const captions = await page.$$eval('#compare-grid figcaption', (cs) => cs.slice(1).map((c) => c.textContent));
  assert(captions.every((c) => /· W2² [0-9.e-]+ \([0-9.e-]+× floor\)/.test(c) && !/MapErr|n\/a/.test(c)), `the autoencoders' metrics, as the read-out writes them: ${captions}`);
  await page.waitForTimeout(1500);
  assert(await coloured(page, '#compare-chart') > 0.02, 'the shared chart draws their curves');
  await page.click('#compare-close');
});
