// Your own data in the page: a stroke drawn with a mouse or a finger becomes the target the run
// trains on, a CSV file with a bad line is named by its line and changes nothing, and points far
// outside the usual square are fitted into view.
import fs from 'node:fs';
import { test, assert, openLab, readout, stepsReach, colourBox, PHONE } from './harness.mjs';

const Y_COLOR = [230, 85, 13];
const noteText = (page) => page.evaluate(() => (document.querySelector('#note').hidden ? '' : document.querySelector('#note').textContent));

/** The points of the exported Y sample, as [x, y] pairs. */
async function exportedY(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-y')]);
  return fs.readFileSync(await download.path(), 'utf8').trim().split('\n')
    .map((l) => l.split(',').map(Number)).filter((p) => p.length === 2 && p.every(Number.isFinite));
}

/** Drag across the middle of the canvas from 25 % to 75 % of its width, with a mouse or a finger. */
async function stroke(page, touch) {
  const box = await page.locator('#main').boundingBox();
  const y = box.y + box.height * 0.5;
  const xs = Array.from({ length: 30 }, (_, i) => box.x + box.width * (0.25 + (0.5 * i) / 29));
  if (!touch) {
    await page.mouse.move(xs[0], y);
    await page.mouse.down();
    for (const x of xs.slice(1)) await page.mouse.move(x, y);
    await page.mouse.up();
    return;
  }
  const cdp = await page.context().newCDPSession(page);
  const at = (x) => ({ touchPoints: [{ x, y, id: 1 }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', ...at(xs[0]) });
  for (const x of xs.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', ...at(x) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

for (const [size, viewport, touch] of [['mouse, 1280×800', undefined, false], ['finger, 390×844', PHONE, true]]) {
  test(`a stroke drawn into Y becomes the target and the run trains on it (${size})`, async ({ page, url, shot }) => {
    await openLab(page, url);
    await page.click('[data-tab="data"]');
    await page.selectOption('#draw-side', 'y');
    const scrolled = await page.evaluate(() => scrollY);
    await stroke(page, touch);
    await page.waitForFunction(() => /custom data/.test(document.querySelector('#readout').textContent), null, { timeout: 20000 });
    assert(await page.evaluate(() => scrollY) === scrolled, 'drawing does not scroll the page');
    const said = await noteText(page);
    assert(/Y is now the \d+ points you drew, in place of the pair's Y/.test(said) && await page.$('#note.info'), `no error; a word on what drawing did (${said})`);
    const ys = await exportedY(page);
    assert(ys.length >= 10, `the stroke's points reach the run (${ys.length} exported)`);
    const spread = (k) => Math.max(...ys.map((p) => p[k])) - Math.min(...ys.map((p) => p[k]));
    assert(spread(1) < 0.15 * spread(0), `the target lies along the horizontal stroke (x spread ${spread(0)}, y spread ${spread(1)})`);
    await page.selectOption('#draw-side', '');
    if (touch) {
      // with drawing off, a finger's swipe that starts on the plot scrolls the page
      const cdp = await page.context().newCDPSession(page);
      await page.evaluate(() => window.scrollTo(0, 0));
      const box = await page.locator('#main').boundingBox();
      const before = await page.evaluate(() => scrollY);
      const [x, y] = [box.x + box.width / 2, Math.min(box.y + box.height * 0.8, 600)];
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y, id: 1 }] });
      for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - 25 * i, id: 1 }] });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForFunction((b) => scrollY > b + 100, before, { timeout: 5000 }).catch(() => {});
      const after = await page.evaluate(() => scrollY);
      assert(after > before + 100, `a swipe on the plot scrolls the page (${before} → ${after})`);
    }
    await page.click('#play');
    await stepsReach(page, 30);
    await page.click('#play');
    await shot(`drawn-${touch ? 'phone' : 'desktop'}`);
    assert(/custom data/.test((await readout(page)).text), 'the run still trains on the drawn target');
    // a CSV imported into Y replaces the drawn points: their rings go with them
    const rings = () => page.evaluate(() => {
      const c = document.querySelector('#main');
      const d = c.getContext('2d').getImageData(Math.round(c.width * 0.3), Math.round(c.height * 0.48), Math.round(c.width * 0.4), Math.round(c.height * 0.04)).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 60 && d[i + 1] < 60 && d[i + 2] < 60) n += 1;
      return n;
    });
    const before = await rings();
    await page.selectOption('#import-side', 'y');
    const ring = Array.from({ length: 80 }, (_, i) => `${(0.5 * Math.cos(i)).toFixed(4)},${(0.5 * Math.sin(i) + 1).toFixed(4)}`);
    await page.setInputFiles('#import-csv', { name: 'ring.csv', mimeType: 'text/csv', buffer: Buffer.from(ring.join('\n')) });
    let after = before;
    for (let k = 0; k < 20 && after >= 0.1 * before; k += 1) {
      await page.waitForTimeout(250);
      after = await rings();
    }
    assert(before > 50 && after < 0.1 * before, `the drawn points' rings leave with them (dark pixels along the stroke ${before} → ${after})`);
  }, viewport);
}

test('a CSV with a bad line is named by its line and leaves the run as it was; a good one replaces Y', async ({ page, url }) => {
  await openLab(page, url);
  await page.click('[data-tab="data"]');
  const csv = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.setInputFiles('#import-csv', csv('bad.csv', 'x,y\n0.1,0.2\n0.3,zero\n0.5,0.6\n'));
  await page.waitForFunction(() => !document.querySelector('#note').hidden);
  const said = await noteText(page);
  assert(/line 3/.test(said) && /zero/.test(said), `the message names the line and what is wrong there: ${said}`);
  assert(!/custom data/.test((await readout(page)).text), 'the run kept its data');
  await page.click('#play');
  await stepsReach(page, 10);
  await page.click('#play');

  const ring = Array.from({ length: 80 }, (_, i) => `${(0.5 * Math.cos(i)).toFixed(4)},${(0.5 * Math.sin(i)).toFixed(4)}`);
  await page.setInputFiles('#import-csv', csv('ring.csv', ring.join('\n')));
  await page.waitForFunction(() => /custom data/.test(document.querySelector('#readout').textContent));
  assert(await page.inputValue('#pair') === 'custom', `the pair menu says the data are custom: ${await page.inputValue('#pair')}`);
  const ys = await exportedY(page);
  // the run resamples the imported points with a small jitter (std 0.02)
  const off = Math.max(...ys.map(([x, y]) => Math.abs(Math.hypot(x, y) - 0.5)));
  assert(ys.length > 0 && off < 0.12, `Y is the imported ring (farthest point ${off.toFixed(3)} off the circle)`);
  // a link cannot carry the points: Copy link says so
  await page.click('[data-tab="share"]');
  await page.click('#share');
  await page.waitForFunction(() => /copied|Copy this link/.test(document.querySelector('#share-done').textContent));
  const shared = await page.textContent('#share-done');
  assert(/not your points/.test(shared) && /CSV/.test(shared), `Copy link says the points stay behind: ${shared}`);
  // a preset made for any data keeps the points; one made for its own data asks first
  const custom = () => page.evaluate(() => /custom data/.test(document.querySelector('#readout').textContent));
  await page.click('[data-tab="train"]');
  await page.selectOption('#preset', 'w2gan|w2gan-paper');
  // it runs on the imported points
  await page.waitForFunction(() => /batch=512/.test(location.hash) && /custom data/.test(document.querySelector('#readout').textContent), null, { timeout: 15000 });
  const asked = [];
  page.once('dialog', (d) => { asked.push(d.message()); d.dismiss(); });
  await page.selectOption('#preset', 'wgan-gp|wgan-gp-toy');
  await page.waitForFunction(() => document.querySelector('#preset').value === 'w2gan|w2gan-paper');
  assert(/gaussians8: your Y points.*CSV/.test(asked[0] ?? ''), `the teacher is asked first: ${asked}`);
  assert(await custom() && (await page.inputValue('#method')) === 'w2gan', 'declined: the run and its points stay');
  page.once('dialog', (d) => d.accept());
  await page.selectOption('#preset', 'wgan-gp|wgan-gp-toy');
  await page.waitForFunction(() => document.querySelector('#pair').value === 'gaussians8');
  assert(!(await custom()), 'accepted: the preset runs on its own data');
});

test('points far outside [-2, 2] are fitted into view, not drawn on a corner pixel', async ({ page, url, shot }) => {
  await openLab(page, url);
  await page.click('[data-tab="data"]');
  // a ring of radius 9 around (20, -20)
  const ring = Array.from({ length: 120 }, (_, i) => `${20 + 9 * Math.cos(i)},${-20 + 9 * Math.sin(i)}`);
  await page.setInputFiles('#import-csv', { name: 'far.csv', mimeType: 'text/csv', buffer: Buffer.from(ring.join('\n')) });
  await page.waitForFunction(() => /custom data/.test(document.querySelector('#readout').textContent));
  await page.waitForTimeout(500);
  const said = await page.textContent('#note');
  assert(/around \(20[.0-9]*, -20[.0-9]*\)/.test(said) && /rescale/.test(said), `a note says where they lie and what to do: ${said}`);
  const seen = await colourBox(page, '#main', Y_COLOR);
  assert(seen, 'the target is drawn');
  const [x0, y0, x1, y1] = seen.box;
  assert(x1 - x0 > 0.3 * seen.width && y1 - y0 > 0.3 * seen.height,
    `the ring fills a good part of the canvas (${x1 - x0}×${y1 - y0} of ${seen.width}×${seen.height} px)`);
  await shot('far-points-fitted');
  // the note stays while these points are the run's data: Play does not clear it
  const step = (await readout(page)).step;
  await page.click('#play');
  await stepsReach(page, step + 3);
  await page.click('#play');
  assert(/rescale/.test(await page.textContent('#note')) && await page.isVisible('#note'), 'the note stays through Play');
  await page.selectOption('#pair', 'gaussians4');
  await page.waitForFunction(() => document.querySelector('#note').hidden, null, { timeout: 10000 });
});
