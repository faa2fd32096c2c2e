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
/** Register an end-to-end test: `fn({ page, url, shot })`; `viewport` defaults to 1280×800. */
export function test(name, fn, viewport = DESKTOP) { tests.push({ name, fn, viewport }); }
/** A laptop screen and a phone. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Throw with `msg` unless `cond` holds. */
export function assert(cond, msg) { if (!cond) throw new Error(`assertion failed: ${msg}`); }

/** Run every registered test in a fresh page of one browser; exit non-zero on any failure. */
export async function runAll() {
  fs.mkdirSync(SHOTS, { recursive: true });
  // screenshots of earlier failures would mislead
  for (const f of fs.readdirSync(SHOTS)) if (f.startsWith('FAILED-')) fs.rmSync(path.join(SHOTS, f));
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
  const only = process.env.E2E_ONLY;
  for (const t of tests.filter((x) => !only || x.name.includes(only))) {
    // the phone is a touch screen
    const phone = t.viewport === PHONE;
    const context = await browser.newContext({
      viewport: t.viewport, hasTouch: phone, isMobile: phone, permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
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
    await context.close();
  }
  await browser.close();
  server.close();
  const ran = tests.filter((x) => !only || x.name.includes(only)).length;
  console.log(`${ran - failed} passed, ${failed} failed; screenshots in ${SHOTS}`);
  process.exit(failed ? 1 : 0);
}

/** Open the page and wait until the wasm core reports ready and the first frame is drawn. */
export async function openLab(page, url, hash = '') {
  // a hash-only change would not reload the page: start from a blank one
  await page.goto('about:blank');
  await page.goto(url + 'index.html' + hash);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  await page.waitForFunction(() => /step \d+/.test(document.querySelector('#readout').textContent), null, { timeout: 60000 });
}

/** The read-out: its text and the step count. */
export async function readout(page) {
  const text = await page.textContent('#readout');
  return { text, step: Number(/step (\d+)/.exec(text)[1]) };
}

/** Wait until the read-out's step count reaches `n` (within `ms`). */
export async function stepsReach(page, n, ms = 60000) {
  await page.waitForFunction((k) => Number(/step (\d+)/.exec(document.querySelector('#readout').textContent)[1]) >= k, n, { timeout: ms });
}

/** A number from the read-out, e.g. `metric(page, 'MapErr')` (NaN when absent). */
export async function metric(page, name) {
  const text = await page.textContent('#readout');
  const m = new RegExp(`${name.replace(/[()²]/g, '\\$&')} ([0-9.e+-]+)`).exec(text);
  return m ? Number(m[1]) : NaN;
}

/** Whether `selector`'s box lies inside the viewport without scrolling. */
export async function onScreen(page, selector) {
  return page.evaluate((s) => {
    const r = document.querySelector(s).getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1;
  }, selector);
}

/** The bounding box `[x0, y0, x1, y1]` (canvas pixels) of pixels near `rgb` blended at `alpha`, or null. */
export async function colourBox(page, selector, rgb, alpha = 0.85, tol = 60) {
  return page.evaluate(({ selector, rgb, alpha, tol }) => {
    const c = document.querySelector(selector);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const t = rgb.map((v) => alpha * v + (1 - alpha) * 255);
    let box = null;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - t[0]) + Math.abs(d[i + 1] - t[1]) + Math.abs(d[i + 2] - t[2]) >= tol) continue;
      const x = (i / 4) % c.width;
      const y = Math.floor(i / 4 / c.width);
      box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
    }
    return box && { box, width: c.width, height: c.height };
  }, { selector, rgb, alpha, tol });
}

/** Fraction of a canvas's pixels that are not (near) white. */
export async function coloured(page, selector) {
  return page.evaluate((s) => {
    const c = document.querySelector(s);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 720) n += 1;
    return n / (d.length / 4);
  }, selector);
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
