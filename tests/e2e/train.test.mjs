// The training panel: choose a method, train, single-step, toggle layers, share a link, and get a
// clear message for bad input while the page keeps working.
import { test, assert, openLab, colourCounts } from './harness.mjs';

const G = [148, 52, 200];

const readout = async (page) => {
  const text = await page.textContent('#train-readout');
  return { text, step: Number(/step (\d+)/.exec(text)[1]) };
};

test('W2GAN trains live: read-outs move, single steps count, heat map draws', async ({ page, url, shot }) => {
  // evaluate every 20 steps so the metrics move within the test's budget
  await openLab(page, url, '#method=w2gan&pair=gaussians4&eval_every=20');
  assert((await page.inputValue('#pair')) === 'gaussians4', 'pair restored from the hash');
  assert((await page.textContent('#explain')).includes('φ'), 'the explanation of W2GAN is shown');
  await page.click('#train-play');
  // count animation frames while training runs
  const fps = await page.evaluate(() => new Promise((done) => {
    let frames = 0;
    const t0 = performance.now();
    const tick = () => { frames += 1; if (performance.now() - t0 < 2000) requestAnimationFrame(tick); else done(frames / 2); };
    requestAnimationFrame(tick);
  }));
  console.log(`     frames per second while training W2GAN: ${fps.toFixed(1)}`);
  await page.waitForFunction(() => /step (\d+)/.exec(document.querySelector('#train-readout').textContent)[1] >= 40, null, { timeout: 60000 });
  await page.click('#train-play');
  const r = await readout(page);
  assert(/MapErr 0\.\d+/.test(r.text), `MapErr read-out: ${r.text}`);
  assert(r.step >= 40, `steps advanced: ${r.text}`);
  const g = await colourCounts(page, '#main', { g: G });
  assert(g.g > 300, `G(X) drawn: ${JSON.stringify(g)}`);
  await shot('train-w2gan');

  await page.click('#step-critic');
  assert((await readout(page)).step === r.step, 'a critic step does not count as a generator step');
  await page.click('#step-gen');
  assert((await readout(page)).step === r.step + 1, 'a generator step counts');

  const plain = await page.evaluate(() => document.querySelector('#main').toDataURL());
  await page.check('[data-layer="heat0"]');
  await page.check('[data-layer="monge"]');
  const heat = await colourCounts(page, '#main', { blue: [49, 54, 149], red: [165, 0, 38] }, 1, 120);
  assert(heat.blue + heat.red > 5000, `heat map of φ drawn: ${JSON.stringify(heat)}`);
  assert(plain !== await page.evaluate(() => document.querySelector('#main').toDataURL()), 'layers change the drawing');
  await shot('train-w2gan-heat');
});

test('a shared link reproduces the config; bad input gets a message and the lab keeps working', async ({ page, url, shot }) => {
  await openLab(page, url);
  await page.selectOption('#method', 'wgan-gp');
  await page.click('#share');
  const link = await page.getAttribute('#share', 'data-link');
  assert(link.includes('method=wgan-gp'), `link holds the config: ${link}`);

  await openLab(page, url, '#' + link.split('#')[1].replace('lambda=10', 'lambda=3'));
  assert((await page.inputValue('#method')) === 'wgan-gp', 'method restored from the link');
  assert((await page.inputValue('[data-key="lambda"]')) === '3', 'λ restored from the link');

  await page.click('details > summary');
  const input = '[data-key="critic_lr"]';
  await page.fill(input, '-1');
  await page.dispatchEvent(input, 'change');
  const msg = await page.textContent('#message');
  assert(msg.includes('critic_lr') && await page.isVisible('#message'), `message names the key: ${msg}`);
  assert((await page.inputValue(input)) === '-1', 'what was typed is kept');
  await page.click('#step-both');
  assert((await readout(page)).step === 1, 'the lab keeps training after bad input');
  await shot('train-bad-input');

  await openLab(page, url, '#method=nope&pair=checkerboard');
  const bad = await page.textContent('#message');
  assert(bad.includes('method') && bad.includes('nope'), `malformed hash reported: ${bad}`);
  assert((await page.textContent('#status')) === 'ready', 'the page still works after a bad hash');
});
