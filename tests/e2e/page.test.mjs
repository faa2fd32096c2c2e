// The page loads, draws both point clouds of the chosen pair with the discrete OT arrows, and
// animates the W2 geodesic.
import { test, assert, openLab, colourCounts } from './harness.mjs';

const X = [31, 119, 180];
const Y = [230, 85, 13];
const G = [148, 52, 200];
const ARROW = [90, 90, 90];

test('page draws both clouds and responds to pair and resample', async ({ page, url, shot }) => {
  await openLab(page, url);
  const first = await colourCounts(page, '#main', { x: X, y: Y });
  assert(first.x > 500 && first.y > 500, `both clouds visible: ${JSON.stringify(first)}`);
  await shot('page-gaussians4');

  await page.selectOption('#pair', 'checkerboard');
  const board = await colourCounts(page, '#main', { x: X, y: Y });
  assert(board.x > 500 && board.y > 500, `checkerboard visible: ${JSON.stringify(board)}`);
  const before = await page.evaluate(() => document.querySelector('#main').toDataURL());
  await page.click('#resample');
  const after = await page.evaluate(() => document.querySelector('#main').toDataURL());
  assert(before !== after, 'resample redraws new samples');
  await shot('page-checkerboard');

  await page.selectOption('#pair', 'spirals');
  const spirals = await colourCounts(page, '#main', { x: X, y: Y });
  assert(spirals.x > 500 && spirals.y > 500, `spirals visible: ${JSON.stringify(spirals)}`);
  const w2 = Number(await page.textContent('#w2sq'));
  assert(w2 > 0.2 && w2 < 1, `W2² read-out for spirals is plausible: ${w2}`);
  await shot('page-spirals');
});

test('discrete OT arrows toggle and the geodesic moves from X to Y', async ({ page, url, shot }) => {
  await openLab(page, url);
  const on = await colourCounts(page, '#main', { arrow: ARROW }, 0.6, 40);
  await page.click('#arrows');
  const off = await colourCounts(page, '#main', { arrow: ARROW }, 0.6, 40);
  assert(on.arrow > 2 * off.arrow + 200, `arrows drawn when on: on ${on.arrow}, off ${off.arrow}`);

  const g0 = await colourCounts(page, '#main', { g: G });
  assert(g0.g < 50, `no geodesic points at t = 0: ${g0.g}`);
  await page.fill('#t', '0.5');
  await page.dispatchEvent('#t', 'input');
  assert((await page.textContent('#t-value')).includes('0.50'), 't read-out follows the slider');
  const mid = await colourCounts(page, '#main', { g: G, x: X, y: Y });
  assert(mid.g > 500, `μ_0.5 drawn: ${JSON.stringify(mid)}`);
  await shot('geodesic-t050');

  // play runs t to 1; at t = 1 the geodesic points sit on Y
  await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#t').value === '1', null, { timeout: 10000 });
  assert((await page.textContent('#play')) === 'Play', 'play stops at t = 1');
  const end = await colourCounts(page, '#main', { g: G, y: Y });
  assert(end.g > 500, `μ_1 drawn: ${JSON.stringify(end)}`);
  await shot('geodesic-t100');
});
