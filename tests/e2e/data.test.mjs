// Your own data: draw a target with the mouse, export it, import a good and a bad CSV, export PNG.
import fs from 'node:fs';
import { test, assert, openLab } from './harness.mjs';

/** Click `selector` and return the text of the file it downloads. */
async function downloaded(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(await dl.path()) };
}

const rows = (csv) => csv.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));

test('draw a target with the mouse; CSV export and import; a bad CSV names its line', async ({ page, url, shot }) => {
  await openLab(page, url, '#method=w2gan&pair=gaussians4');
  await page.selectOption('#draw-side', 'y');
  // a horizontal stroke through the middle of the plot: data y ≈ 0, x from about −1 to 1
  const box = await page.locator('#main').boundingBox();
  const [x0, x1, yMid] = [box.x + box.width * 0.33, box.x + box.width * 0.68, box.y + box.height * 0.485];
  await page.mouse.move(x0, yMid);
  await page.mouse.down();
  for (let i = 1; i <= 30; i += 1) await page.mouse.move(x0 + ((x1 - x0) * i) / 30, yMid);
  await page.mouse.up();
  const text = await page.textContent('#train-readout');
  assert(text.includes('custom data'), `the run uses the drawn target: ${text}`);

  const y = await downloaded(page, '#export-y');
  const pts = rows(y.bytes.toString());
  assert(y.name === 'otlab-y.csv' && pts.length >= 256, `Y exported: ${y.name}, ${pts.length} rows`);
  assert(pts.every(([a, b]) => Math.abs(b) < 0.25 && a > -1.4 && a < 1.4), 'exported Y lies along the drawn stroke');
  const xs = pts.map(([a]) => a);
  assert(Math.max(...xs) - Math.min(...xs) > 1.2, 'the stroke spans the width that was drawn');
  await page.click('#step-both');
  await shot('data-drawn');

  // a bad CSV: the message names the line, the drawn data and the run stay
  await page.setInputFiles('#import-csv', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n0.1,0.2\n0.3,abc\n') });
  await page.waitForSelector('#message:not([hidden])');
  const msg = await page.textContent('#message');
  assert(msg.includes('line 3') && msg.includes('abc'), `bad CSV reported with its line: ${msg}`);
  await page.click('#step-both');
  const after = await page.textContent('#train-readout');
  assert(/step 2\b/.test(after) && after.includes('custom data'), `lab keeps running with the drawn data: ${after}`);

  // a good CSV into the source: three points
  await page.selectOption('#import-side', 'x');
  await page.setInputFiles('#import-csv', { name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n-1,1\n1,1\n0,-1.5\n') });
  await page.waitForFunction(() => document.querySelector('#message').hidden);
  const xCsv = rows((await downloaded(page, '#export-x')).bytes.toString());
  const near = ([a, b]) => [[-1, 1], [1, 1], [0, -1.5]].some(([p, q]) => Math.hypot(a - p, b - q) < 0.15);
  assert(xCsv.length >= 256 && xCsv.every(near), 'exported X comes from the imported points');
  const gx = rows((await downloaded(page, '#export-gx')).bytes.toString());
  assert(gx.length === xCsv.length && gx.every((r) => r.every(Number.isFinite)), 'G(X) exported');

  const png = await downloaded(page, '#export-png');
  assert(png.name.endsWith('.png') && png.bytes.subarray(1, 4).toString() === 'PNG', 'the canvas exports as PNG');

  await page.click('#clear-drawing');
  assert(!(await page.textContent('#train-readout')).includes('custom'), 'clearing returns to the named pair');
});

test('diverging training and a bad parameters file get messages; the lab keeps working', async ({ page, url, shot }) => {
  await openLab(page, url, '#method=gan&pair=gaussians4&critic_lr=1&gen_lr=1&gen_opt=sgd&gen_bn=false');
  await page.click('#train-play');
  await page.waitForSelector('#message:not([hidden])', { timeout: 30000 });
  const msg = await page.textContent('#message');
  assert(/diverged at step \d+/.test(msg) && /loss|parameter/.test(msg), `divergence names step and quantity: ${msg}`);
  assert((await page.textContent('#train-play')) === 'Train', 'training stopped');
  await shot('data-diverged');
  await page.click('#reset');
  assert(/^step 0\b/.test(await page.textContent('#train-readout')), 'reset starts again');

  await page.setInputFiles('#load', { name: 'params.json', mimeType: 'application/json', buffer: Buffer.from('{"params": [1, 2') });
  await page.waitForFunction(() => document.querySelector('#message').textContent.includes('JSON'));
  await page.click('#step-both');
  assert(/^step 1\b/.test(await page.textContent('#train-readout')), 'the lab still trains after a bad file');
});
