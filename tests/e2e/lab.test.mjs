// End-to-end test of the lab page in headless Chromium: `node --test tests/e2e/` from the repo
// root, after `make build` (dist/) and `cargo build` (target/debug/lyapunov-lens, for check g).
// One browser and one page for the whole file; the checks run in order on that page.
// What each check means: tests/e2e/README.md.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  serveDir,
  launchBrowser,
  openLab,
  frames,
  canvasPixels,
  canvasHash,
  setControl,
  poll,
  cliPath,
  repoRoot,
} from './harness.mjs';

const OUT_DIR = path.join(repoRoot, 'tests', 'e2e', 'out');
const INK_DEADLINE_MS = Number(process.env.LL_INK_DEADLINE_MS || 1000); // (b): "within ~1 s of load"
const MIN_INKED = 500;
const VIRIDIS_DIST = 30;
const VIRIDIS_MIN_FRACTION = 0.5;
const CLI_RTOL = 1e-12;

// matplotlib's viridis at i/15, i = 0..15 (entries 0, 17, ..., 255 of its 256-colour table).
const VIRIDIS_16 = [
  '#440154', '#481a6c', '#472f7d', '#414487', '#39568c', '#31688e', '#2a788e', '#23888e',
  '#1f988b', '#22a884', '#35b779', '#54c568', '#7ad151', '#a5db36', '#d2e21b', '#fde725',
].map(hexToRgb);

// The page's defaults (the CLI's defaults too); lr is given here as the number, the slider holds log10.
const DEFAULTS = {
  alpha: 1, beta: 0.1, gamma: 1.5, delta: 0.75, x0: 10, y0: 5, t_end: 15, n: 1000, sigma: 2,
  seed: 0, lr: 0.01, model: 'paper-linear',
};
const CLI_FLAG = {
  alpha: '--alpha', beta: '--beta', gamma: '--gamma', delta: '--delta', x0: '--x0', y0: '--y0',
  t_end: '--t-end', n: '--n', sigma: '--sigma', seed: '--seed', lr: '--lr', model: '--model',
};

function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function dist2(a, b) {
  const dr = a[0] - b[0], dg = a[1] - b[1], db = a[2] - b[2];
  return dr * dr + dg * dg + db * db;
}

/** Distance from colour p to the piecewise-linear viridis curve, and the segment it is nearest. */
function viridisDistance(p) {
  let best = Infinity, seg = -1;
  for (let i = 0; i + 1 < VIRIDIS_16.length; i++) {
    const a = VIRIDIS_16[i], b = VIRIDIS_16[i + 1];
    const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    const ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
    const len2 = ab[0] ** 2 + ab[1] ** 2 + ab[2] ** 2;
    const t = Math.min(1, Math.max(0, (ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / len2));
    const q = [a[0] + t * ab[0], a[1] + t * ab[1], a[2] + t * ab[2]];
    const d = dist2(p, q);
    if (d < best) { best = d; seg = i; }
  }
  return { d: Math.sqrt(best), seg };
}

function* rgbOf(pixels) {
  for (let i = 0; i < pixels.length; i += 4) yield [pixels[i], pixels[i + 1], pixels[i + 2]];
}

/** 2-means in RGB, seeded with two far-apart pixels. */
function twoMeans(colours) {
  const mean = [0, 1, 2].map((c) => colours.reduce((s, p) => s + p[c], 0) / colours.length);
  let c0 = colours.reduce((best, p) => (dist2(p, mean) > dist2(best, mean) ? p : best), colours[0]);
  let c1 = colours.reduce((best, p) => (dist2(p, c0) > dist2(best, c0) ? p : best), colours[0]);
  let n0 = 0, n1 = 0;
  for (let iter = 0; iter < 20; iter++) {
    const s0 = [0, 0, 0], s1 = [0, 0, 0];
    n0 = 0; n1 = 0;
    for (const p of colours) {
      if (dist2(p, c0) <= dist2(p, c1)) { s0[0] += p[0]; s0[1] += p[1]; s0[2] += p[2]; n0++; }
      else { s1[0] += p[0]; s1[1] += p[1]; s1[2] += p[2]; n1++; }
    }
    if (n0) c0 = s0.map((v) => v / n0);
    if (n1) c1 = s1.map((v) => v / n1);
  }
  return { c0, c1, n0, n1 };
}

const fmtRgb = (c) => `rgb(${c.map((v) => Math.round(v)).join(',')})`;

/** Rust's f64 Display / empty string -> number or null. */
function parseRustNumber(s) {
  if (s === null || s === undefined || s === '') return null;
  if (s === 'inf' || s === '+inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'NaN') return NaN;
  const v = Number(s);
  if (Number.isNaN(v)) throw new Error(`not a number: ${JSON.stringify(s)}`);
  return v;
}

function runCli(args) {
  return new Promise((resolve, reject) => {
    execFile(cliPath, args, { timeout: 30_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cliPath} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

describe('lyapunov-lens lab page', { timeout: 60_000 }, () => {
  let server, browser, lab;

  const page = () => lab.page;
  const stats = () =>
    page().evaluate(() => {
      const el = document.getElementById('stats');
      if (!el) return null;
      const out = {};
      for (const a of el.getAttributeNames()) if (a.startsWith('data-')) out[a.slice(5)] = el.getAttribute(a);
      return out;
    });
  const epoch = async () => {
    const s = await stats();
    return s && s.epoch !== undefined && s.epoch !== '' ? Number(s.epoch) : null;
  };
  const ariaPressed = () =>
    page().evaluate(() => document.getElementById('play')?.getAttribute('aria-pressed') ?? null);
  async function pause() {
    if (!(await page().$('#play'))) assert.fail('no #play button');
    if ((await ariaPressed()) === 'true') await page().click('#play', { timeout: 3000 });
    await frames(page(), 2);
  }

  before(async () => {
    server = await serveDir();
    browser = await launchBrowser();
    lab = await openLab(browser, server.origin, { width: 1400, height: 900, deviceScaleFactor: 1 });
  }, { timeout: 30_000 });

  after(async () => {
    if (lab && lab.problems.length) {
      console.log(`console/page errors seen (${lab.problems.length}):`);
      for (const p of lab.problems) console.log(`  ${p}`);
    }
    await lab?.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
  });

  test('(b) #phase-portrait and #normal-derivative are inked within ~1 s of load', { timeout: 10_000 }, async () => {
    const left = Math.max(0, INK_DEADLINE_MS - (Date.now() - lab.loadedAt));
    let counts = {};
    const r = await poll(
      async () => {
        for (const id of ['phase-portrait', 'normal-derivative']) {
          const px = await canvasPixels(page(), id);
          counts[id] = px ? px.inked : null;
        }
        return counts['phase-portrait'] > MIN_INKED && counts['normal-derivative'] > MIN_INKED;
      },
      { timeout: left, interval: 50 },
    );
    const elapsed = Date.now() - lab.loadedAt;
    console.log(`(b) inked pixels ${JSON.stringify(counts)} at ${elapsed} ms after load`);
    for (const id of ['phase-portrait', 'normal-derivative']) {
      assert.notEqual(counts[id], null, `no canvas#${id} in the page`);
      assert.ok(
        counts[id] > MIN_INKED,
        `canvas#${id} has ${counts[id]} inked pixels (alpha > 0) ${elapsed} ms after load; want > ${MIN_INKED} within ${INK_DEADLINE_MS} ms`,
      );
    }
    assert.ok(!r.timedOut);
  });

  test('(c) data-epoch grows while playing (or has reached convergence by itself)', { timeout: 10_000 }, async () => {
    const pressed = await ariaPressed();
    const e1 = await epoch();
    await sleep(700);
    const e2 = await epoch();
    const status = await page().evaluate(() => ({ ...document.getElementById('training-status')?.dataset }));
    console.log(`(c) #play aria-pressed=${pressed}; data-epoch ${e1} -> ${e2} over 700 ms; #training-status ${JSON.stringify(status)}`);
    assert.ok(Number.isInteger(e1), `#stats data-epoch is not an integer: ${e1}`);
    assert.ok(Number.isInteger(e2), `#stats data-epoch is not an integer: ${e2}`);
    // The default run converges in about a second: then the epoch holds at the converged step.
    const convergedAlready = status.converged === 'true' && e1 > 0 && String(e1) === status.convergedStep;
    assert.ok(e2 > e1 || convergedAlready, `data-epoch did not grow while playing: ${e1} -> ${e2} (status ${JSON.stringify(status)})`);

    // A representative screenshot after ~1.5 s of training.
    const wait = 1500 - (Date.now() - lab.loadedAt);
    if (wait > 0) await sleep(wait);
    await mkdir(OUT_DIR, { recursive: true });
    await page().screenshot({ path: path.join(OUT_DIR, 'lab.png'), fullPage: true, timeout: 5000 });
    console.log(`(c) screenshot: ${path.relative(repoRoot, path.join(OUT_DIR, 'lab.png'))}`);
    assert.equal(pressed, 'true', `#play aria-pressed is ${pressed} while training plays by itself (want "true")`);
  });

  test('(d) the phase portrait is coloured with viridis', { timeout: 10_000 }, async () => {
    const px = await canvasPixels(page(), 'phase-portrait', { withPixels: true, minAlpha: 64 });
    assert.ok(px, 'no canvas#phase-portrait');
    const total = px.pixels.length / 4;
    assert.ok(total > MIN_INKED, `only ${total} pixels with alpha >= 64 in #phase-portrait`);
    let near = 0;
    const segHits = new Array(VIRIDIS_16.length - 1).fill(0);
    const off = new Map();
    for (const p of rgbOf(px.pixels)) {
      const { d, seg } = viridisDistance(p);
      if (d < VIRIDIS_DIST) { near++; segHits[seg]++; }
      else { const k = fmtRgb(p); off.set(k, (off.get(k) || 0) + 1); }
    }
    const fraction = near / total;
    const segsUsed = segHits.filter((h) => h >= Math.max(5, 0.002 * total)).length;
    const topOff = [...off.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.log(
      `(d) ${near}/${total} opaque pixels (${(100 * fraction).toFixed(1)}%) within ${VIRIDIS_DIST} of viridis; ` +
        `${segsUsed}/15 map segments used; commonest other colours ${JSON.stringify(topOff)}`,
    );
    assert.ok(
      fraction >= VIRIDIS_MIN_FRACTION,
      `only ${(100 * fraction).toFixed(1)}% of opaque #phase-portrait pixels are near viridis (want >= ${100 * VIRIDIS_MIN_FRACTION}%)`,
    );
    assert.ok(segsUsed >= 4, `viridis-coloured pixels span only ${segsUsed} of the map's 15 segments (want >= 4)`);
  });

  test('(e) #normal-derivative shows two curves in two distinct colours', { timeout: 10_000 }, async () => {
    // A curve against time runs across the plot: each colour must be present in a good part
    // (>= 25%) of the pixel columns that hold any curve ink, where a legend swatch or a marker
    // line would give a few percent; one curve may hide the other in places. (Pixel counts alone would not do: the attention
    // curve is jagged and covers many more pixels than the smooth dV/dn curve.)
    const px = await canvasPixels(page(), 'normal-derivative', { withPixels: true, minAlpha: 128 });
    assert.ok(px, 'no canvas#normal-derivative');
    const colours = [...rgbOf(px.pixels)];
    assert.ok(colours.length > MIN_INKED, `only ${colours.length} opaque pixels in #normal-derivative`);
    const declared = await page().evaluate(() => {
      const el = document.getElementById('normal-derivative');
      const a = el.getAttribute('data-attention-color');
      const d = el.getAttribute('data-dvdn-color');
      if (!a || !d) return null;
      const ctx = document.createElement('canvas').getContext('2d');
      const norm = (css) => {
        ctx.fillStyle = '#010203';
        ctx.fillStyle = css; // an invalid colour leaves the sentinel
        const valid = ctx.fillStyle !== '#010203' || css.trim() === '#010203';
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
        return { css, rgb: [r, g, b], valid };
      };
      return { attention: norm(a), dvdn: norm(d) };
    });

    // label[i]: 0 or 1 for the two colours, -1 for neither.
    let centres, label, how;
    if (declared) {
      assert.ok(declared.attention.valid, `data-attention-color is not a CSS colour: ${declared.attention.css}`);
      assert.ok(declared.dvdn.valid, `data-dvdn-color is not a CSS colour: ${declared.dvdn.css}`);
      centres = [declared.attention.rgb, declared.dvdn.rgb];
      how = `declared attention ${declared.attention.css}, dV/dn ${declared.dvdn.css}`;
      label = colours.map((p) => {
        const d0 = Math.sqrt(dist2(p, centres[0])), d1 = Math.sqrt(dist2(p, centres[1]));
        return d0 < 60 && d0 <= d1 ? 0 : d1 < 60 ? 1 : -1;
      });
    } else {
      const { c0, c1 } = twoMeans(colours);
      centres = [c0, c1];
      how = 'no data-attention-color/data-dvdn-color; 2-means clusters';
      label = colours.map((p) => (dist2(p, c0) <= dist2(p, c1) ? 0 : 1));
    }
    const sep = Math.sqrt(dist2(centres[0], centres[1]));
    const counts = [0, 0];
    const cols = [new Set(), new Set()];
    const anyCols = new Set();
    label.forEach((l, i) => {
      if (l < 0) return;
      counts[l]++;
      cols[l].add(px.xs[i]);
      anyCols.add(px.xs[i]);
    });
    const coverage = cols.map((c) => c.size / Math.max(1, anyCols.size));
    const names = declared ? ['attention', 'dV/dn'] : ['cluster 1', 'cluster 2'];
    console.log(
      `(e) ${how}: ${names[0]} ${fmtRgb(centres[0])} x${counts[0]} in ${(100 * coverage[0]).toFixed(0)}% of columns, ` +
        `${names[1]} ${fmtRgb(centres[1])} x${counts[1]} in ${(100 * coverage[1]).toFixed(0)}% of columns ` +
        `(${sep.toFixed(0)} apart; ${colours.length} opaque pixels, ${anyCols.size} inked columns of ${px.width})`,
    );
    assert.ok(sep >= 80, `the two curve colours are only ${sep.toFixed(0)} apart in RGB (want >= 80)`);
    for (const l of [0, 1]) {
      assert.ok(counts[l] >= 100, `${names[l]}: only ${counts[l]} pixels of its colour (want >= 100)`);
      assert.ok(
        coverage[l] >= 0.25,
        `${names[l]}: its colour is in only ${(100 * coverage[l]).toFixed(0)}% of the inked columns (want >= 25%: a curve across the time axis)`,
      );
    }
  });

  test('(f) moving #sigma redraws the phase portrait and restarts training', { timeout: 10_000 }, async () => {
    await pause();
    const pressed = await ariaPressed();
    assert.equal(pressed, 'false', `#play aria-pressed is ${pressed} after clicking it to pause`);
    const hashPaused = await canvasHash(page(), 'phase-portrait');
    assert.ok(hashPaused, 'no canvas#phase-portrait');
    await sleep(200);
    const hashBefore = await canvasHash(page(), 'phase-portrait');
    const stable = hashBefore === hashPaused;
    const inkBefore = (await canvasPixels(page(), 'phase-portrait')).inked;
    const epochBefore = await epoch();
    const took = await setControl(page(), 'sigma', 0);
    await sleep(300);
    const afterHash = await canvasHash(page(), 'phase-portrait');
    const inkAfter = (await canvasPixels(page(), 'phase-portrait')).inked;
    const epochAfter = await epoch();
    console.log(
      `(f) paused (portrait ${stable ? 'unchanged' : 'CHANGING'} over 200 ms); #sigma -> ${JSON.stringify(took)}: portrait ${hashBefore.slice(0, 12)} -> ${afterHash.slice(0, 12)}, ` +
        `inked ${inkBefore} -> ${inkAfter}; data-epoch ${epochBefore} -> ${epochAfter}`,
    );
    assert.equal(Number(took), 0, `#sigma did not take the value 0 (it reads ${took})`);
    assert.notEqual(afterHash, hashBefore, 'the phase portrait did not change 300 ms after #sigma was set to 0 (paused)');
    assert.equal(epochAfter, 0, `data-epoch is ${epochAfter} after the data changed (want 0: the model restarts)`);
  });

  test('(g) #stats metrics equal the CLI\'s for the same config after 100 steps', { timeout: 20_000 }, async () => {
    await pause();
    const frozen1 = await epoch();
    await sleep(150);
    const frozen2 = await epoch();
    assert.equal(frozen2, frozen1, `data-epoch moved while paused: ${frozen1} -> ${frozen2}`);

    await setControl(page(), 'sigma', 2);
    await frames(page(), 2);
    await page().click('#reset', { timeout: 3000 });
    const e0 = await epoch();
    assert.equal(e0, 0, `data-epoch is ${e0} right after #reset (want 0)`);
    for (let i = 0; i < 5; i++) await page().click('#step', { timeout: 3000 });
    const r = await poll(async () => (await epoch()) === 100, { timeout: 5000 });
    const s = await stats();
    assert.ok(!r.timedOut, `data-epoch is ${s.epoch} after reset + 5 x #step (want 100)`);

    // The same config for the CLI: every control that is not at its default is passed on.
    const controls = await page().evaluate((ids) => {
      const out = {};
      for (const id of ids) out[id] = document.getElementById(id)?.value ?? null;
      return out;
    }, Object.keys(DEFAULTS));
    const args = ['run', '--steps', '100', '--no-ensemble', '--format', 'json'];
    const notes = [];
    for (const [k, def] of Object.entries(DEFAULTS)) {
      const raw = controls[k];
      if (raw === null) { notes.push(`#${k} missing`); continue; }
      const value = k === 'model' ? raw : k === 'lr' ? 10 ** Number(raw) : Number(raw);
      const differs = k === 'model' ? value !== def : k === 'lr' ? Math.abs(value / def - 1) > 1e-9 : value !== def;
      if (differs) {
        notes.push(`#${k}=${raw} (default ${def})`);
        args.push(CLI_FLAG[k], String(value));
      }
    }
    if (!existsSync(cliPath)) assert.fail(`CLI not found at ${cliPath} (cargo build, or set LL_CLI)`);
    const cli = await runCli(args);
    const m = cli.metrics;
    const pairs = [
      ['loss', 'loss'],
      ['pearson', 'pearson'],
      ['spearman', 'spearman'],
      ['peak-offset', 'peak_offset_periods'],
      ['ess', 'ess'],
    ];
    let maxRel = 0, identical = 0;
    const rows = [];
    const bad = [];
    for (const [attr, key] of pairs) {
      const pv = parseRustNumber(s[attr]);
      const cv = m[key] === undefined ? undefined : m[key];
      let rel;
      if (cv === undefined) { bad.push(`CLI metrics has no ${key}`); continue; }
      if (pv === null && cv === null) rel = 0;
      else if (pv === null || cv === null) rel = Infinity;
      else if (Object.is(pv, cv) || pv === cv) rel = 0;
      else rel = Math.abs(pv - cv) / Math.max(Math.abs(pv), Math.abs(cv));
      if (rel === 0) identical++;
      maxRel = Math.max(maxRel, Number.isNaN(rel) ? Infinity : rel);
      rows.push(`${attr}: page ${JSON.stringify(s[attr])} cli ${JSON.stringify(cv)} rel ${rel}`);
      if (!(rel <= CLI_RTOL)) bad.push(`data-${attr}=${JSON.stringify(s[attr])} vs CLI ${key}=${cv} (rel ${rel})`);
    }
    console.log(
      `(g) ${path.relative(repoRoot, cliPath)} ${args.join(' ')}${notes.length ? ` [${notes.join('; ')}]` : ''}\n` +
        `    ${rows.join('\n    ')}\n    max relative difference ${maxRel}; ${identical}/${pairs.length} bit-identical`,
    );
    assert.equal(cli.config.steps, 100, `CLI config.steps is ${cli.config.steps}`);
    assert.deepEqual(bad, [], `metrics differ from the CLI's beyond ${CLI_RTOL} relative`);
  });

  test('(h) the page declares an icon and the bundle serves it (no 404 /favicon.ico)', { timeout: 5000 }, async () => {
    const href = await page().evaluate(() => document.querySelector('link[rel~="icon"]')?.href ?? null);
    assert.ok(href, 'no <link rel="icon"> in the page: the browser falls back to /favicon.ico (404)');
    const got = await page().evaluate(async (u) => {
      const r = await fetch(u);
      return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
    }, href);
    assert.equal(got.status, 200, `${href} answered ${got.status}`);
    assert.match(got.type, /^image\//, `${href} is served as ${got.type}`);
    assert.match(got.body, /<svg/, `${href} is not an SVG`);
  });

  test('(a) no console errors or page errors during the run', { timeout: 5000 }, async () => {
    await sleep(100);
    for (const p of lab.problems) console.log(`(a) ${p}`);
    assert.deepEqual(lab.problems, [], `${lab.problems.length} console/page error(s)`);
  });
});
