// Views beyond the main run: μ_t on the geodesic under the t slider, Laguerre cells, the latent
// panel, presets, the speed control, the charts and the compare view.
import { test, assert, openLab, colourCounts } from './harness.mjs';

const G = [148, 52, 200];
const GEODESIC = [40, 40, 40];
const W2_LINE = [31, 119, 180];

const steps = async (page) => Number(/step (\d+)/.exec(await page.textContent('#train-readout'))[1]);

/** Fraction of the canvas's pixels that are neither white nor near-white. */
const coloured = (page, selector) => page.evaluate((s) => {
  const c = document.querySelector(s);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 720) n += 1;
  return n / (d.length / 4);
}, selector);

test('the t slider moves μ_t of the run; speed 0 is one update per frame; charts draw', async ({ page, url, shot }) => {
  await openLab(page, url, '#method=w2gan&pair=checkerboard&eval_every=5');
  await page.$eval('#speed', (s) => { s.value = '0'; s.dispatchEvent(new Event('input')); });
  assert((await page.textContent('#speed-value')).includes('1 update'), 'speed read-out');
  await page.click('#train-play');
  const frames = await page.evaluate(() => new Promise((done) => {
    let n = 0;
    const tick = () => { n += 1; if (n < 60) requestAnimationFrame(tick); else done(n); };
    requestAnimationFrame(tick);
  }));
  await page.click('#train-play');
  const k = await steps(page);
  // W2GAN takes 10 critic updates and 1 generator update per step
  assert(k >= 1 && k <= Math.ceil(frames / 11) + 2, `one update per frame: ${k} steps in ${frames} frames`);

  const none = await colourCounts(page, '#main', { geo: GEODESIC }, 0.85, 30);
  // drag the t slider's thumb from 0 to the middle with the mouse
  const t = await page.locator('#t').boundingBox();
  await page.mouse.move(t.x + 4, t.y + t.height / 2);
  await page.mouse.down();
  await page.mouse.move(t.x + t.width / 4, t.y + t.height / 2, { steps: 5 });
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 5 });
  await page.mouse.up();
  const tv = Number(await page.inputValue('#t'));
  assert(tv > 0.35 && tv < 0.65, `the slider follows the mouse: t = ${tv}`);
  assert(await page.isChecked('[data-layer="geo"]'), 'moving the slider turns on the geodesic layer');
  const half = await colourCounts(page, '#main', { geo: GEODESIC }, 0.85, 30);
  assert(half.geo > none.geo + 300, `μ_t drawn at t = ${tv}: ${none.geo} → ${half.geo}`);
  const before = await page.evaluate(() => document.querySelector('#main').toDataURL());
  await page.$eval('#t', (s) => { s.value = '1'; s.dispatchEvent(new Event('input')); });
  assert(before !== await page.evaluate(() => document.querySelector('#main').toDataURL()), 'μ_t moves with t');
  assert((await page.textContent('#t-value')) === 't = 1.00', 't read-out');
  const chart = await colourCounts(page, '#chart', { w2: W2_LINE }, 1, 40);
  assert(chart.w2 > 100, `the W2² line is drawn in the chart: ${chart.w2}`);
  await shot('views-geodesic');
});

test('presets: Laguerre cells for the semi-dual, the latent panel for the VAE', async ({ page, url, shot }) => {
  await openLab(page, url);
  await page.selectOption('#preset', 'semidual-cells');
  assert((await page.inputValue('#method')) === 'semidual', 'the preset chose the method');
  assert((await page.inputValue('#pair')) === 'checkerboard', 'and the pair');
  const plain = await coloured(page, '#main');
  await page.check('[data-layer="cells"]');
  const cells = await coloured(page, '#main');
  assert(cells > 0.7 && cells > plain + 0.5, `Laguerre cells fill the plot: ${plain.toFixed(2)} → ${cells.toFixed(2)}`);
  await page.check('[data-layer="heat0"]');
  const both = await coloured(page, '#main');
  assert(both > 0.7, `the cells stay when a heat-map layer is on too: ${both.toFixed(2)}`);
  await shot('views-cells');

  assert(await page.isHidden('#latent'), 'no latent panel for the semi-dual');
  await page.selectOption('#preset', 'vae-blur');
  await page.click('#step-both');
  assert(await page.isVisible('#latent'), 'the VAE shows its latent panel');
  const codes = await colourCounts(page, '#latent', { codes: [230, 85, 13], prior: [31, 119, 180] });
  assert(codes.codes > 100 && codes.prior > 100, `codes and prior drawn: ${JSON.stringify(codes)}`);
  await shot('views-latent');
});

test('compare view trains the Figure 2 methods side by side', async ({ page, url, shot }) => {
  await openLab(page, url, '#pair=gaussians4');
  await page.click('#compare-play');
  await page.waitForFunction(() => [...document.querySelectorAll('#compare figcaption')]
    .every((c) => Number(/step (\d+)/.exec(c.textContent)?.[1] ?? 0) >= 3), null, { timeout: 60000 });
  await page.click('#compare-play');
  const methods = await page.$$eval('#compare canvas', (cs) => cs.map((c) => c.dataset.method));
  assert(JSON.stringify(methods) === JSON.stringify(['wgan-gp', 'wgan-lp', 'w2gan', 'barycentric']), `panels: ${methods}`);
  for (const m of methods) {
    const g = await colourCounts(page, `#compare canvas[data-method="${m}"]`, { g: G });
    assert(g.g > 200, `${m} draws G(X): ${g.g}`);
  }
  assert(await page.isHidden('#main'), 'the compare grid replaces the main canvas');
  await shot('views-compare');
  await page.click('#compare-close');
  assert(await page.isVisible('#main') && await page.isHidden('#compare'), 'closing returns to the main canvas');
});
