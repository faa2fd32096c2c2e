// A small end-to-end harness: serves the repository, drives headless Chromium with playwright-core,
// fails a test on any console error or uncaught exception, and saves screenshots under target/e2e.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../tools/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = path.join(ROOT, 'target', 'e2e');

const tests = [];
/** Register an end-to-end test: `fn({ page, url, shot })`. */
export function test(name, fn) { tests.push({ name, fn }); }

/** Throw with `msg` unless `cond` holds. */
export function assert(cond, msg) { if (!cond) throw new Error(`assertion failed: ${msg}`); }

/** Run every registered test in a fresh page of one browser; exit non-zero on any failure. */
export async function runAll() {
  fs.mkdirSync(SHOTS, { recursive: true });
  const server = await serve(ROOT, 0);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // playwright gives each launch a fresh temporary profile; these keep Chromium off the network
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  let failed = 0;
  for (const t of tests) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    const started = Date.now();
    try {
      await t.fn({ page, url: base, shot, problems });
      assert(problems.length === 0, `no console errors, got:\n  ${problems.join('\n  ')}`);
      console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed += 1;
      console.log(`FAIL ${t.name}\n     ${String(e.stack || e).split('\n').join('\n     ')}`);
      await shot(`FAILED-${t.name.replace(/\W+/g, '_')}`).catch(() => {});
    }
    await page.close();
  }
  await browser.close();
  server.close();
  console.log(`${tests.length - failed} passed, ${failed} failed; screenshots in ${SHOTS}`);
  process.exit(failed ? 1 : 0);
}

/** Open the page and wait until the wasm core reports ready. */
export async function openLab(page, url, hash = '') {
  // a hash-only change would not reload the page: start from a blank one
  await page.goto('about:blank');
  await page.goto(url + 'index.html' + hash);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
}

/**
 * Count canvas pixels near each named colour (after alpha blending on white), e.g.
 * `{ x: [31,119,180] }` → `{ x: 1234, total: N }`.
 */
export async function colourCounts(page, selector, colours, alpha = 0.85, tol = 60) {
  return page.evaluate(({ selector, colours, alpha, tol }) => {
    const c = document.querySelector(selector);
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const targets = Object.entries(colours).map(([k, rgb]) => [k, rgb.map((v) => alpha * v + (1 - alpha) * 255)]);
    const out = Object.fromEntries(targets.map(([k]) => [k, 0]));
    for (let i = 0; i < data.length; i += 4) {
      for (const [k, t] of targets) {
        const d = Math.abs(data[i] - t[0]) + Math.abs(data[i + 1] - t[1]) + Math.abs(data[i + 2] - t[2]);
        if (d < tol) { out[k] += 1; break; }
      }
    }
    out.total = data.length / 4;
    return out;
  }, { selector, colours, alpha, tol });
}
