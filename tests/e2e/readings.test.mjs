// End-to-end tests of the page's readings (issue 11) in headless Chromium: the training status
// line reaches "converged at step K"; the ensemble over 20 noise draws runs in the background and
// the settled verdict equals the CLI's (`run --format json`) for the same link, seed by seed;
// the settled verdict is announced once; lognormal noise through the select and through a link;
// New noise and Whole periods disabled with their reasons where they do not apply; kicks by
// attention decile; the computed "why" paragraph.
// Run from the repo root with `node --test tests/e2e/` after `make build` (dist/) and
// `cargo build` (target/debug/lyapunov-lens). What each check means: tests/e2e/README.md.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { serveDir, launchBrowser, openLab, canvasPixels, setControl, poll, cliPath } from './harness.mjs';

const CLI_RTOL = 1e-12;
/** Hash keys that are the page's own (pace, view, teacher settings), not the CLI's. */
const PAGE_ONLY = new Set(['steps_per_frame', 'playing', 'preset', 'hide', 'big', 'projection', 'head']);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function relDiff(a, b) {
  if (a === b || Object.is(a, b)) return 0;
  if (a === null || b === null || a === undefined || b === undefined) return Infinity;
  const r = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  return Number.isNaN(r) ? Infinity : r;
}

/** The CLI's flags for the settings a link carries: every key but the page's own. */
function cliArgs(hash) {
  const args = [];
  for (const [k, v] of new URLSearchParams(hash.replace(/^#/, ''))) {
    if (!PAGE_ONLY.has(k)) args.push(`--${k.replace(/_/g, '-')}`, v);
  }
  return args;
}

function runCli(args) {
  if (!existsSync(cliPath)) assert.fail(`CLI not found at ${cliPath} (cargo build, or set LL_CLI)`);
  return new Promise((resolve, reject) => {
    execFile(cliPath, args, { timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cliPath} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

/** Counts the changes to #verdict-announce from the first script on (installed before the app). */
function countAnnouncements() {
  window.__announcements = [];
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && el.id === 'verdict-announce') window.__announcements.push(el.textContent);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

describe('readings: status, ensemble, verdict, noise, reasons, kicks, why', { timeout: 300_000 }, () => {
  let server, browser;
  const opened = [];

  before(async () => {
    server = await serveDir();
    browser = await launchBrowser();
  }, { timeout: 30_000 });

  after(async () => {
    for (const { lab } of opened) await lab.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
  });

  async function open(label, urlPath = '/', initScript = null) {
    const lab = await openLab(browser, server.origin, { path: urlPath, initScript });
    opened.push({ label, lab });
    const r = await poll(() => lab.page.evaluate(() => (document.getElementById('stats')?.dataset.epoch ?? '') !== ''), { timeout: 10_000 });
    assert.ok(!r.timedOut, `${label}: the page never wrote #stats`);
    return lab.page;
  }
  const close = async (page) => opened.find((o) => o.lab.page === page)?.lab.context.close().catch(() => {});
  const data = (page, id) => page.evaluate((id) => ({ ...document.getElementById(id)?.dataset }), id);
  const text = (page, id) => page.evaluate((id) => (document.getElementById(id)?.textContent ?? '').trim(), id);
  const hash = (page) => page.evaluate(() => location.hash);
  const choose = (page, id, value) =>
    page.evaluate(({ id, value }) => {
      const el = document.getElementById(id);
      el.value = value;
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return el.value;
    }, { id, value });
  /** Waits until the verdict has settled (training finished, the ensemble read). */
  async function settled(page, label, timeout = 40_000) {
    const r = await poll(async () => (await data(page, 'verdict')).settled === 'true', { timeout, interval: 100 });
    const status = await text(page, 'training-status');
    const ensemble = await data(page, 'ensemble');
    assert.ok(!r.timedOut, `${label}: the verdict did not settle within ${timeout} ms (status ${JSON.stringify(status)}, ensemble ${ensemble.done}/${ensemble.total})`);
  }
  /** The settled page against `run --format json` with the link's settings: verdict, steps, every seed. */
  async function matchesCli(page, label, linkHash) {
    await settled(page, label);
    const verdict = await text(page, 'verdict');
    const status = await data(page, 'training-status');
    const strip = await data(page, 'ensemble');
    const args = ['run', '--format', 'json', ...cliArgs(linkHash)];
    const cli = await runCli(args);
    console.log(`(${label}) ${args.join(' ')}\n    page: ${verdict}\n    cli:  ${cli.verdict}\n    converged at ${status.convergedStep} (cli ${cli.training.steps}, ${cli.training.status})`);
    assert.equal(status.status, 'converged', `${label}: #training-status data-status`);
    assert.equal(Number(status.convergedStep), cli.training.steps, `${label}: converged step vs the CLI's training.steps`);
    assert.equal(cli.training.converged, true, `${label}: the CLI's run did not converge`);
    assert.equal(verdict, cli.verdict, `${label}: the page's settled verdict is not the CLI's`);
    assert.equal(Number(strip.done), cli.ensemble.length, `${label}: seeds read`);
    const bad = [];
    for (const key of ['spearman', 'pearson']) {
      const page = strip[key].split(',').map((v) => (v === '' ? null : Number(v)));
      cli.ensemble.forEach((run, i) => {
        const rel = page[i] === null && run[key] === null ? 0 : relDiff(page[i], run[key]);
        if (!(rel <= CLI_RTOL)) bad.push(`seed ${run.seed} ${key}: page ${page[i]} cli ${run[key]}`);
      });
    }
    assert.deepEqual(bad, [], `${label}: per-seed correlations differ from the CLI's ensemble`);
    return { verdict, status, cli };
  }

  test('(a) the status line reaches "converged at step K" for the default link, and (b) the settled verdict equals the CLI\'s, seed by seed; it is announced once', async () => {
    const page = await open('default', '/', countAnnouncements);
    const first = await data(page, 'training-status');
    assert.ok(['adam', 'finishing', 'testing', 'converged'].includes(first.status), `data-status ${first.status}`);
    const r = await poll(async () => (await data(page, 'training-status')).converged === 'true', { timeout: 20_000 });
    const status = await data(page, 'training-status');
    const line = await text(page, 'training-status');
    console.log(`(a) first status ${first.status} at step ${first.step}; then ${JSON.stringify(line)}`);
    assert.ok(!r.timedOut, `never converged: ${line}`);
    assert.match(line, new RegExp(`converged at step ${status.convergedStep}\\b`));
    assert.equal(status.step, status.convergedStep, 'data-step and data-converged-step once converged');
    const stats = await data(page, 'stats');
    assert.equal(stats.epoch, status.convergedStep, '#stats data-epoch and the converged step');

    const { verdict } = await matchesCli(page, 'b', '');
    // The JSON export carries the same verdict and the ensemble, as the CLI's does.
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click('#export-json')]);
    const exported = JSON.parse(await readFile(await dl.path(), 'utf8'));
    assert.equal(exported.verdict, verdict, 'the exported JSON\'s verdict');
    assert.equal(exported.ensemble?.length, 20, 'the exported JSON\'s ensemble');
    assert.equal(exported.training?.converged, true, 'the exported JSON\'s training.converged');
    // Announced once, when it settled, with the status: not at every refresh.
    await sleep(1500);
    const announced = await page.evaluate(() => window.__announcements);
    console.log(`(b) announcements ${JSON.stringify(announced)}`);
    assert.equal(announced.length, 1, `the verdict was announced ${announced.length} times`);
    assert.equal(announced[0], `Training converged at step ${status.convergedStep}. Verdict: ${verdict}.`);
    assert.equal(await page.evaluate(() => document.getElementById('verdict-announce').getAttribute('aria-live')), 'polite');
    assert.equal(await page.evaluate(() => document.getElementById('verdict').getAttribute('aria-live')), 'off');
    await close(page);
  });

  test('(c) lognormal noise through the select and through a link: sigma fits, no value is <= 0, the verdict equals the CLI\'s', async () => {
    const page = await open('c-select', '/');
    const share0 = await data(page, 'non-physical');
    const shown0 = await page.locator('#non-physical').isVisible();
    assert.ok(Number(share0.share) > 0 && shown0, `Gaussian sigma = 2: no share of observations <= 0 shown (${JSON.stringify(share0)})`);
    await choose(page, 'noise', 'lognormal');
    const r = await poll(async () => (await hash(page)).includes('noise=lognormal'), { timeout: 3000 });
    const h = await hash(page);
    const sigma = await page.evaluate(() => {
      const s = document.getElementById('sigma');
      return { value: s.value, max: s.max, step: s.step, readout: s.closest('.control').querySelector('output').textContent };
    });
    const share1 = await data(page, 'non-physical');
    console.log(`(c) after choosing lognormal: hash ${h}; #sigma ${JSON.stringify(sigma)}; non-physical ${JSON.stringify(share1)}`);
    assert.ok(!r.timedOut, `the hash never carried noise=lognormal: ${h}`);
    assert.deepEqual(sigma, { value: '0.2', max: '1.5', step: '0.01', readout: '0.20' });
    assert.equal(Number(share1.share), 0, 'lognormal observations <= 0');
    assert.equal(await page.locator('#non-physical').isVisible(), false, '#non-physical shown with lognormal noise');
    await matchesCli(page, 'c-select', h);
    await close(page);

    const link = '#noise=lognormal&sigma=0.1&seed=4';
    const linked = await open('c-link', '/' + link);
    assert.equal(await linked.evaluate(() => document.getElementById('noise').value), 'lognormal');
    assert.equal(await linked.evaluate(() => document.getElementById('sigma').max), '1.5');
    assert.equal((await data(linked, 'ensemble')).currentSeed, '4');
    await matchesCli(linked, 'c-link', link);
    await close(linked);

    const lorenz = await open('c-lorenz', '/#system=lorenz&noise=lognormal&playing=0');
    const why = await lorenz.evaluate(() => {
      const o = document.querySelector('#noise option[value=lognormal]');
      const w = document.getElementById('noise-why');
      return { disabled: o.disabled, title: o.title, value: document.getElementById('noise').value, why: w.hidden ? null : w.textContent, notice: document.getElementById('notice').textContent };
    });
    console.log(`(c) Lorenz with noise=lognormal: ${JSON.stringify(why)}`);
    assert.equal(why.disabled, true, 'lognormal is offered for Lorenz');
    assert.equal(why.value, 'gaussian');
    assert.match(why.title, /negative/);
    assert.match(why.why ?? '', /lognormal: .*negative/);
    assert.match(why.notice, /noise/);
    await close(lorenz);
  });

  test('(d) New noise is disabled with its reason at sigma = 0 and for imported data, and the verdict then reads the draw alone', async () => {
    const page = await open('d', '/#sigma=0&playing=0');
    const state = () =>
      page.evaluate(() => {
        const b = document.getElementById('new-noise');
        const why = document.getElementById(b.getAttribute('aria-describedby') ?? '');
        return { disabled: b.disabled, title: b.title, why: why && !why.hidden ? why.textContent : null };
      });
    const s0 = await state();
    const summary = await text(page, 'ensemble-summary');
    console.log(`(d) sigma = 0: ${JSON.stringify(s0)}; ensemble: ${summary}`);
    assert.equal(s0.disabled, true, 'New noise enabled at sigma = 0');
    assert.match(s0.title, /σ = 0/);
    assert.match(s0.why ?? '', /σ = 0/);
    assert.match(summary, /No other noise draws/);
    const seed = await page.evaluate(() => document.getElementById('seed').value);
    await page.evaluate(() => document.getElementById('new-noise').click());
    await sleep(200);
    assert.equal(await page.evaluate(() => document.getElementById('seed').value), seed, 'a click on the disabled New noise changed the seed');

    await setControl(page, 'sigma', 1);
    await poll(async () => !(await state()).disabled, { timeout: 3000 });
    const s1 = await state();
    assert.equal(s1.disabled, false, 'New noise still disabled at sigma = 1');
    assert.equal(s1.why, null);

    const csv = ['t,prey,predator', ...Array.from({ length: 80 }, (_, i) => `${(i * 0.1).toFixed(1)},${10 + Math.sin(i / 5)},${5 + Math.cos(i / 5)}`)].join('\n');
    await page.setInputFiles('#import-csv', { name: 'series.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await poll(async () => (await data(page, 'stats')).source === 'imported', { timeout: 5000 });
    const s2 = await state();
    console.log(`(d) imported: ${JSON.stringify(s2)}`);
    assert.equal(s2.disabled, true, 'New noise enabled for imported data');
    assert.match(s2.why ?? '', /imported/);
    await close(page);
  });

  test('(e) Whole periods sets t_end to whole measured periods, as the CLI\'s --whole-periods does; disabled with its reason for chaos; the burn-in slider sits with the data', async () => {
    const page = await open('e', '/#playing=0');
    const button = await page.evaluate(() => {
      const b = document.getElementById('whole-periods');
      return { disabled: b.disabled, title: b.title, group: b.closest('fieldset')?.querySelector('legend')?.textContent };
    });
    assert.equal(button.disabled, false, `Whole periods disabled on Lotka–Volterra: ${button.title}`);
    assert.match(button.title, /2 whole periods/);
    assert.equal(button.group, 'Noise and data');
    await page.click('#whole-periods');
    const r = await poll(async () => /t_end=(?!15&)/.test(await hash(page)), { timeout: 3000 });
    const h = await hash(page);
    const tEnd = Number(new URLSearchParams(h.slice(1)).get('t_end'));
    const cli = await runCli(['run', '--whole-periods', '2', '--steps', '0', '--no-ensemble', '--format', 'json']);
    console.log(`(e) after Whole periods: t_end ${tEnd} (CLI --whole-periods 2: ${cli.config.t_end}); title was ${JSON.stringify(button.title)}`);
    assert.ok(!r.timedOut, `t_end did not change: ${h}`);
    assert.ok(relDiff(tEnd, cli.config.t_end) <= CLI_RTOL, `t_end ${tEnd} vs the CLI's ${cli.config.t_end}`);
    const burn = await page.evaluate(() => document.getElementById('burn_in')?.closest('fieldset')?.querySelector('legend')?.textContent);
    assert.equal(burn, 'Noise and data', '#burn_in is not with the noise and data controls');
    await close(page);

    const lorenz = await open('e-lorenz', '/#system=lorenz&playing=0');
    const l = await lorenz.evaluate(() => {
      const b = document.getElementById('whole-periods');
      const why = document.getElementById('whole-periods-why');
      return { disabled: b.disabled, title: b.title, why: why.hidden ? null : why.textContent, burn: document.getElementById('burn_in').value };
    });
    console.log(`(e) Lorenz: ${JSON.stringify(l)}`);
    assert.equal(l.disabled, true, 'Whole periods enabled for Lorenz');
    assert.match(l.why ?? '', /no measurable period/);
    assert.equal(l.title, l.why);
    assert.equal(Number(l.burn), 10, 'Lorenz discards a transient of 10 by default');
    await close(lorenz);
  });

  test('(f) kicks by attention decile: period shear on Lotka–Volterra, random kicks on Lorenz where the normal kick is disabled with its reason', async () => {
    const page = await open('f', '/');
    await poll(async () => (await data(page, 'training-status')).converged === 'true', { timeout: 20_000 });
    await page.click('#kick-all');
    await poll(async () => (await data(page, 'kick-deciles-result')).slope !== undefined, { timeout: 10_000 });
    const res = await data(page, 'kick-deciles-result');
    const words = await text(page, 'kick-deciles-result');
    const colours = await page.evaluate(() => {
      const el = document.getElementById('kick-deciles');
      const ctx = el.getContext('2d');
      const d = ctx.getImageData(0, 0, el.width, el.height).data;
      const want = [0, 1, 2, 3].map((k) => el.getAttribute(`data-horizon-${k}-color`));
      const rgb = want.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
      const counts = rgb.map(() => 0);
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] < 200) continue;
        rgb.forEach((c, k) => { if (Math.hypot(d[i] - c[0], d[i + 1] - c[1], d[i + 2] - c[2]) < 40) counts[k]++; });
      }
      return counts;
    });
    console.log(`(f) ${JSON.stringify(res)}; pixels per horizon colour ${JSON.stringify(colours)}\n    ${words}`);
    const slope = Number(res.slope);
    assert.equal(res.kind, 'normal');
    assert.equal(res.spearman.split(',').length, 4, 'one ρ per horizon');
    assert.ok(Math.abs(slope - 1) <= 0.2, `log–log slope ${slope}, not about 1 on a centre`);
    assert.match(words, /period shear/);
    assert.ok(colours.every((n) => n >= 30), `a horizon's line is missing: ${JSON.stringify(colours)}`);
    await close(page);

    // A kick that would leave the state's domain is reported and skipped, the other one made.
    const near = await open('f-skip', '/#x0=30&y0=1&t_end=40');
    await poll(async () => (await data(near, 'training-status')).converged === 'true', { timeout: 20_000 });
    await near.evaluate(() => {
      const e = document.getElementById('epsilon');
      e.value = '-1';
      e.dispatchEvent(new Event('input', { bubbles: true }));
      document.getElementById('perturb').click();
    });
    await poll(async () => (await data(near, 'perturbation-result')).skipped !== undefined, { timeout: 5000 });
    const skip = await data(near, 'perturbation-result');
    const skipText = await text(near, 'perturbation-result');
    console.log(`(f) near extinction, ε = 0.1: ${JSON.stringify(skip)}\n    ${skipText}`);
    assert.notEqual(skip.skipped, '', 'no kick was skipped at ε = 0.1 next to the axes');
    assert.match(skipText, /attention \(t = [\d.]+\): skipped, .*leaves the system's domain/);
    assert.equal(skip.ratio, '', 'a ratio with one kick skipped');
    await close(near);

    const lorenz = await open('f-lorenz', '/#system=lorenz');
    const p = await lorenz.evaluate(() => {
      const b = document.getElementById('perturb');
      const w = document.getElementById('perturb-why');
      return { disabled: b.disabled, why: w.hidden ? null : w.textContent, title: b.title };
    });
    assert.equal(p.disabled, true, 'the normal kick is offered on Lorenz');
    assert.match(p.why ?? '', /3-D/);
    await sleep(500);
    await lorenz.click('#kick-all');
    await poll(async () => (await data(lorenz, 'kick-deciles-result')).kind !== undefined, { timeout: 15_000 });
    const lr = await data(lorenz, 'kick-deciles-result');
    console.log(`(f) Lorenz: perturb ${JSON.stringify(p)}; deciles ${JSON.stringify(lr)}`);
    assert.equal(lr.kind, 'random');
    assert.doesNotMatch(await text(lorenz, 'kick-deciles-result'), /period shear/, 'period shear on a chaotic attractor');
    assert.ok(Number.isFinite(Number(lr.slope)), `Lorenz slope ${lr.slope}`);
    await close(lorenz);
  });

  test('(g) the "why" paragraph is computed from the run: the reached rho is the model\'s, and it follows the setting', async () => {
    const page = await open('g', '/');
    await poll(async () => (await data(page, 'training-status')).converged === 'true', { timeout: 20_000 });
    await page.click('#explain summary');
    const r = await poll(async () => (await text(page, 'why-text')).includes('reached'), { timeout: 5000 });
    const why = await text(page, 'why-text');
    const rho = Number((await data(page, 'stats')).spearman);
    const shown = `ρ = ${rho >= 0 ? '+' : '−'}${Math.abs(rho).toFixed(2)}`;
    console.log(`(g) ${why}`);
    assert.ok(!r.timedOut, `#why-text: ${JSON.stringify(why)}`);
    assert.ok(why.includes(`this model reached ${shown}`), `the paragraph's reached ρ is not the model's (${shown})`);
    assert.match(why, /The trained w is \([−+]\d\.\d\de−?\d+ on prey x, [−+]\d\.\d\de−?\d+ on predator y\)/);
    assert.match(why, /a linear score can reach ρ from −\d\.\d\d .* to \+\d\.\d\d/);

    await setControl(page, 'sigma', 0.5);
    const moved = await poll(async () => (await text(page, 'why-text')) !== why, { timeout: 5000 });
    const after = await text(page, 'why-text');
    console.log(`(g) at sigma 0.5: ${after}`);
    assert.ok(!moved.timedOut, 'the paragraph did not follow a new setting');
    await choose(page, 'model', 'self-attention');
    const other = await poll(async () => /not a linear score/.test(await text(page, 'why-text')), { timeout: 5000 });
    assert.ok(!other.timedOut, `self-attention: ${await text(page, 'why-text')}`);
    await close(page);
  });

  test('(z) no console errors or page errors on any page of this file', () => {
    const problems = opened.flatMap(({ label, lab }) => lab.problems.map((p) => `[${label}] ${p}`));
    for (const p of problems) console.log(`(z) ${p}`);
    assert.deepEqual(problems, [], `${problems.length} console/page error(s)`);
  });
});
