// Training in the page: every method opens from any other and trains, bad values and bad links
// are named on screen while the lab keeps training, a run that runs away stops with the quantity
// and the step, heavy settings never block the main thread, the worker protocol answers, and a
// shared link or a parameter file brings the run back.
import fs from 'node:fs';
import { test, assert, openLab, readout, stepsReach, metric, onScreen, PHONE } from './harness.mjs';

const noteText = (page) => page.evaluate(() => (document.querySelector('#note').hidden ? '' : document.querySelector('#note').textContent));

test('every method opens from a map run and from a generative run, steps, and shows its keys', async ({ page, url }) => {
  await openLab(page, url);
  const methods = await page.evaluate(() => [...document.querySelectorAll('#method option')].map((o) => o.value));
  assert(methods.length >= 14, `the registry offers every method: ${methods}`);
  for (const start of ['method=w2gan&pair=gaussians4', 'method=wgan-gp&mode=generative&pair=gaussians8']) {
    await openLab(page, url, `#${start}`);
    for (const m of methods) {
      await page.selectOption('#method', m);
      await page.waitForFunction((name) => /method=([^&]+)/.exec(location.hash)?.[1] === name, m, { timeout: 30000 });
      assert(!(await noteText(page)), `${m}: no error after switching (${await noteText(page)})`);
      const keys = await page.evaluate(() => [...document.querySelectorAll('#keys [data-key]')].map((e) => e.dataset.key));
      assert(keys.length > 0, `${m}: its keys are shown`);
      const before = (await readout(page)).step;
      await page.click('#step');
      await stepsReach(page, before + 1);
      assert(!(await noteText(page)), `${m}: one step trains without an error (${await noteText(page)})`);
    }
  }
});

for (const [size, viewport] of [['1280×800', undefined], ['390×844', PHONE]]) {
  test(`a bad value is named next to its field and on screen, and training goes on (${size})`, async ({ page, url, shot }) => {
    await openLab(page, url);
    await page.fill('#key-batch', '1');
    await page.press('#key-batch', 'Enter');
    await page.waitForSelector('#key-batch.invalid');
    assert(/samples per batch/.test(await page.textContent('#keys .help')), 'the focused field\'s help shows under it (no hover on a phone)');
    const beside = await page.textContent('#keys .error');
    assert(/batch/.test(beside) && /8/.test(beside), `the field's message names the key and its range: ${beside}`);
    assert(await onScreen(page, '#key-batch') && await onScreen(page, '#keys .error'), 'the field and its message are on screen');
    assert(/batch/.test(await page.textContent('#status')), 'the status line names it too');
    await shot(`bad-value-${size}`);
    const step = (await readout(page)).step;
    await page.click('#play');
    await page.waitForFunction(() => /training with/.test(document.querySelector('#note').textContent));
    const kept = await noteText(page);
    assert(/batch = 256 \(not 1\)/.test(kept), `Play says which batch trains while the field is marked: ${kept}`);
    await stepsReach(page, step + 5);
    await page.click('#play');
    await page.fill('#key-batch', '128');
    await page.press('#key-batch', 'Enter');
    await page.waitForFunction(() => !document.querySelector('#key-batch').classList.contains('invalid'));
    // the address is written at most once per LINK_EVERY ms: wait for it, not for the field alone
    await page.waitForFunction(() => /batch=128/.test(location.hash), null, { timeout: 5000 })
      .catch(() => {});
    assert(/batch=128/.test(await page.evaluate(() => location.hash)), 'a good value applies and reaches the link');
  }, viewport);
}

test('WAE-MMD shows the steps its settling phase ends at, and the read-out names the rates and λ in force', async ({ page, url }) => {
  await openLab(page, url, '#method=wae-mmd&pair=gaussians8&steps=40&eval_every=10');
  assert(await page.isVisible('#key-steps'), 'steps is a setting where it ends the settling phase');
  const text = () => page.textContent('#readout');
  assert(/settles over steps 20–40 \(to learning rates × 0\.1, λ = 150\)/.test(await text()), `before the phase: ${await text()}`);
  await page.click('#play');
  await stepsReach(page, 45);
  await page.click('#play');
  assert(/settled at step 40: learning rates × 0\.1, λ = 150/.test(await text()), `after it: ${await text()}`);
  await openLab(page, url, '#method=vae&pair=gaussians8');
  assert(!(await page.isVisible('#key-steps')), 'a method without settling keeps steps to the command line');
});

test('a method chosen in the menu opens at its defaults, with the layers its Watch text names', async ({ page, url }) => {
  // the opening run is W2GAN tuned to move fast (gen_lr 3e-4, eval_every 25): WAE-MMD gets its own
  await openLab(page, url);
  await page.selectOption('#method', 'wae-mmd');
  await page.waitForFunction(() => /method=wae-mmd/.test(location.hash));
  const hash = await page.evaluate(() => location.hash);
  const own = await page.evaluate(() => [...document.querySelectorAll('#keys [data-key]')].map((i) => [i.dataset.key, i.value]));
  assert(!/gen_lr=0\.0003|eval_every=25/.test(hash) && await page.isHidden('#kept'), `WAE-MMD's own settings: ${hash}`);
  assert(own.some(([k, v]) => k === 'gen_lr' && Number(v) !== 3e-4), `the field shows WAE-MMD's gen_lr: ${own}`);
  await page.selectOption('#method', 'semidual');
  await page.waitForFunction(() => /method=semidual/.test(location.hash));
  await page.click('[data-tab="layers"]');
  assert(await page.isChecked('[data-layer="cells"]'), 'the Laguerre cells come on with the semi-dual');
  await page.click('[data-tab="train"]');
  await page.selectOption('#method', 'gan');
  await page.waitForFunction(() => /method=gan(&|$)/.test(location.hash));
  assert(await page.isChecked('[data-layer="heat0"]') && await page.isChecked('[data-layer="signal"]'), 'D\'s heat map and the arrows ∇D come on with the GAN');
});

test('a broken link opens what is valid, says what it left out, and trains; a bad % escape is named; a query link opens', async ({ page, url }) => {
  await openLab(page, url, '#method=w2g&pair=gaussians4&batch=1&gen_lr=3e-4&layers=x,y,geo=half,view=1;2');
  const said = await noteText(page);
  assert(/w2g/.test(said) && /batch/.test(said), `the note names the unknown method and the bad batch: ${said}`);
  assert(/geo=half/.test(said) && /view=1;2/.test(said), `and the malformed t and window: ${said}`);
  assert(await page.isChecked('#fit') && (await page.textContent('#t-value')) === 't = 0.50', 't and the window stay at their defaults');
  assert(/opened w2gan instead/.test(said), `the note says which method opened instead: ${said}`);
  assert(/using batch = 256/.test(said), `the note names the batch in force: ${said}`);
  assert(await onScreen(page, '#note'), 'the note is on screen');
  await page.click('#play');
  await stepsReach(page, 5);
  await page.click('#play');
  // switching method after a broken link works; the link's gen_lr was W2GAN's and gives way to
  // WGAN-GP's default
  await page.selectOption('#method', 'wgan-gp');
  await page.waitForFunction(() => /method=wgan-gp/.test(location.hash));
  assert(!(await noteText(page)), `no error: ${await noteText(page)}`);
  assert(/gen_lr=0\.001(&|$)/.test(await page.evaluate(() => location.hash)) && await page.isHidden('#kept'),
    `WGAN-GP's own learning rate: ${await page.evaluate(() => location.hash)}`);
  // a value set here carries over: a line under the Method menu names it and offers the defaults
  await page.fill('#key-gen_lr', '5e-4');
  await page.press('#key-gen_lr', 'Enter');
  await page.waitForFunction(() => /gen_lr=0\.0005/.test(location.hash));
  await page.selectOption('#method', 'w2gan');
  await page.waitForFunction(() => /method=w2gan/.test(location.hash));
  const kept = await page.textContent('#kept');
  assert(/gen_lr = 0\.0005 \(its default 0\.001\)/.test(kept) && !/batch/.test(kept), `the line names what carried over: ${kept}`);
  assert(await onScreen(page, '#kept button'), 'its button is on screen, beside the menu');
  await page.click('#kept button');
  await page.waitForFunction(() => /method=w2gan/.test(location.hash) && /gen_lr=0\.001(&|$)/.test(location.hash));
  assert(await page.isHidden('#kept'), 'with the defaults the line goes');
  await openLab(page, url, '#method=wgan-gp&pair=%zzgaussians4&gen_lr=1e-3');
  const escape = await noteText(page);
  assert(/pair/.test(escape) && !/URI malformed/.test(escape), `the bad escape is named by its key: ${escape}`);
  assert(/gen_lr=0\.001|gen_lr=1e-3/.test(await page.evaluate(() => location.hash)), 'the valid keys were kept');
  // a link written as a query opens as its hash form would, and the address becomes that form
  await openLab(page, url, '?method=mke&pair=gaussians8&seed=3');
  const [search, hash] = await page.evaluate(() => [location.search, location.hash]);
  assert(search === '' && /method=mke/.test(hash) && /seed=3/.test(hash), `the query link opened as a hash link: ${search} ${hash}`);
  assert(await page.inputValue('#method') === 'mke', 'the query link opened its method');
  // a link without a pair opens the pair the bare page opens
  await openLab(page, url, '#method=vae');
  assert(/pair=gaussians4/.test(await page.evaluate(() => location.hash)) && await page.inputValue('#pair') === 'gaussians4', 'a link without a pair trains on gaussians4, as the opening run does');
  // a query link without a method opens the default method on its pair; a bad key is named
  await openLab(page, url, '?pair=checkerboard');
  assert(/pair=checkerboard/.test(await page.evaluate(() => location.hash)) && await page.inputValue('#pair') === 'checkerboard', 'a query link without a method opens its pair');
  await openLab(page, url, '?lambda=abc');
  assert(/lambda/.test(await noteText(page)), `a query link's bad key is named: ${await noteText(page)}`);
  // a query of tracking tags alone is not a link: the opening run opens, with no note
  await openLab(page, url, '?utm_source=mail');
  assert(!(await noteText(page)) && /method=w2gan&pair=gaussians4/.test(await page.evaluate(() => location.hash)), 'a foreign query opens the opening run');
});

test('a run that runs away pauses with a message naming the quantity and the step; the lab keeps working', async ({ page, url, shot }) => {
  await openLab(page, url, '#method=wgan-gp&pair=gaussians4&critic_lr=1&gen_lr=1&eval_every=5&batch=64&eval_n=64');
  await page.click('#play');
  await page.waitForFunction(() => !document.querySelector('#note').hidden, null, { timeout: 60000 });
  const said = await noteText(page);
  assert(/step \d+/.test(said) && /(W2²|loss|map)/.test(said), `the message names the quantity and the step: ${said}`);
  assert((await page.textContent('#play')).includes('Play'), 'training paused');
  await shot('runaway');
  await page.fill('#key-critic_lr', '1e-3');
  await page.press('#key-critic_lr', 'Enter');
  await page.fill('#key-gen_lr', '1e-3');
  await page.press('#key-gen_lr', 'Enter');
  await page.click('#reset');
  await page.waitForFunction(() => /step 0\b/.test(document.querySelector('#readout').textContent));
  await page.click('#play');
  await stepsReach(page, 50);
  await page.click('#play');
  assert(!(await noteText(page)), 'with sane rates the run trains');
});

test('heavy settings ask first and never block the main thread: W2GAN at width 512, batch 4096', async ({ page, url }) => {
  await openLab(page, url);
  // a warm run has a speed, so the estimate is known: the dialog asks, and declining keeps the run
  await page.click('#play');
  await stepsReach(page, 20);
  await page.click('#play');
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await page.fill('#key-critic_width', '1024');
  await page.press('#key-critic_width', 'Enter');
  await page.waitForFunction(() => document.querySelector('#key-critic_width').value === '64');
  assert(/critic_width = 1024/.test(asked) && /s\b/.test(asked), `the page asked with the estimate: ${asked}`);
  assert((await readout(page)).step >= 20, 'declining left the run as it was');

  // a link's settings are checked when Play is first pressed: declined, nothing trains
  await openLab(page, url, '#method=w2gan&pair=gaussians4&critic_warmup=0&critic_width=512&gen_width=512&batch=4096&eval_every=20');
  asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await page.click('#play');
  await page.waitForTimeout(1500);
  assert(/one step would take about/.test(asked), `Play at step 0 asked first: ${asked}`);
  assert((await readout(page)).step === 0 && (await page.textContent('#play')).includes('Play'), 'declining left the run unplayed');
  page.once('dialog', (d) => d.accept());
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(e.duration); }).observe({ type: 'longtask' });
  });
  await page.click('#play');
  const fps = await page.evaluate(() => new Promise((done) => {
    let frames = 0;
    const t0 = performance.now();
    const tick = (t) => { frames += 1; if (t - t0 < 8000) requestAnimationFrame(tick); else done((frames * 1000) / (t - t0)); };
    requestAnimationFrame(tick);
  }));
  // one step here takes seconds: the worker finishes it while the page stays responsive
  await stepsReach(page, 1, 120000);
  await page.click('#play');
  const longest = await page.evaluate(() => Math.max(0, ...window.longTasks));
  assert(fps >= 55, `the main thread draws at ≥ 55 frames/s while training (${fps.toFixed(1)})`);
  assert(longest <= 50, `no task on the main thread longer than 50 ms (longest ${longest} ms)`);
});

test('a step far slower than estimated (WVAE\'s Sinkhorn plans at batch 4096) is stopped by Pause; the run reopens and trains', async ({ page, url }) => {
  await openLab(page, url, '#method=wvae&pair=gaussians8&batch=4096');
  page.on('dialog', (d) => d.accept());
  await page.click('#play');
  await page.waitForTimeout(1000);
  await page.click('#play');
  // the Pause goes unanswered: the note says why and offers to stop the step
  await page.waitForSelector('#stop-step', { timeout: 20000 });
  const offer = await noteText(page);
  assert(/has run for more than \d+ s/.test(offer), `the note says what is happening: ${offer}`);
  await page.click('#stop-step');
  await page.waitForFunction(() => /lighten them/.test(document.querySelector('#note').textContent), null, { timeout: 20000 });
  const said = await noteText(page);
  assert(/reopened at step 0/.test(said), `the note says what was done: ${said}`);
  assert((await page.textContent('#play')).includes('Play') && (await readout(page)).step === 0, 'paused at step 0');
  assert(/batch=4096/.test(await page.evaluate(() => location.hash)), 'the settings were kept');
  await page.fill('#key-batch', '256');
  await page.press('#key-batch', 'Enter');
  await page.waitForFunction(() => /batch=256/.test(location.hash));
  await page.click('#play');
  await stepsReach(page, 3);
  // a setting that takes seconds to apply while training (exact OT of 4096 held-out points) is
  // not a stuck step
  await page.fill('#key-eval_n', '4096');
  await page.press('#key-eval_n', 'Enter');
  await page.waitForFunction(() => /eval_n=4096/.test(location.hash), null, { timeout: 120000 });
  assert(!/was stopped/.test(await noteText(page)), `a slow setting is applied, not mistaken for a stuck step: ${await noteText(page)}`);
  await page.click('#play');
});

test('slow motion names the update each method takes', async ({ page, url }) => {
  // every caption shown, recorded in the page as the note changes (polling could miss one)
  const captions = async (hash, n, enough = (seen) => seen.length >= n) => {
    await openLab(page, url, hash);
    await page.evaluate(() => {
      window.captions = [];
      new MutationObserver(() => {
        const t = document.querySelector('#note').textContent;
        if (t && window.captions[window.captions.length - 1] !== t) window.captions.push(t);
      }).observe(document.querySelector('#note'), { childList: true, characterData: true, subtree: true });
    });
    await page.selectOption('#speed', '4');
    await page.click('#play');
    let seen = [];
    for (let i = 0; i < n * 20 && !enough(seen); i += 1) {
      await page.waitForTimeout(150);
      seen = [...new Set(await page.evaluate(() => window.captions))];
    }
    await page.click('#play');
    assert(seen.length > 0, `${hash}: slow motion shows a caption`);
    return seen;
  };
  const icnn = await captions('#method=icnn&pair=gaussians4', 1);
  assert(icnn.every((c) => c === 'potential update'), `icnn takes potential updates only: ${icnn}`);
  const vae = await captions('#method=vae&pair=gaussians8', 1);
  assert(vae.every((c) => c === 'encoder/decoder step'), `a VAE takes encoder/decoder steps: ${vae}`);
  // n_critic = 5 critic updates, each named, then the generator's step: the algorithm Play runs
  const generator = (c) => /^generator step: it follows the critic/.test(c);
  const gan = await captions('#method=wgan-gp&pair=gaussians4', 6, (seen) => seen.some(generator));
  const critic = gan.filter((c) => /^critic update/.test(c));
  assert(gan.some(generator) && critic.length === 5 && critic.every((c, i) => c.startsWith(`critic update ${i + 1} of 5`)),
    `a GAN's step is 5 critic updates, then the generator's: ${gan}`);
});

test('the worker protocol: open, step, set, reset, save/load and errors as messages', async ({ page, url }) => {
  await openLab(page, url);
  const out = await page.evaluate(async () => {
    const { RunClient } = await import('./www/client.js');
    const stops = [];
    const c = new RunClient({ onFrame: () => {}, onStopped: (e) => stops.push(e) });
    const r = {};
    r.open = await c.call('open', { query: 'method=wgan-gp&pair=gaussians4&eval_every=10' });
    r.step = (await c.call('step', { phase: 'both' })).steps;
    r.badPhase = await c.call('step', { phase: 'sideways' }).then(() => 'accepted', (e) => e.message);
    r.badValue = await c.call('set', { key: 'batch', value: '-3' }).then(() => 'accepted', (e) => e.message);
    r.unchanged = (await c.call('set', { key: 'batch', value: '256' })).rebuilt;
    r.rebuilt = (await c.call('set', { key: 'critic_width', value: '32' })).rebuilt;
    // play many times in one task: one training loop, and one pause stops it
    for (let i = 0; i < 21; i += 1) c.call('play', { steps: 60 });
    await new Promise((done) => { const t = setInterval(() => { if (stops.length) { clearInterval(t); done(); } }, 20); });
    r.played = (await c.call('pause')).steps;
    const saved = await c.call('save');
    const evalBefore = (await c.call('step', { phase: 'both' })).eval;
    // loaded mid-run, the parameters go into a fresh run at step 0
    r.midLoad = await c.call('load', { text: saved });
    r.reset = (await c.call('reset')).steps;
    r.loaded = await c.call('load', { text: saved });
    r.badLoad = await c.call('load', { text: '{"not": "parameters"}' }).then(() => 'accepted', (e) => e.message);
    r.unknownOp = await c.call('fly').then(() => 'accepted', (e) => e.message);
    r.evalBefore = evalBefore;
    c.terminate();
    return r;
  });
  assert(out.open.readout.method === 'wgan-gp' && out.open.warnings.length === 0, `open: ${JSON.stringify(out.open.warnings)}`);
  assert(out.step === 1, 'one step');
  assert(/sideways/.test(out.badPhase), `a bad phase is named: ${out.badPhase}`);
  assert(/batch/.test(out.badValue), `a bad value is named: ${out.badValue}`);
  assert(out.unchanged === false && out.rebuilt === true, 'an unchanged value does not rebuild; a new width does');
  assert(out.played === 60, `21 plays to 60 steps ran one loop that stopped at 60 (${out.played})`);
  assert(out.reset === 0, 'reset');
  assert(out.loaded.readout.eval && out.loaded.readout.eval.w2sq > 0, 'loading evaluates, so the read-out is restored');
  assert(out.midLoad.readout.steps === 0 && out.midLoad.steps === 60, `a load mid-run starts at step 0 and says the file's 60 steps: ${out.midLoad.readout.steps}, ${out.midLoad.steps}`);
  assert(/param|json|expected|missing/i.test(out.badLoad), `a bad parameter file is named: ${out.badLoad}`);
  assert(/fly/.test(out.unknownOp), 'an unknown request is named');
});

test('share: Copy link confirms, and the link opens the same run; parameters save and load with the read-out', async ({ page, url, shot }) => {
  await openLab(page, url, '#method=wgan-gp&pair=checkerboard&gen_lr=2e-4&seed=7&eval_every=20');
  await page.click('#play');
  await stepsReach(page, 60);
  await page.click('#play');
  const mapErr = await metric(page, 'MapErr');
  // the critic's heat map on, the OT arrows off: the link carries the layers too
  await page.click('[data-tab="layers"]');
  await page.check('[data-layer="heat0"]');
  await page.uncheck('[data-layer="ot"]');
  // and t, and a window held fixed
  await page.evaluate(() => { const t = document.querySelector('#t'); t.value = '0.3'; t.dispatchEvent(new Event('input')); });
  await page.uncheck('#fit');
  await page.click('[data-tab="share"]');
  await page.click('#share');
  await page.waitForFunction(() => /copied/.test(document.querySelector('#share-done').textContent));
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert(/seed=7/.test(link) && /gen_lr=0\.0002|gen_lr=2e-4/.test(link) && /pair=checkerboard/.test(link), `the link holds the run: ${link}`);
  const linked = new URLSearchParams(link.slice(link.indexOf('#') + 1)).get('layers').split(',');
  assert(linked.includes('heat0') && !linked.includes('ot'), `the link holds the layers: ${linked}`);
  await shot('share');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
  const file = await download.path();
  assert(JSON.parse(fs.readFileSync(file, 'utf8')), 'the saved parameters are JSON');

  await page.goto('about:blank');
  await page.goto(link);
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForFunction(() => /step 0\b/.test(document.querySelector('#readout').textContent));
  const q = (s) => new URLSearchParams(s.slice(s.indexOf('#') + 1));
  assert(q(await page.evaluate(() => location.hash)).toString() === q(link).toString(), 'the link opens the same config');
  await page.click('[data-tab="layers"]');
  assert(await page.isChecked('[data-layer="heat0"]') && !(await page.isChecked('[data-layer="ot"]')), 'the link opens the same layers');
  assert((await page.textContent('#t-value')) === 't = 0.30' && !(await page.isChecked('#fit')), 'the link opens the same t and fixed window');
  await page.click('[data-tab="share"]');
  await page.setInputFiles('#load', file);
  await page.waitForFunction(() => document.querySelector('#load-done').textContent !== '');
  await page.waitForFunction(() => /MapErr/.test(document.querySelector('#readout').textContent));
  const done = await page.textContent('#load-done');
  const trained = Number(/loaded .+: trained (\d+) steps; the step count starts again at 0/.exec(done)?.[1]);
  assert(trained >= 60, `loading says what it loaded: ${done}`);
  const loaded = await metric(page, 'MapErr');
  assert(Math.abs(loaded - mapErr) < 0.05 * mapErr + 0.02, `loading restores the read-out (MapErr ${loaded} vs ${mapErr} when saved)`);
});
