// Work spread over frames (issue 15, "never freeze"): a heavy link and a kick of "Kick the
// clock" are computed a slice per frame, with their progress on screen, and the page keeps
// drawing frames meanwhile. (a) `#system=lorenz&t_end=300&measure=ftle` shows "Computing" in
// the status line, then settles, with the same stats as a second later, and no gap between
// animation frames, after the lab's first frame (the browser's first layout and paint of the
// page) until settled, above GAP_MS. (b) A Goodwin kick shows its progress
// in the panel's status over several frames and ends with the same shift as the CLI's direct
// method on the same cycle (`prc --method direct --points 100`, the page's own grid), with no
// gap above GAP_MS. Run from the repo root after `make build` (dist/) and `cargo build`.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { serveDir, launchBrowser, openLab, poll, cliPath, canvasPixels } from './harness.mjs';

/** Largest gap between animation frames allowed: generous for a loaded 2-core machine; one
 * frame computing the whole change or the whole kick took seconds or 90–150 ms. */
const GAP_MS = 150;

/** Records every animation frame's time from before the page's own scripts run, and the index
 * of the first frame after the lab was mounted (its status line exists): the gaps from there on
 * are the page's frames; the one before it is the module's start (compiling, mounting). */
function recordFrames() {
  window.__frames = [];
  window.__mounted = null;
  // The time the callback runs (the timestamp given to it is the frame's start, which can be
  // long before a callback delayed by a long task).
  const tick = () => {
    window.__frames.push(performance.now());
    if (window.__mounted === null && document.getElementById('training-status')) {
      window.__mounted = window.__frames.length - 1;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** The largest gap between recorded frames from index `from` on (default: the lab's second
 * frame), and where it was; `mount` is the gap that ends at the mount (the module's start), and
 * `first` the one after it (the lab's first frame, which fits the canvases, and the browser's
 * first layout and paint of the whole page): printed, not bounded here (wasm_bench prints the
 * lab's share of it). */
function largestGap(page, from = null) {
  return page.evaluate((from) => {
    const all = window.__frames;
    const mounted = window.__mounted ?? 0;
    const start = from ?? mounted + 1;
    const f = all.slice(start);
    let gap = 0, at = 0;
    for (let i = 1; i < f.length; i++) if (f[i] - f[i - 1] > gap) [gap, at] = [f[i] - f[i - 1], i];
    const mount = mounted > 0 ? all[mounted] - all[mounted - 1] : 0;
    const first = all[mounted + 1] - all[mounted];
    return { gap, at, frames: f.length, total: all.length, mount, first };
  }, from);
}

function runCli(args) {
  if (!existsSync(cliPath)) assert.fail(`CLI not found at ${cliPath} (cargo build, or set LL_CLI)`);
  return new Promise((resolve, reject) => {
    execFile(cliPath, args, { timeout: 300_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cliPath} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

describe('work spread over frames: progress on screen, no frozen frames', { timeout: 400_000 }, () => {
  let server, browser;
  const opened = [];
  before(async () => {
    server = await serveDir();
    browser = await launchBrowser();
  }, { timeout: 30_000 });
  after(async () => {
    for (const lab of opened) await lab.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
  });

  const status = (page) => page.evaluate(() => {
    const e = document.getElementById('training-status');
    return { state: e?.dataset.status ?? '', text: (e?.textContent ?? '').trim() };
  });
  const stats = (page) => page.evaluate(() => ({ ...document.getElementById('stats')?.dataset }));

  test('(a) a heavy link shows "Computing", settles, and the page keeps its frames', async () => {
    const lab = await openLab(browser, server.origin, {
      path: '/#system=lorenz&t_end=300&measure=ftle&playing=0',
      initScript: recordFrames,
    });
    opened.push(lab);
    const { page } = lab;
    // Seen while it computes: the status line says so, with a percentage.
    const seen = await poll(async () => {
      const s = await status(page);
      return s.state === 'computing' ? s : null;
    }, { timeout: 10_000, interval: 10 });
    assert.ok(!seen.timedOut, `the status line never said "Computing" (${JSON.stringify(await status(page))})`);
    assert.match(seen.value.text, /^Computing .*\d+%/, `status: ${seen.value.text}`);
    // The page opened on a stand-in (a 3-D system's defaults take too long for one frame):
    // nothing of it is drawn, and the captions already describe the link's system.
    const opening = await page.evaluate(() => ({
      state: document.getElementById('training-status')?.dataset.status,
      text: document.getElementById('training-status')?.textContent ?? '',
      caption: document.getElementById('phase-portrait').closest('figure').querySelector('figcaption').textContent,
    }));
    const ink = (await canvasPixels(page, 'phase-portrait'))?.inked ?? null;
    if (opening.state === 'computing') {
      assert.equal(ink, 0, 'the phase portrait was drawn before the link\'s setting was computed');
      assert.match(opening.caption, /Lorenz/, `caption while opening: ${opening.caption}`);
      assert.match(opening.text, /plots appear once it is done/, `status while opening: ${opening.text}`);
    }
    const settled = await poll(async () => (await status(page)).state !== 'computing', { timeout: 120_000, interval: 50 });
    assert.ok(!settled.timedOut, 'the change never finished');
    await poll(async () => (await stats(page)).epoch !== undefined, { timeout: 5_000 });
    // The plot labels itself when it draws, one layer a frame in the first frames after the
    // setting is applied (a link opened on a stand-in is applied before anything is drawn).
    const rightLabel = () => page.evaluate(() => document.getElementById('normal-derivative').getAttribute('aria-label'));
    await poll(async () => /FTLE/.test(await rightLabel()), { timeout: 5_000 });
    const label = await rightLabel();
    assert.match(label, /FTLE/, `the right-hand plot: ${label}`);
    const first = await stats(page);
    const gap = await largestGap(page);
    await page.waitForTimeout(1500);
    const later = await stats(page);
    for (const key of ['epoch', 'loss', 'pearson', 'spearman', 'n', 'source']) {
      assert.equal(first[key], later[key], `#stats data-${key} changed after settling: ${first[key]} → ${later[key]}`);
    }
    assert.equal(first.n, '1000');
    console.log(`    (a) computed over ${gap.frames} frames in ${settled.ms} ms; largest frame gap ${gap.gap.toFixed(1)} ms (frame ${gap.at}); the module's start and mount ${gap.mount.toFixed(1)} ms, then the first frame ${gap.first.toFixed(1)} ms; spearman ${first.spearman}`);
    assert.ok(gap.gap < GAP_MS, `a gap of ${gap.gap.toFixed(1)} ms between frames (frame ${gap.at} of ${gap.frames})`);
    assert.deepEqual(lab.problems, [], 'console or page errors');
  });

  test('(b) a Goodwin kick shows its progress and ends with the shift of the one-go direct method', async () => {
    const lab = await openLab(browser, server.origin, { path: '/#system=goodwin&measure=prc&playing=0', initScript: recordFrames });
    opened.push(lab);
    const { page } = lab;
    const data = (id) => page.evaluate((id) => ({ ...document.getElementById(id)?.dataset }), id);
    const ready = await poll(async () => (await data('clock-kick')).state === 'ready', { timeout: 60_000 });
    assert.ok(!ready.timedOut, `the clock panel is ${(await data('clock-kick')).state}`);
    // Phase 0.3 (30 steps right of θ = 0), the default kick: 1% of mRNA X's range, upward.
    await page.locator('#prc').focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    const from = (await largestGap(page)).total;
    // Every text the status line shows, recorded in the page as it changes: polling from
    // here misses frames when the machine is loaded (CI once saw 1 of them).
    await page.evaluate(() => {
      const el = document.getElementById('clock-status');
      window.__statusTexts = [];
      new MutationObserver(() => window.__statusTexts.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.locator('#kick-clock').click();
    const done = await poll(async () => {
      const d = await data('clock-kick');
      const r = await data('clock-result');
      return d.state !== 'kicking' && r.shift !== undefined ? r : null;
    }, { timeout: 60_000, interval: 20 });
    assert.ok(!done.timedOut, 'the kick never finished');
    const texts = new Set(await page.evaluate(() => window.__statusTexts));
    const progress = [...texts].filter((t) => /\d+%/.test(t));
    assert.ok(progress.length >= 2, `the kick's progress was shown ${progress.length} times: ${[...texts].join(' | ')}`);
    const gap = await largestGap(page, from);
    const { theta, epsilon, shift } = done.value;
    assert.equal(Number(theta), 0.3);
    const cli = await runCli(['prc', '--system', 'goodwin', '--method', 'direct', '--variable', '0', '--epsilon', epsilon, '--points', '100', '--format', 'json']);
    const row = cli.points[30];
    console.log(`    (b) kick at θ = ${theta}, ε = ${epsilon}: shift ${shift} (CLI ${row.shift}); ${progress.length} progress texts, e.g. "${progress[0]}"; largest frame gap ${gap.gap.toFixed(1)} ms`);
    assert.equal(Number(shift), row.shift, 'the page\'s shift and the CLI\'s one-go direct method on the same cycle');
    assert.ok(gap.gap < GAP_MS, `a gap of ${gap.gap.toFixed(1)} ms between frames during the kick`);
    assert.deepEqual(lab.problems, [], 'console or page errors');
  });
});
