// The page loads, draws both point clouds of the chosen pair, and responds to its controls.
import { test, assert, openLab, colourCounts } from './harness.mjs';

const X = [31, 119, 180];
const Y = [230, 85, 13];

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
  await shot('page-spirals');
});
