// Runs otlab's benchmarks inside headless Chromium and prints one JSON object (same records as
// `otlab bench --json`, measured in the browser). Needs `make build` first.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const server = await serve(root, 0);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
await page.waitForSelector('body[data-ready="1"]');
const trainSeconds = Number(process.env.TRAIN_SECONDS || 60);
page.setDefaultTimeout(0);
const result = await page.evaluate(async (trainSeconds) => {
  const m = await import('./pkg/otlab.js');
  const training = trainSeconds > 0
    ? JSON.parse(m.trainCases()).map(([name, query, share]) =>
        ({ name, case: JSON.parse(m.benchTrain(query, trainSeconds * share, 0.05, false)) }))
    : [];
  return {
    ot_assignment: JSON.parse(m.benchOt(new Uint32Array([256, 1024, 4096]), 3)),
    networks: JSON.parse(m.benchNn(2.0)),
    training,
  };
}, trainSeconds);
result.browser = await browser.version();
console.log(JSON.stringify(result));
await browser.close();
server.close();
