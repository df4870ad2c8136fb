// The page's layouts (issue 14, items 1, 3, 12, 13, 14): a screenshot matrix at 390x844 (a phone:
// touch, devicePixelRatio 3), 1366x768 (a laptop or a small projector) and 1920x1080 (a projector),
// each with normal and large text. On every one: no horizontal scroll, every visible canvas inked,
// no text clipped (labels, buttons, selects, headings, the verdict and status lines), no notice of a
// drawing failure, no console error; on the phone: the plots first (above the fold), the controls in
// a drawer that opens and closes from the keyboard, touch targets of 44 px at least, the tooltip on
// screen; large text enlarges the text inside the canvases and uses the whole width. Then the colour
// bar's range against the attention in the CSV export, and the phase-plane labels inside the plot.
// Screenshots go to tests/e2e/out/layout-<size>-<text>.png (git-ignored): look at them.
// Run from the repo root with `node --test tests/e2e/layouts.test.mjs` after `make build`.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveDir, launchBrowser, frames, poll, repoRoot } from './harness.mjs';

const OUT = path.join(repoRoot, 'tests', 'e2e', 'out');
const SIZES = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  laptop: { viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 },
  projector: { viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 },
};
/** Share of a plot's pixels that must differ from white for it to count as inked. */
const MIN_INK_SHARE = 0.005;
const TOUCH_PX = 44;

let server;
let browser;
const opened = [];

/** A fresh context and page with `options`, every console error, page error and HTTP error recorded. */
async function openPage(label, options, hash = '') {
  const context = await browser.newContext({ ...options, serviceWorkers: 'block', acceptDownloads: true });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const foreign = (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '127.0.0.1';
    return foreign ? route.abort('blockedbyclient') : route.continue();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console.error: ${msg.text()}`));
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (res) => res.status() >= 400 && problems.push(`HTTP ${res.status()}: ${res.url()}`));
  await page.goto(`${server.origin}/${hash}`, { waitUntil: 'load' });
  await page.waitForSelector('#stats', { state: 'attached' });
  opened.push({ label, problems });
  return { context, page, problems };
}

/** Waits until training has taken `steps` optimizer steps (or converged earlier). */
async function trained(page, steps = 150) {
  await poll(() => page.evaluate((s) => Number(document.getElementById('stats')?.dataset.epoch ?? 0) >= s
    || /converged|stalled/.test(document.getElementById('training-status')?.textContent ?? ''), steps), { timeout: 20_000 });
  await frames(page, 3);
}

/** Everything the layout checks read, measured in the page. */
function measure(page) {
  return page.evaluate(({ minInk }) => {
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const name = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''} "${(el.textContent || el.value || '').trim().slice(0, 40)}"`;
    const scroller = document.scrollingElement;
    // Plots: the layers of each layered plot composed, and every other canvas on its own.
    const groups = [];
    for (const el of document.querySelectorAll('.plot')) groups.push([el, [...el.querySelectorAll('canvas')]]);
    for (const c of document.querySelectorAll('canvas')) if (!c.closest('.plot')) groups.push([c, [c]]);
    const canvases = [];
    for (const [el, layers] of groups) {
      if (!visible(el) || el.clientWidth === 0) continue;
      const { width, height } = layers[0];
      const copy = document.createElement('canvas');
      copy.width = width;
      copy.height = height;
      const ctx = copy.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, width, height);
      for (const layer of layers) ctx.drawImage(layer, 0, 0, width, height);
      const data = ctx.getImageData(0, 0, width, height).data;
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 245 || data[i + 1] < 245 || data[i + 2] < 245) inked++;
      const id = layers.map((c) => c.id).find(Boolean) || 'canvas';
      canvases.push({ id, width, height, share: inked / (width * height), inked: inked / (width * height) >= minInk });
    }
    // Text clipped: a labelled element whose content is wider than its box; a select whose chosen
    // option's text is wider than the room beside its arrow; anything past the viewport's right edge.
    const clipped = [];
    const probe = document.createElement('canvas').getContext('2d');
    const sel = 'label, button, select, h1, h2, summary, legend, figcaption, .readout, #verdict, #training-status, #stats, #record-status, .hint, .notice';
    for (const el of document.querySelectorAll(sel)) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > scroller.clientWidth + 1 || r.left < -1) clipped.push(`${name(el)}: off screen (${Math.round(r.left)}..${Math.round(r.right)})`);
      if (el.tagName === 'SELECT') {
        const s = getComputedStyle(el);
        probe.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
        const text = el.selectedOptions[0]?.textContent ?? '';
        const need = probe.measureText(text).width;
        const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 20; // the arrow
        if (need > room + 1) clipped.push(`${name(el)}: "${text}" needs ${need.toFixed(0)} px, has ${room.toFixed(0)}`);
      } else if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
        clipped.push(`${name(el)}: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
      }
    }
    // Touch targets (the phone): controls and their labels, at least 44 px each way. A checkbox
    // counts with its row (its label toggles it). Links inside sentences are exempt (WCAG 2.5.8).
    const small = [];
    for (const el of document.querySelectorAll('button, select, input, summary')) {
      if (!visible(el)) continue;
      const target = el.type === 'checkbox' ? el.closest('.check') : el;
      const r = target.getBoundingClientRect();
      if (r.height < 44 - 0.5 || r.width < 44 - 0.5) small.push(`${name(el)} ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
    const phase = document.getElementById('phase-portrait');
    const notice = document.getElementById('notice');
    const area = (id) => document.getElementById(id)?.dataset.area?.split(',').map(Number);
    return {
      scrollWidth: scroller.scrollWidth,
      clientWidth: scroller.clientWidth,
      mainWidth: document.getElementById('app').getBoundingClientRect().width,
      canvases,
      clipped,
      small,
      phaseTop: phase.getBoundingClientRect().top + scroller.scrollTop,
      phaseWidth: phase.getBoundingClientRect().width,
      phaseArea: area('phase-portrait'),
      dpr: devicePixelRatio,
      notice: notice && !notice.hidden ? notice.textContent : null,
    };
  }, { minInk: MIN_INK_SHARE });
}

/** The checks every layout must pass; returns the measurements. */
async function checkLayout(label, page) {
  const m = await measure(page);
  console.log(`${label}: scroll ${m.scrollWidth}/${m.clientWidth} px, main ${Math.round(m.mainWidth)} px, phase portrait ${Math.round(m.phaseWidth)} px wide at y ${Math.round(m.phaseTop)}, ` +
    `canvases ${m.canvases.map((c) => `${c.id} ${(100 * c.share).toFixed(1)}%`).join(', ')}`);
  assert.ok(m.scrollWidth <= m.clientWidth, `${label}: the page scrolls sideways (${m.scrollWidth} > ${m.clientWidth} px)`);
  assert.deepEqual(m.canvases.filter((c) => !c.inked).map((c) => `${c.id} ${c.width}x${c.height} ${(100 * c.share).toFixed(2)}%`), [], `${label}: canvases not inked`);
  assert.ok(m.canvases.length >= 6, `${label}: only ${m.canvases.length} visible canvases`);
  assert.deepEqual(m.clipped, [], `${label}: text clipped`);
  assert.equal(m.notice, null, `${label}: a notice shows`);
  return m;
}

async function shoot(page, file, fullPage = true) {
  await mkdir(OUT, { recursive: true });
  const where = path.join(OUT, file);
  await page.screenshot({ path: where, fullPage });
  return path.relative(repoRoot, where);
}

describe('layouts: phone, laptop and projector, normal and large text', { timeout: 240_000 }, () => {
  before(async () => {
    server = await serveDir();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const measured = {};
  for (const size of Object.keys(SIZES)) {
    for (const big of [false, true]) {
      const label = `${size}-${big ? 'large' : 'normal'}`;
      test(label, { timeout: 60_000 }, async () => {
        // On the phone, large text is switched on as a visitor would: from the drawer's button.
        const viaButton = big && size === 'phone';
        const { context, page, problems } = await openPage(label, SIZES[size], big && !viaButton ? '#big=1' : '');
        try {
          if (viaButton) {
            await page.tap('#controls-toggle');
            await page.tap('#big-text');
            await page.tap('#controls-toggle');
          }
          await trained(page);
          const m = await checkLayout(label, page);
          measured[label] = m;
          console.log(`${label}: ${await shoot(page, `layout-${label}.png`)}`);
          if (size === 'phone') await checkPhone(label, page, m);
          assert.deepEqual(problems, [], `${label}: console or page errors`);
        } finally {
          await context.close();
        }
      });
    }
  }

  test('large text enlarges the text inside the plots and uses the whole width', () => {
    for (const size of ['laptop', 'projector']) {
      const [normal, large] = [measured[`${size}-normal`], measured[`${size}-large`]];
      assert.ok(normal && large, `${size}: both layouts measured`);
      // The y axis's label area scales with the text: the data start further right.
      const ratio = large.phaseArea[0] / normal.phaseArea[0];
      console.log(`${size}: phase portrait ${Math.round(normal.phaseWidth)} -> ${Math.round(large.phaseWidth)} px, left margin ×${ratio.toFixed(2)}, main ${Math.round(normal.mainWidth)} -> ${Math.round(large.mainWidth)} px`);
      assert.ok(ratio >= 1.3, `${size}: large text left the text in the plots small (margin ×${ratio.toFixed(2)})`);
      assert.ok(large.phaseWidth >= 0.97 * normal.phaseWidth, `${size}: large text shrank the plots (${normal.phaseWidth} -> ${large.phaseWidth} px)`);
      assert.ok(large.mainWidth >= 0.97 * SIZES[size].viewport.width, `${size}: large text keeps the page ${Math.round(large.mainWidth)} px wide`);
    }
  });

  test('the colour bar spans the attention shown, also after training moved it', { timeout: 60_000 }, async () => {
    // Slow training, read while it runs (paused at once), once it has converged and after a reset:
    // the bar must show the range of the attention drawn at that moment, not one from before.
    const { context, page, problems } = await openPage('colorbar', SIZES.laptop, '#steps_per_frame=5');
    try {
      const readings = [];
      for (const steps of [60, 100_000]) {
        await trained(page, steps);
        await page.click('#play'); // pause: the CSV and the bar must show the same attention
        await frames(page, 3);
        const bar = (await page.getAttribute('#phase-portrait', 'data-colorbar')).split(',').map(Number);
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
        const csv = (await readFile(await download.path(), 'utf8')).trim().split('\n');
        const col = csv[0].split(',').indexOf('attention');
        const a = csv.slice(1).map((line) => Number(line.split(',')[col]));
        const n = a.length;
        const [lo, hi] = [Math.min(...a) * n, Math.max(...a) * n];
        const epoch = await page.evaluate(() => document.getElementById('stats').dataset.epoch);
        readings.push({ epoch, bar, lo, hi });
        console.log(`colour bar at step ${epoch}: ${bar.join('–')}; attention × N ${lo.toFixed(4)}–${hi.toFixed(4)}`);
        const tol = 1e-3 * (hi - lo) + 1e-4;
        assert.ok(bar[0] <= lo + tol && bar[1] >= hi - tol, `step ${epoch}: points outside the bar ${bar} (attention × N ${lo}–${hi})`);
        assert.ok(bar[1] - bar[0] <= 1.3 * (hi - lo) + 1e-3, `step ${epoch}: the bar ${bar} is much wider than the attention ${lo}–${hi}`);
        await page.click('#play');
      }
      // Reset while paused: the attention is uniform again, and so must the bar say.
      await page.click('#play');
      await page.click('#reset');
      await frames(page, 3);
      const bar = await page.getAttribute('#phase-portrait', 'data-colorbar');
      console.log(`colour bar after Reset model (paused): ${bar}`);
      assert.equal(bar, ',uniform', 'the bar after a reset to uniform attention');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('phase-plane labels stay inside the plot, clear of each other', { timeout: 60_000 }, async () => {
    for (const size of ['phone', 'laptop']) {
      const { context, page, problems } = await openPage(`labels-${size}`, SIZES[size], '#playing=0');
      try {
        await page.evaluate(() => document.getElementById('show-nullclines').click());
        await frames(page, 3);
        const { area, labels } = await page.evaluate(() => {
          const hot = document.getElementById('phase-portrait');
          return {
            area: hot.dataset.area.split(',').map(Number),
            labels: (hot.dataset.labels || '').split(';').filter(Boolean).map((l) => {
              const [x, y, w, h, ...text] = l.split(',');
              return { x: +x, y: +y, w: +w, h: +h, text: text.join(',') };
            }),
          };
        });
        console.log(`${size}: labels ${labels.map((l) => `"${l.text}" at ${Math.round(l.x)},${Math.round(l.y)} ${Math.round(l.w)}x${Math.round(l.h)}`).join('; ')} in x ${area[0]}..${area[1]}, y ${area[2]}..${area[3]}`);
        const texts = labels.map((l) => l.text).join(' | ');
        assert.match(texts, /equilibrium.*centre/, `${size}: the equilibrium label`);
        assert.match(texts, /x = γ\/δ/, `${size}: the x nullcline's label`);
        assert.match(texts, /y = α\/β/, `${size}: the y nullcline's label`);
        for (const l of labels) {
          assert.ok(l.x >= area[0] - 0.5 && l.x + l.w <= area[1] + 0.5 && l.y >= area[2] - 0.5 && l.y + l.h <= area[3] + 0.5, `${size}: "${l.text}" leaves the plot`);
        }
        for (let i = 0; i < labels.length; i++) {
          for (let j = i + 1; j < labels.length; j++) {
            const [a, b] = [labels[i], labels[j]];
            const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
            assert.ok(!overlap, `${size}: "${a.text}" overlaps "${b.text}"`);
          }
        }
        console.log(`labels-${size}: ${await shoot(page, `labels-${size}.png`, false)}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });
});

/** The phone: plots first, the drawer by touch and keyboard, touch targets, the tooltip on screen. */
async function checkPhone(label, page, m) {
  const { height } = SIZES.phone.viewport;
  assert.ok(m.phaseTop < 0.75 * height, `${label}: the phase portrait starts ${Math.round(m.phaseTop)} px down (the plots should come first)`);
  assert.deepEqual(m.small, [], `${label}: touch targets smaller than ${TOUCH_PX} px`);
  // The drawer: closed, opened by a tap, its controls in reach and large enough, closed by Escape.
  const state = () => page.evaluate(() => ({
    expanded: document.getElementById('controls-toggle').getAttribute('aria-expanded'),
    shown: document.getElementById('controls').getClientRects().length > 0,
    focus: document.activeElement?.id,
  }));
  const closed = await state();
  assert.equal(closed.expanded, 'false', `${label}: the drawer starts closed`);
  assert.equal(closed.shown, false, `${label}: the controls show while the drawer is closed`);
  await page.tap('#controls-toggle');
  const open = await state();
  assert.equal(open.expanded, 'true', `${label}: aria-expanded after a tap`);
  assert.equal(open.shown, true, `${label}: the controls after a tap`);
  const inside = await measure(page);
  assert.ok(inside.scrollWidth <= inside.clientWidth, `${label}: the open drawer scrolls sideways`);
  assert.deepEqual(inside.small, [], `${label}: touch targets in the drawer smaller than ${TOUCH_PX} px`);
  assert.deepEqual(inside.clipped, [], `${label}: text clipped in the drawer`);
  console.log(`${label} drawer: ${await shoot(page, `layout-${label}-drawer.png`, false)}`);
  await page.focus('#system');
  await page.keyboard.press('Escape');
  const shut = await state();
  assert.equal(shut.expanded, 'false', `${label}: Escape closes the drawer`);
  assert.equal(shut.focus, 'controls-toggle', `${label}: Escape gives the focus back to the toggle`);
  await page.keyboard.press('Enter');
  assert.equal((await state()).expanded, 'true', `${label}: Enter on the toggle opens the drawer`);
  await page.keyboard.press('Enter');
  // The tooltip near the right edge stays on screen.
  const box = await page.locator('#phase-portrait').boundingBox();
  let shown = null;
  for (let fx = 0.78; fx > 0.3 && !shown; fx -= 0.04) {
    for (let fy = 0.2; fy < 0.85 && !shown; fy += 0.1) {
      await page.mouse.move(box.x + fx * box.width, box.y + fy * box.height);
      shown = await page.evaluate(() => {
        const t = document.querySelector('.tooltip');
        if (!t || t.hidden) return null;
        const r = t.getBoundingClientRect();
        return { left: r.left, right: r.right };
      });
    }
  }
  assert.ok(shown, `${label}: no tooltip over the phase portrait`);
  assert.ok(shown.left >= 0 && shown.right <= SIZES.phone.viewport.width, `${label}: the tooltip runs off the screen (${Math.round(shown.left)}..${Math.round(shown.right)})`);
}
