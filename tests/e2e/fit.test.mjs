// End-to-end tests of "Fit the system to data" (issue 12) in headless Chromium: the link
// `#data=lynx-hare&fit=1` fits Lotka–Volterra to the Hudson's Bay series in the page, frame by
// frame, to the same estimates as `lyapunov-lens fit --data lynx-hare --format json`; the orbit is
// drawn through the data on axes in years; attention and dV/dn are then measured along the fitted
// orbit (the same numbers as `run --input` on the fit's CSV); the link and the exports carry the
// data and the fit; bad input leaves the previous state with a message; the fit time is measured.
// Run from the repo root with `node --test tests/e2e/` after `make build` (dist/) and
// `cargo build` (target/debug/lyapunov-lens). What each check means: tests/e2e/README.md.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serveDir, launchBrowser, openLab, canvasHash, poll, cliPath } from './harness.mjs';

const FIT_RTOL = 1e-9;
const CLI_RTOL = 1e-12;
/** "Converges in a few seconds": the page's own measure, from the fit's start to its end. */
const FIT_DEADLINE_MS = Number(process.env.LL_FIT_DEADLINE_MS || 5000);
const LINK = '#data=lynx-hare&fit=1';
const PARAMETERS = ['alpha', 'beta', 'gamma', 'delta', 'x0', 'y0'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function relDiff(a, b) {
  if (a === b || Object.is(a, b)) return 0;
  if (a === null || b === null || a === undefined || b === undefined) return Infinity;
  const r = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  return Number.isNaN(r) ? Infinity : r;
}

function runCli(args, { json = true } = {}) {
  if (!existsSync(cliPath)) assert.fail(`CLI not found at ${cliPath} (cargo build, or set LL_CLI)`);
  return new Promise((resolve, reject) => {
    execFile(cliPath, args, { timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cliPath} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(json ? JSON.parse(stdout) : stdout);
    });
  });
}

/** Records every animation frame's timestamp from the first script on (before the app). */
function recordFrames() {
  window.__frames = [];
  const tick = (t) => {
    window.__frames.push(t);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** The fit panel as the page shows it: status, timing, estimates and summary. */
function readFit(page) {
  return page.evaluate(() => {
    const status = document.getElementById('fit-status');
    const rows = [...document.querySelectorAll('#fit-estimates tbody tr')];
    const summary = document.getElementById('fit-summary');
    return {
      state: status?.dataset.state ?? null,
      text: status?.textContent ?? '',
      timing: { ...(status?.dataset ?? {}) },
      estimates: Object.fromEntries(
        rows.map((r) => [r.dataset.name, { value: Number(r.dataset.value), lower: Number(r.dataset.lower), upper: Number(r.dataset.upper) }]),
      ),
      logLikelihood: summary?.dataset.logLikelihood === undefined ? null : Number(summary.dataset.logLikelihood),
      startsAgreeing: summary?.dataset.startsAgreeing ?? null,
      starts: summary?.dataset.starts ?? null,
      summary: summary?.textContent ?? '',
    };
  });
}

const dataset = (page, id) => page.evaluate((id) => ({ ...(document.getElementById(id)?.dataset ?? {}) }), id);
const text = (page, id) => page.evaluate((id) => document.getElementById(id)?.textContent ?? null, id);
const value = (page, id) => page.evaluate((id) => document.getElementById(id)?.value ?? null, id);

async function notice(page) {
  const t = await page.evaluate(() => (document.getElementById('notice')?.textContent || '').trim());
  return { text: t, visible: await page.locator('#notice').isVisible() };
}

/** The plot area a canvas publishes: device pixels, then data ranges. */
async function plotArea(page, id) {
  const raw = await page.evaluate((id) => document.getElementById(id)?.dataset.area ?? null, id);
  assert.ok(raw, `canvas#${id} has no data-area`);
  const [px0, px1, py0, py1, x0, x1, y0, y1] = raw.split(',').map(Number);
  return { px0, px1, py0, py1, x0, x1, y0, y1 };
}

/** How many of `points` (data coordinates) have a pixel within `radius` of `color` on canvas#id. */
function pointsInked(page, id, area, points, color, radius = 2) {
  return page.evaluate(({ id, area, points, color, radius }) => {
    const canvas = document.getElementById(id);
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const rgb = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    let hits = 0;
    for (const [x, y] of points) {
      const px = area.px0 + ((x - area.x0) / (area.x1 - area.x0)) * (area.px1 - area.px0);
      const py = area.py1 - ((y - area.y0) / (area.y1 - area.y0)) * (area.py1 - area.py0);
      let hit = false;
      for (let dy = -radius; dy <= radius && !hit; dy++) {
        for (let dx = -radius; dx <= radius && !hit; dx++) {
          const i = ((Math.round(py) + dy) * canvas.width + Math.round(px) + dx) * 4;
          if (data[i + 3] > 128 && Math.hypot(data[i] - rgb[0], data[i + 1] - rgb[1], data[i + 2] - rgb[2]) < 60) hit = true;
        }
      }
      if (hit) hits++;
    }
    return hits;
  }, { id, area, points, color, radius });
}

describe('fit the system to data: lynx–hare in the page', { timeout: 300_000 }, () => {
  let server, browser, lab, cliFit, cliWeighted, cliFitCsvPath, tmp;
  const opened = [];
  const page = () => lab.page;
  const fitHashes = new Set();
  let fitDone = null;

  async function open(label, urlPath, initScript = null) {
    const l = await openLab(browser, server.origin, { path: urlPath, initScript });
    opened.push({ label, lab: l });
    return l;
  }

  async function download(p, selector) {
    const [dl] = await Promise.all([p.waitForEvent('download', { timeout: 10_000 }), p.click(selector, { timeout: 3000 })]);
    assert.equal(await dl.failure(), null, `${selector}: download failed`);
    return { name: dl.suggestedFilename(), text: (await readFile(await dl.path())).toString('utf8') };
  }

  async function upload(p, name, csv) {
    await p.setInputFiles('#import-csv', { name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  }

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'll-fit-'));
    cliFitCsvPath = path.join(tmp, 'lynx-hare-fit.csv');
    // The CLI's fits first (the debug build takes a few seconds), so that they do not slow the
    // page's fit, which is timed.
    [cliFit, , cliWeighted] = await Promise.all([
      runCli(['fit', '--data', 'lynx-hare', '--format', 'json']),
      runCli(['fit', '--data', 'lynx-hare', '--format', 'csv', '--out', cliFitCsvPath], { json: false }),
      runCli(['fit', '--data', 'lynx-hare', '--weights', 'attention', '--format', 'json']),
    ]);
    server = await serveDir();
    browser = await launchBrowser();
    lab = await open('link', '/' + LINK, recordFrames);
    // Watch the orbit move: the hot layer's hash while the fit runs.
    fitDone = poll(async () => {
      const f = await dataset(page(), 'fit-status');
      if (f.state === 'running') fitHashes.add(await canvasHash(page(), 'fit-orbit'));
      return f.state && f.state !== 'running' && f.state !== 'idle' ? f : null;
    }, { timeout: 60_000, interval: 30 });
  }, { timeout: 180_000 });

  after(async () => {
    for (const { lab: l } of opened) await l.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
  });

  test('(a) the link fits in a few seconds, frame by frame, without freezing the tab', { timeout: 90_000 }, async () => {
    const done = await fitDone;
    const fit = await readFit(page());
    const frames = await page().evaluate(() => window.__frames);
    const t = fit.timing;
    // Frames from the fit's start to just after its end (the page's load is not the fit's).
    const [from, to] = [Number(t.startedAt), Number(t.endedAt) + 100];
    const during = frames.filter((f) => f >= from && f <= to);
    const gaps = during.slice(1).map((f, i) => f - during[i]);
    const maxGap = Math.max(...gaps);
    const perFrame = Number(t.computeMs) / Number(t.frames);
    console.log(
      `(a) fit ${fit.state} in the page: ${t.ms} ms wall (performance.now, start to end), ${t.computeMs} ms computing in ${t.frames} frames (${perFrame.toFixed(2)} ms per frame), ` +
        `${t.solves} solves; longest step ${t.maxStepMs} ms, longest frame's fitting ${t.maxFrameMs} ms; ${fitHashes.size} distinct orbit drawings seen while running; ` +
        `finishing (uncertainty, new session) ${t.finishMs} ms; largest gap between animation frames during the fit ${maxGap.toFixed(1)} ms over ${during.length} frames\n    status: ${fit.text}`,
    );
    assert.ok(!done.timedOut, `#fit-status never left "running" (state ${fit.state})`);
    assert.equal(fit.state, 'converged', `the fit did not converge in the page: ${fit.text}`);
    assert.ok(Number(t.ms) > 0 && Number(t.ms) <= FIT_DEADLINE_MS, `the fit took ${t.ms} ms in the page (want <= ${FIT_DEADLINE_MS})`);
    assert.ok(Number(t.frames) >= 5, `the fit ran in ${t.frames} frames: not spread over frames`);
    assert.ok(fitHashes.size >= 3, `only ${fitHashes.size} distinct drawings of #fit-orbit while the fit ran: the orbit did not move frame by frame`);
    // The fit gets the frame's training budget (10 ms): a frame stops stepping when less than a
    // step is left, so on average it stays near the budget (one step can overrun it, and a busy
    // machine stretches steps, hence the margin).
    assert.ok(perFrame <= 15, `the fit took ${perFrame.toFixed(1)} ms per frame on average (the budget is 10 ms)`);
    assert.ok(Number(t.maxFrameMs) < 250, `one frame spent ${t.maxFrameMs} ms fitting: the tab froze`);
    assert.ok(maxGap < 250, `an animation frame waited ${maxGap.toFixed(0)} ms: the tab froze`);
  });

  test('(b) the estimates equal the CLI\'s `fit --data lynx-hare --format json`', { timeout: 30_000 }, async () => {
    const fit = await readFit(page());
    const rows = [];
    const bad = [];
    let identical = 0, compared = 0;
    for (const e of cliFit.estimates) {
      const mine = fit.estimates[e.name];
      if (!mine) { bad.push(`no row for ${e.name}`); continue; }
      for (const k of ['value', 'lower', 'upper']) {
        const r = relDiff(mine[k], e[k]);
        compared++;
        if (r === 0) identical++;
        if (!(r <= FIT_RTOL)) bad.push(`${e.name}.${k}: page ${mine[k]} CLI ${e[k]} (rel ${r})`);
      }
      rows.push(`${e.name} ${mine.value} [${mine.lower}, ${mine.upper}] (CLI ${e.value})`);
    }
    const ll = relDiff(fit.logLikelihood, cliFit.log_likelihood);
    console.log(`(b) ${rows.join('; ')}\n    log-likelihood page ${fit.logLikelihood} CLI ${cliFit.log_likelihood}; starts agreeing ${fit.startsAgreeing} of ${fit.starts} (CLI ${cliFit.starts_agreeing} of ${cliFit.starts.length}); ${identical}/${compared} numbers bit-identical`);
    for (const name of PARAMETERS) assert.ok(fit.estimates[name], `#fit-estimates has no ${name}`);
    assert.deepEqual(bad, [], 'estimates differ from the CLI\'s');
    assert.ok(ll <= FIT_RTOL, `log-likelihood ${fit.logLikelihood} vs CLI ${cliFit.log_likelihood}`);
    assert.equal(Number(fit.startsAgreeing), cliFit.starts_agreeing);
    assert.equal(Number(fit.starts), cliFit.starts.length);
    assert.match(fit.summary, new RegExp(`${cliFit.starts_agreeing} of ${cliFit.starts.length} starts`));
  });

  test('(c) the fitted orbit is drawn through the data, on axes that fit the data\'s years', { timeout: 30_000 }, async () => {
    const area = await plotArea(page(), 'fit-orbit');
    const colors = await dataset(page(), 'fit-orbit');
    const prey = cliFit.points.map((p) => [p.t, p.x]);
    const predator = cliFit.points.map((p) => [p.t, p.y]);
    const hitsPrey = await pointsInked(page(), 'fit-orbit', area, prey, colors.preyColor);
    const hitsPredator = await pointsInked(page(), 'fit-orbit', area, predator, colors.predatorColor);
    // Wrong on purpose: the observations are not on the fitted curve everywhere (a control).
    const offCurve = cliFit.points.map((p) => [p.t, p.x + 0.25 * (area.y1 - area.y0)]);
    const hitsOff = await pointsInked(page(), 'fit-orbit', area, offCurve, colors.preyColor);
    const fig5 = await plotArea(page(), 'normal-derivative');
    const phase = await plotArea(page(), 'phase-portrait');
    const hare = cliFit.points.map((p) => p.x_obs), lynx = cliFit.points.map((p) => p.y_obs);
    console.log(
      `(c) #fit-orbit x ${area.x0}..${area.x1}, y ${area.y0}..${area.y1}: the CLI's fitted prey at ${hitsPrey}/${prey.length} data times and predator at ${hitsPredator}/${predator.length} lie on the drawn curves ` +
        `(a shifted control: ${hitsOff}/${prey.length}); #normal-derivative t ${fig5.x0}..${fig5.x1}; #phase-portrait x ${phase.x0.toFixed(1)}..${phase.x1.toFixed(1)}, y ${phase.y0.toFixed(1)}..${phase.y1.toFixed(1)}`,
    );
    assert.ok(hitsPrey >= 0.9 * prey.length, `the prey curve misses the fit at ${prey.length - hitsPrey} of ${prey.length} times`);
    assert.ok(hitsPredator >= 0.9 * predator.length, `the predator curve misses the fit at ${predator.length - hitsPredator} of ${predator.length} times`);
    assert.ok(hitsOff <= 0.5 * prey.length, 'the pixel check also finds the curve where it is not: it cannot fail');
    for (const [name, a] of [['fit-orbit', area], ['normal-derivative', fig5]]) {
      assert.ok(a.x0 <= 1900 && a.x0 > 1890 && a.x1 >= 1920 && a.x1 < 1930, `#${name}'s time axis is ${a.x0}..${a.x1}, not the data's years 1900–1920`);
    }
    assert.ok(phase.x0 <= Math.min(...hare) && phase.x1 >= Math.max(...hare), 'the phase portrait\'s x axis does not hold every hare count');
    assert.ok(phase.y0 <= Math.min(...lynx) && phase.y1 >= Math.max(...lynx), 'the phase portrait\'s y axis does not hold every lynx count');
    assert.ok(phase.x1 < 2 * Math.max(...hare), `the phase portrait\'s x axis (${phase.x1}) is far wider than the data`);
  });

  test('(d) attention and dV/dn are then measured along the fitted orbit: the numbers of `run --input` on the fit', { timeout: 60_000 }, async () => {
    const r = await poll(async () => (await dataset(page(), 'training-status')).converged === 'true', { timeout: 30_000 });
    assert.ok(!r.timedOut, 'training on the fitted target did not converge');
    const stats = await dataset(page(), 'stats');
    const verdict = await text(page(), 'verdict');
    const e = cliFit.estimates.filter((x) => PARAMETERS.includes(x.name));
    const args = ['run', '--input', cliFitCsvPath, ...e.flatMap((x) => [`--${x.name}`, String(x.value)]), '--format', 'json'];
    const cli = await runCli(args);
    const pairs = [['loss', 'loss'], ['pearson', 'pearson'], ['spearman', 'spearman'], ['peakOffset', 'peak_offset_periods'], ['ess', 'ess']];
    const bad = [];
    const rows = pairs.map(([a, k]) => {
      const d = relDiff(stats[a] === '' ? null : Number(stats[a]), cli.metrics[k]);
      if (!(d <= CLI_RTOL)) bad.push(`${a}: page ${stats[a]} CLI ${cli.metrics[k]}`);
      return `${a} ${stats[a]} (rel ${d})`;
    });
    const target = 'the Lotka–Volterra predator–prey orbit fitted to these data';
    console.log(`(d) ${rows.join(', ')}; epoch ${stats.epoch} (CLI ${cli.training.steps}), n ${stats.n}\n    page verdict: ${verdict}\n    CLI verdict:  ${cli.verdict}`);
    assert.equal(stats.source, 'imported');
    assert.equal(Number(stats.n), 21, `data-n is ${stats.n} (want the 21 years)`);
    assert.deepEqual(bad, [], 'the page\'s metrics on the fitted target differ from the CLI\'s');
    assert.equal(Number(stats.epoch), cli.training.steps);
    assert.ok(verdict.includes(target), `the verdict does not name the fitted target: ${verdict}`);
    const cliTarget = 'the file\'s clean states';
    assert.ok(cli.verdict.includes(cliTarget), `the CLI's verdict no longer names "${cliTarget}": ${cli.verdict}`);
    assert.equal(verdict.slice(0, verdict.indexOf(target)), cli.verdict.slice(0, cli.verdict.indexOf(cliTarget)), 'the verdict differs from the CLI\'s before the target');
  });

  test('(e) the link carries the data and the fit; the same link gives the same estimates', { timeout: 60_000 }, async () => {
    const hash = await page().evaluate(() => location.hash);
    const params = new URLSearchParams(hash.slice(1));
    console.log(`(e) address bar: ${hash}`);
    assert.equal(params.get('data'), 'lynx-hare');
    assert.equal(params.get('fit'), '1');
    assert.equal(params.get('alpha'), '1', 'the link should carry the rates the fit starts from (the defaults), not the fitted ones');
    const second = await open('again', '/' + hash);
    const r = await poll(async () => ['converged', 'failed'].includes((await dataset(second.page, 'fit-status')).state), { timeout: 30_000 });
    assert.ok(!r.timedOut, 'the second page did not finish its fit');
    const [a, b] = [await readFit(page()), await readFit(second.page)];
    const n = await notice(second.page);
    console.log(`(e) second page: ${b.state} in ${b.timing.ms} ms; notice ${n.visible ? JSON.stringify(n.text) : 'none'}`);
    assert.equal(b.state, 'converged');
    assert.deepEqual(b.estimates, a.estimates, 'the same link gave different estimates');
    assert.ok(!n.visible, `the link's own hash raised a notice: ${n.text}`);
    await second.context.close();
  });

  test('(f) exports describe the analysed data and the fit', { timeout: 30_000 }, async () => {
    const json = JSON.parse((await download(page(), '#export-json')).text);
    const csv = (await download(page(), '#export-csv')).text;
    const alpha = cliFit.estimates.find((e) => e.name === 'alpha');
    console.log(`(f) JSON data ${JSON.stringify(json.data)}; config keys ${Object.keys(json.config).join(',')}; CSV head:\n    ${csv.split('\n').slice(0, 4).join('\n    ')}`);
    assert.match(json.data.source, /Hudson's Bay/);
    assert.equal(json.data.points, 21);
    assert.match(json.data.target, /fitted to these data/);
    for (const k of ['n', 'sigma', 'seed', 't_end']) assert.ok(!(k in json.config), `the JSON's config still has the simulation's ${k}`);
    assert.equal(json.fit.estimates.find((e) => e.name === 'alpha').value, alpha.value);
    assert.equal(json.points.length, 21);
    assert.equal(json.points[0].t, 1900);
    assert.equal(json.points[20].x, cliFit.points[20].x, 'the exported clean state is not the fitted orbit');
    assert.match(csv, /^# lyapunov-lens: Hudson's Bay/);
    assert.ok(csv.includes(`# alpha, ${alpha.value}, ${alpha.lower}, ${alpha.upper}`), 'the CSV does not carry the fit');
    assert.ok(csv.includes('\n1900,'), 'the CSV rows do not start at 1900');
  });

  test('(g) bad input: a malformed file, a 3-D system, zeros, too few points, a fit that does not converge', { timeout: 120_000 }, async () => {
    const p = page();
    const before = { fit: await readFit(p), verdict: await text(p, 'verdict'), data: await value(p, 'data') };
    // A malformed file: the fitted lynx–hare state stays.
    await upload(p, 'bad.csv', 't,prey,predator\n0,10,5\n1,11,6\n2,oops,7\n3,12,8\n');
    await poll(async () => (await notice(p)).visible, { timeout: 3000 });
    const n1 = await notice(p);
    const after1 = { fit: await readFit(p), verdict: await text(p, 'verdict'), data: await value(p, 'data') };
    console.log(`(g) malformed: ${JSON.stringify(n1.text)}; data ${after1.data}`);
    assert.match(n1.text, /line 4/);
    assert.equal(after1.data, 'lynx-hare');
    assert.deepEqual(after1.fit.estimates, before.fit.estimates);
    assert.equal(after1.verdict, before.verdict);

    // A 3-D system: the file has two columns; the system and the fit stay.
    await p.selectOption('#system', 'lorenz');
    await poll(async () => /not applied/.test((await notice(p)).text), { timeout: 3000 });
    await sleep(100);
    const n2 = await notice(p);
    console.log(`(g) lorenz: ${JSON.stringify(n2.text)}; system ${await value(p, 'system')}`);
    assert.match(n2.text, /2 variables and lorenz has 3/);
    assert.equal(await value(p, 'system'), 'lotka-volterra');
    assert.deepEqual((await readFit(p)).estimates, before.fit.estimates);
    assert.ok((await text(p, 'verdict')).includes('fitted to these data'));

    // Zeros under lognormal noise, and too few points: the file loads, the fit says why not.
    for (const [name, csv, why] of [
      ['zeros.csv', 't,x,y\n' + Array.from({ length: 12 }, (_, i) => `${i},${i === 4 ? 0 : 3 + i},${5 + (i % 3)}`).join('\n') + '\n', /positive observations/],
      ['few.csv', 't,x,y\n0,10,5\n1,12,6\n2,9,7\n3,8,5\n', /too few/],
    ]) {
      await upload(p, name, csv);
      await poll(async () => (await dataset(p, 'fit-status')).state === 'idle' && /cannot be fitted/.test(await text(p, 'fit-status')), { timeout: 5000 });
      const status = await text(p, 'fit-status');
      const start = await dataset(p, 'fit-start');
      const disabled = await p.evaluate(() => document.getElementById('fit-start').disabled);
      console.log(`(g) ${name}: ${status} (button disabled ${disabled})`);
      assert.match(status, why);
      assert.ok(disabled, `#fit-start is enabled for ${name}`);
      assert.match(start.disabledWhy, why);
      assert.equal(await value(p, 'data'), 'file');
    }

    // A fit that does not converge (exponential growth is no Lotka–Volterra orbit): the file's
    // unfitted state stays.
    await upload(p, 'growth.csv', 't,x,y\n' + Array.from({ length: 12 }, (_, i) => `${i},${2 ** i},${3 ** i}`).join('\n') + '\n');
    await poll(async () => /growth\.csv/.test(await text(p, 'data-source')), { timeout: 5000 });
    const verdictBefore = await text(p, 'verdict');
    await p.click('#fit-start');
    const r = await poll(async () => ['converged', 'failed'].includes((await dataset(p, 'fit-status')).state), { timeout: 60_000 });
    const f = await readFit(p);
    const n3 = await notice(p);
    await sleep(300);
    const stats = await dataset(p, 'stats');
    console.log(`(g) growth.csv: ${f.state} after ${f.timing.ms} ms: ${f.text}; notice ${JSON.stringify(n3.text)}; n ${stats.n}`);
    assert.ok(!r.timedOut, 'the fit of growth.csv never finished');
    assert.equal(f.state, 'failed');
    assert.match(n3.text, /did not converge.*previous state is kept/);
    assert.deepEqual(f.estimates, {}, 'a fit that did not converge filled the estimates');
    assert.equal(Number(stats.n), 12);
    assert.match(await text(p, 'verdict'), /through the first observation/);
    assert.ok(verdictBefore.includes('through the first observation'));
  });

  test('(h) a "Year, Lynx, Hare" file is mapped by header, with a visible column choice', { timeout: 60_000 }, async () => {
    const p = page();
    const file = 'Year, Lynx, Hare\n' + cliFit.points.map((q) => `${q.t}, ${q.y_obs}, ${q.x_obs}`).join('\n') + '\n';
    await upload(p, 'hudson-bay-lynx-hare.csv', file);
    await poll(async () => /hudson-bay-lynx-hare\.csv/.test(await text(p, 'data-source')), { timeout: 5000 });
    const columns = await p.evaluate(() => ['column-time', 'column-prey', 'column-predator'].map((id) => {
      const s = document.getElementById(id);
      return { visible: s.offsetParent !== null, chosen: s.selectedOptions[0]?.textContent };
    }));
    console.log(`(h) columns ${JSON.stringify(columns)}`);
    assert.deepEqual(columns.map((c) => c.chosen), ['Year', 'Hare', 'Lynx']);
    assert.ok(columns.every((c) => c.visible), 'the column choice is not visible');
    await p.click('#fit-start');
    const r = await poll(async () => ['converged', 'failed'].includes((await dataset(p, 'fit-status')).state), { timeout: 30_000 });
    assert.ok(!r.timedOut);
    const f = await readFit(p);
    assert.equal(f.state, 'converged');
    for (const e of cliFit.estimates) assert.equal(f.estimates[e.name].value, e.value, `${e.name} from the file differs from the built-in series' fit`);
    // Swap prey and predator: the file is read again, the fit is gone.
    await p.evaluate(() => {
      const pick = (id, label) => {
        const s = document.getElementById(id);
        s.value = [...s.options].find((o) => o.textContent === label).value;
      };
      pick('column-prey', 'Lynx');
      pick('column-predator', 'Hare');
      document.getElementById('column-predator').dispatchEvent(new Event('change', { bubbles: true }));
    });
    await poll(async () => (await dataset(p, 'fit-status')).state === 'idle', { timeout: 5000 });
    const source = await text(p, 'data-source');
    console.log(`(h) after the swap: ${source}`);
    assert.match(source, /prey = Lynx, predator = Hare/);
    assert.deepEqual((await readFit(p)).estimates, {});
  });

  test('(i) `fit=attention`: attention-weighted refitting to the fixed point, as `fit --weights attention`', { timeout: 90_000 }, async () => {
    const t0 = Date.now();
    const w = await open('weighted', '/#data=lynx-hare&fit=attention');
    const r = await poll(async () => (await dataset(w.page, 'fit-weighting')).done === 'true' || (await dataset(w.page, 'fit-status')).state === 'failed', { timeout: 60_000, interval: 100 });
    const elapsed = Date.now() - t0;
    const info = await dataset(w.page, 'fit-weighting');
    const fit = await readFit(w.page);
    const unweighted = await w.page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#fit-estimates tbody tr')].map((row) => [row.dataset.name, Number(row.dataset.unweighted)])));
    const hash = await w.page.evaluate(() => location.hash);
    const cw = cliWeighted.attention_weighting;
    const bad = [];
    let identical = 0, compared = 0;
    for (const e of cliWeighted.estimates) {
      for (const k of ['value', 'lower', 'upper']) {
        const d = relDiff(fit.estimates[e.name]?.[k], e[k]);
        compared++;
        if (d === 0) identical++;
        if (!(d <= FIT_RTOL)) bad.push(`${e.name}.${k}: page ${fit.estimates[e.name]?.[k]} CLI ${e[k]}`);
      }
    }
    for (const e of cw.unweighted_estimates) {
      if (!(relDiff(unweighted[e.name], e.value) <= FIT_RTOL)) bad.push(`unweighted ${e.name}: page ${unweighted[e.name]} CLI ${e.value}`);
    }
    console.log(
      `(i) ${info.rounds} rounds (CLI ${cw.rounds.length}), fixed point ${info.fixedPoint} (CLI ${cw.fixed_point}) in ${elapsed} ms from opening the page; ` +
        `alpha ${fit.estimates.alpha?.value} (CLI ${cliWeighted.estimates[0].value}, unweighted ${unweighted.alpha}); ${identical}/${compared} numbers bit-identical; hash ends ${hash.slice(-30)}\n    ${await text(w.page, 'fit-weighting')}`,
    );
    assert.ok(!r.timedOut, 'the weighted rounds never finished');
    assert.equal(Number(info.rounds), cw.rounds.length);
    assert.equal(info.fixedPoint, String(cw.fixed_point));
    assert.deepEqual(bad, [], 'the attention-weighted fit differs from the CLI\'s');
    assert.notEqual(fit.estimates.alpha.value, unweighted.alpha, 'the weighted fit is the unweighted one');
    assert.ok(hash.endsWith('&data=lynx-hare&fit=attention'), hash);
    await w.context.close();
  });

  test('(z) no console errors or page errors', { timeout: 5000 }, async () => {
    const problems = opened.flatMap(({ label, lab: l }) => l.problems.map((q) => `[${label}] ${q}`));
    for (const q of problems) console.log(`(z) ${q}`);
    assert.deepEqual(problems, []);
  });
});
