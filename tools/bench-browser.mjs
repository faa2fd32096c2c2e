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
  // warm-up: V8 first runs wasm on its baseline compiler and moves hot functions to the
  // optimising one as they get called
  m.benchNn(0.5);
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
// training in Web Workers as the page does it (frames drawn at the display's pace): 1, 2 and 4
// concurrent W2GAN runs, their total steps/s, and each run's own speed read-out beside the
// measured speed
const workerSeconds = Number(process.env.WORKER_SECONDS || 10);
result.workers = await page.evaluate(async (seconds) => {
  const { RunClient } = await import('./www/client.js');
  const query = 'method=w2gan&pair=gaussians4&critic_warmup=0&gen_halflife=0&gen_lr=3e-4&eval_every=1000000';
  const runs = [];
  for (const k of [1, 2, 4]) {
    // the speed each run's read-out showed in its last frame while training
    const shown = new Array(k).fill(0);
    let measuring = true;
    const clients = Array.from({ length: k }, (_, i) => new RunClient({ onFrame(bytes, r) { if (measuring) shown[i] = r.steps_per_s; }, onStopped() {} }));
    await Promise.all(clients.map((c) => c.call('open', { query })));
    const t0 = performance.now();
    await Promise.all(clients.map((c) => c.play()));
    await new Promise((done) => setTimeout(done, seconds * 1000));
    // frames sent after a pause carry no speed
    measuring = false;
    const ends = await Promise.all(clients.map((c) => c.pause()));
    const dt = (performance.now() - t0) / 1000;
    runs.push({
      workers: k,
      seconds: dt,
      total_steps_per_s: ends.reduce((a, r) => a + r.steps, 0) / dt,
      measured_steps_per_s: ends.map((r) => r.steps / dt),
      reported_steps_per_s: shown,
    });
    for (const c of clients) c.terminate();
  }
  return { hardware_concurrency: navigator.hardwareConcurrency, query, runs };
}, workerSeconds);
// memory over a long run: the wasm memory of a semi-dual run (the fastest steps) at 10 000 and
// at 100 000 steps (history is bounded, so it should not grow)
result.memory = await page.evaluate(async () => {
  const { RunClient } = await import('./www/client.js');
  let stopped = null;
  const c = new RunClient({ onFrame() {}, onStopped() { if (stopped) stopped(); } });
  await c.call('open', { query: 'method=semidual&pair=checkerboard' });
  const at = async (steps) => {
    const done = new Promise((resolve) => { stopped = resolve; });
    await c.play(steps);
    await done;
    return { steps: (await c.call('pause')).steps, wasm_bytes: await c.call('memory') };
  };
  const out = [await at(10000), await at(100000)];
  c.terminate();
  return out;
});
// the two wasm builds side by side (separate module instances): SIMD128, and relaxed SIMD with
// fused multiply-add, which the page loads where the browser has it
result.wasm_build = await page.evaluate(() => document.body.dataset.wasm);
result.builds = await page.evaluate(async () => {
  const builds = { 'simd128': './pkg/otlab_bg.wasm', 'relaxed-simd': './pkg/otlab_relaxed_bg.wasm' };
  const out = [];
  for (const [build, wasm] of Object.entries(builds)) {
    const m = await import(`./pkg/otlab.js?${build}`);
    await m.default({ module_or_path: new URL(wasm, location.href) });
    out.push({ build, m, raw_matmul_gflops: [], matmul_shapes: [] });
  }
  // alternating rounds, so a slow moment of the machine does not land on one build only
  for (let round = 0; round < 3; round++) {
    for (const b of out) {
      const nn = JSON.parse(b.m.benchNn(1.0));
      b.raw_matmul_gflops.push(nn.raw_matmul_gflops);
      b.matmul_shapes.push(nn.matmul_shapes);
    }
  }
  return out.map(({ m, ...rest }) => rest);
});
result.browser = await browser.version();
console.log(JSON.stringify(result));
await browser.close();
server.close();
