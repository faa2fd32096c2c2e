// The guided lecture: Next walks through every scene, each scene shows what its caption claims
// within a minute (read from the read-out and the canvas), Back returns, and a scene's link opens it.
import { test, assert, openLab, metric, stepsReach, coloured, onScreen, PHONE } from './harness.mjs';

const title = (page) => page.textContent('#tour-title');
const next = async (page, n) => {
  await page.click('#tour-next');
  // the scene is open once its link is in the address bar
  await page.waitForFunction((k) => location.hash === `#tour=${k}`, n, { timeout: 30000 });
  await page.waitForFunction(() => /step \d+/.test(document.querySelector('#readout').textContent));
};
/** Wait until the read-out's `name` satisfies `ok` (within 60 s); returns the value. */
const until = async (page, name, ok, what) => {
  const t0 = Date.now();
  for (;;) {
    const v = await metric(page, name);
    if (ok(v)) return v;
    if (Date.now() - t0 > 60000) throw new Error(`within 60 s: ${what} (${name} is ${v})`);
    await page.waitForTimeout(500);
  }
};

for (const [size, viewport] of [['1280×800', undefined], ['390×844', PHONE]]) {
  test(`the lecture: every scene shows what it says within a minute (${size})`, async ({ page, url, shot }) => {
    await openLab(page, url);
    await page.click('[data-tab="tour"]');
    await page.waitForFunction(() => location.hash === '#tour=1', null, { timeout: 30000 });
    const count = Number(/\/ (\d+)/.exec(await page.textContent('#tour-count'))[1]);
    assert(count === 8, `eight scenes (${count})`);

    // 1: the exact OT arrows between X and Y
    assert(/exact OT/.test(await title(page)), await title(page));
    assert(await coloured(page, '#main') > 0.03, 'the arrows and the samples are drawn');
    // the scene's words and the plot they describe are on screen together (on a phone too)
    await page.evaluate(() => window.scrollTo(0, 0));
    assert(await onScreen(page, '#main') && await onScreen(page, '#tour-title'), 'the plot and the scene title are on screen together');

    // 2: μ_t slides along the arrows by itself
    await next(page, 2);
    const t1 = await page.textContent('#t-value');
    await page.waitForTimeout(1000);
    assert(t1 !== await page.textContent('#t-value'), `t plays (${t1})`);
    // past t = 1 (where μ_t covers Y) it sweeps back instead of stopping there
    await page.waitForTimeout(2500);
    const t2 = await page.textContent('#t-value');
    await page.waitForTimeout(400);
    assert(t2 !== await page.textContent('#t-value'), `t keeps sweeping after reaching 1 (${t2})`);
    // a refused value changes nothing: the scene stays
    await page.evaluate(() => {
      const batch = document.querySelector('#keys [data-key="batch"]');
      batch.value = '1';
      batch.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => document.querySelector('#keys [data-key="batch"]').classList.contains('invalid'));
    assert(await page.isHidden('#tour-left'), 'a refused value does not leave the scene');
    // a key changed in the Train tab leaves the scene: the sweep stops and the Tour tab says so
    await page.evaluate(() => {
      const pair = document.querySelector('#pair');
      pair.value = 'checkerboard';
      pair.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(() => !document.querySelector('#tour-left').hidden, null, { timeout: 30000 });
    const t3 = await page.textContent('#t-value');
    await page.waitForTimeout(400);
    assert(t3 === await page.textContent('#t-value'), `the sweep stops with the scene (${t3})`);

    // 3: W2-OT's map approaches the OT map
    await next(page, 3);
    const first = await until(page, 'MapErr', Number.isFinite, 'W2-OT is evaluated');
    await until(page, 'MapErr', (v) => v < 0.5 * first, `MapErr falls to half of ${first}`);

    // 4: W2GAN stays near the geodesic while MapErr falls
    await next(page, 4);
    await until(page, 'MapErr', (v) => v < 0.5, 'W2GAN moves G(X) halfway to the OT map');
    const geo = await metric(page, 'GeoDev');
    assert(geo < 0.05, `on the way it stays near the geodesic (GeoDev ${geo})`);
    await shot(`tour-4-${size}`);

    // 5: Figure 2 as a compare view, all panels training
    await next(page, 5);
    await page.waitForSelector('#compare:not([hidden])');
    await page.waitForFunction(() => {
      const caps = [...document.querySelectorAll('#compare-grid figcaption')].slice(1);
      return caps.length === 5 && caps.every((c) => /step [1-9]/.test(c.textContent));
    }, null, { timeout: 60000 });
    assert(await onScreen(page, '#tour-title'), 'the scene\'s title is on screen under its panels');
    await shot(`tour-5-${size}`);

    // 6: Laguerre cells, semi-dual SGD running
    await next(page, 6);
    assert(await page.isHidden('#compare'), 'the compare view closed');
    await stepsReach(page, 200);
    assert(await coloured(page, '#main') > 0.5, 'the cells fill the plot');

    // 7: the WAE's codes approach the prior
    await next(page, 7);
    await page.waitForFunction(() => !document.querySelector('#latent').hidden, null, { timeout: 30000 });
    const lat0 = await until(page, 'latent W2²', Number.isFinite, 'the latent W2² is measured');
    await until(page, 'latent W2²', (v) => v < 0.7 * lat0, `the codes move toward the prior (from ${lat0})`);
    // on a phone the latent panel is below the scene's words: a button under them brings it up
    if (viewport) {
      assert(!(await onScreen(page, '#latent')), 'the latent panel starts below the scene\'s words');
      await page.click('#tour-see');
      await page.waitForFunction(() => {
        const r = document.querySelector('#latent').getBoundingClientRect();
        return r.top >= document.querySelector('header').getBoundingClientRect().bottom && r.bottom <= innerHeight;
      }, null, { timeout: 5000 });
    }

    // 8: the claims table
    await next(page, 8);
    await page.waitForSelector('#tab-tour table.claims tr:nth-child(6)');
    const rows = await page.$$eval('#tab-tour table.claims tr', (r) => r.map((x) => x.textContent));
    assert(/WGAN.*≤.*MKE.*≤.*WVAE/.test(rows[1]), `the scene's own claim, the ordering, comes first: ${rows[1].slice(0, 60)}`);
    assert(rows.slice(1).every((r) => /reproduced|partly|not/.test(r)), 'every claim has a verdict');
    const measures = await page.$$eval('#tab-tour table.claims td:nth-child(2) .explain', (d) => d.map((x) => x.textContent));
    assert(measures.length === rows.length - 1 && measures.every((m) => m.length > 10), 'every claim says what its numbers measure');
    const commands = await page.$$eval('#tab-tour table.claims td:first-child code', (c) => c.map((x) => x.textContent));
    assert(commands.length === rows.length - 1 && commands.every((c) => /^otlab train --method /.test(c)), `every claim names the command it runs: ${commands[0]}`);
    assert(await page.isDisabled('#tour-next'), 'the last scene');
    assert(await page.isHidden('#tour-see'), 'a scene about the plot alone has no button to a panel');
    await shot(`tour-8-${size}`);

    await page.click('#tour-back');
    await page.waitForFunction(() => document.querySelector('#tour-count').textContent.startsWith('7 /'));
    await openLab(page, url, '#tour=6');
    assert(/Laguerre/.test(await title(page)), 'a scene link opens that scene');
    // a scene that is not there: the nearest one opens, and the page says so
    for (const [hash, scene, words] of [['#tour=99', '8 /', /scenes 1–8, not 99/], ['#tour=abc', '1 /', /"abc" is not a scene number/]]) {
      await openLab(page, url, hash);
      assert((await page.textContent('#tour-count')).startsWith(scene), `${hash} opens scene ${scene}`);
      const said = await page.textContent('#note');
      assert(words.test(said), `${hash}: the note says which scene opened and why (${said})`);
    }
    // another run opened from the address bar: the scene's words say they no longer match the plot
    await page.evaluate(() => { location.hash = 'method=vae&pair=gaussians4'; });
    await page.waitForFunction(() => document.querySelector('#method').value === 'vae', null, { timeout: 30000 });
    assert(await page.isVisible('#tour-left'), 'the Tour tab says the plot shows another run');
    await page.click('#tour-again');
    await page.waitForFunction(() => location.hash === '#tour=1' && document.querySelector('#tour-left').hidden, null, { timeout: 30000 });
    assert((await page.inputValue('#method')) === 'w2gan', 'the scene opens again');
    // and a scene's link, followed after leaving that scene, opens it again too
    await page.evaluate(() => { location.hash = 'method=vae&pair=gaussians4'; });
    await page.waitForFunction(() => document.querySelector('#method').value === 'vae', null, { timeout: 30000 });
    await page.evaluate(() => { location.hash = 'tour=1'; });
    await page.waitForFunction(() => document.querySelector('#method').value === 'w2gan' && document.querySelector('#tour-left').hidden, null, { timeout: 30000 });
  }, viewport);
}

test('on a phone, Next from the compare scene brings the next scene\'s title into view', async ({ page, url }) => {
  await openLab(page, url, '#tour=5');
  await page.waitForSelector('#compare:not([hidden])');
  // the compare grid makes the page tall: the reader scrolls down to Next
  await page.evaluate(() => document.querySelector('#tour-next').scrollIntoView({ block: 'center' }));
  await next(page, 6);
  await page.waitForTimeout(500);
  const [top, header, height] = await page.evaluate(() => [document.querySelector('#tour-title').getBoundingClientRect().top, document.querySelector('header').getBoundingClientRect().bottom, innerHeight]);
  assert(top >= header && top < height - 100, `scene 6's title below the header, on screen (top ${top}, header ${header})`);
  // the run's charts, sized while the compare view hid them, take the phone's width again
  const [chart, page_] = await page.evaluate(() => [document.querySelector('#chart').getBoundingClientRect().right, document.documentElement.scrollWidth]);
  assert(chart <= 390 && page_ <= 390, `the charts fit the screen (their right edge at ${chart} px, the page ${page_} px wide)`);
}, PHONE);
