// The keyboard cursor (issue 14, "Accessibility"): the phase portrait and the time plot are
// focusable sliders over the samples; Left/Right move one sample, Page Up/Down a tenth of the
// run, Home/End to the ends, Escape hides the cursor; both plots mark the sample, and a polite
// live region reads the read-out the mouse tooltip shows (t, the state, attention, the measure).
// Keys the cursor uses do not reach the page's shortcuts (Space, S, R).
// Run from the repo root with `node --test tests/e2e/keyboard.test.mjs` after `make build`.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir, launchBrowser, openLab, canvasHash, poll } from './harness.mjs';

const readout = (page) => page.evaluate(() => document.getElementById('cursor-readout').textContent);
const cursorOf = (page, id) => page.evaluate((id) => document.getElementById(id).dataset.cursor, id);

describe('keyboard cursor', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let lab;

  before(async () => {
    server = await serveDir();
    browser = await launchBrowser();
    lab = await openLab(browser, server.origin, { path: '/#playing=0' });
    await lab.page.waitForSelector('#stats', { state: 'attached' });
    await lab.page.click('#step');
    await poll(() => lab.page.evaluate(() => Number(document.getElementById('stats').dataset.epoch) > 0));
  }, { timeout: 30_000 });

  after(async () => {
    await lab?.context.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
  });

  test('Tab reaches the phase portrait and the time plot, named sliders over the samples', async () => {
    const { page } = lab;
    const seen = [];
    await page.focus('#play');
    for (let k = 0; k < 120 && seen.length < 2; k++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.id);
      if (id === 'phase-portrait' || id === 'normal-derivative') seen.push(id);
    }
    assert.deepEqual(seen, ['phase-portrait', 'normal-derivative']);
    const roles = await page.evaluate(() =>
      ['phase-portrait', 'normal-derivative'].map((id) => {
        const c = document.getElementById(id);
        return [c.getAttribute('role'), c.getAttribute('aria-label').length > 10, c.getAttribute('aria-valuemax')];
      }));
    assert.deepEqual(roles, [['slider', true, '1000'], ['slider', true, '1000']]);
  });

  test('arrows, Page Up/Down, Home and End move one cursor on both plots and read it out', async () => {
    const { page } = lab;
    await page.focus('#phase-portrait');
    const before = await canvasHash(page, 'phase-portrait');
    await page.keyboard.press('Home');
    assert.match(await readout(page), /^sample 1 of 1000, t = 0\.000; prey x: observed [\d.]+, clean [\d.]+; predator y: observed [\d.]+, clean [\d.]+; attention × N = [\d.]+; ∂V\/∂n = [\d.e−]+$/);
    const marked = await poll(async () => (await canvasHash(page, 'phase-portrait')) !== before);
    assert.ok(!marked.timedOut, 'the portrait marks the sample');
    await page.keyboard.press('ArrowRight');
    assert.match(await readout(page), /^sample 2 of 1000/);
    await page.keyboard.press('PageUp');
    assert.match(await readout(page), /^sample 102 of 1000/);
    assert.equal(await cursorOf(page, 'normal-derivative'), '101', 'the time plot follows');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowLeft');
    assert.match(await readout(page), /^sample 1 of 1000/);
    await page.keyboard.press('End');
    assert.match(await readout(page), /^sample 1000 of 1000, t = 15\.000/);
    const slider = await page.evaluate(() => {
      const c = document.getElementById('phase-portrait');
      return [c.getAttribute('aria-valuenow'), c.getAttribute('aria-valuetext')];
    });
    assert.deepEqual(slider, ['1000', 'sample 1000 of 1000, t = 15.000']);
    // The visible read-out: the tooltip at the sample shows the same text.
    const tooltip = await page.evaluate(() => {
      const t = document.querySelector('.tooltip');
      return t.hidden ? null : t.textContent;
    });
    assert.equal(tooltip.replaceAll('\n', '; '), await readout(page));
    // The time plot moves the same cursor, and marks it.
    await page.focus('#normal-derivative');
    const fig5 = await canvasHash(page, 'normal-derivative');
    await page.keyboard.press('ArrowLeft');
    assert.match(await readout(page), /^sample 999 of 1000/);
    assert.equal(await cursorOf(page, 'phase-portrait'), '998');
    const moved = await poll(async () => (await canvasHash(page, 'normal-derivative')) !== fig5);
    assert.ok(!moved.timedOut, 'the time plot marks the sample');
    // The live region is polite.
    assert.equal(await page.evaluate(() => document.getElementById('cursor-readout').getAttribute('aria-live')), 'polite');
  });

  test('keys the cursor uses do not reach the shortcuts; Escape hides it; Space still plays elsewhere', async () => {
    const { page } = lab;
    await page.focus('#phase-portrait');
    await page.keyboard.press('Home');
    const pressed = () => page.evaluate(() => document.getElementById('play').getAttribute('aria-pressed'));
    assert.equal(await pressed(), 'false');
    await page.keyboard.press('Escape');
    assert.equal(await cursorOf(page, 'phase-portrait'), '');
    assert.equal(await readout(page), '');
    await page.keyboard.press('PageUp');
    assert.equal(await pressed(), 'false', 'PageUp on the plot does not play');
    assert.equal(await cursorOf(page, 'phase-portrait'), '0');
  });
});
