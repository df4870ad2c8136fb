// "Record a clip" (issue 14, section 6): the Record button records the phase portrait and the
// sensitivity plot as a WebM video, counts down its time limit on the button, stops on a second
// press (or at the limit) and offers lyapunov-lens-<system>.webm as a download; without
// MediaRecorder the button is disabled with the reason. The Blob the page builds is observed by
// wrapping URL.createObjectURL; the download by playwright's download event.
// Run from the repo root with `node --test tests/e2e/record.test.mjs` after `make build`.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveDir, launchBrowser, openLab, frames } from './harness.mjs';

/** Records the type and size of every Blob turned into an object URL, in window.__blobs. */
function watchBlobs() {
  window.__blobs = [];
  const original = URL.createObjectURL;
  URL.createObjectURL = function (obj) {
    if (obj instanceof Blob) window.__blobs.push({ type: obj.type, size: obj.size });
    return original.call(this, obj);
  };
}

const EBML_MAGIC = '1a45dfa3'; // every WebM (Matroska) file starts with it

let server;
let browser;

async function button(page) {
  return page.evaluate(() => {
    const b = document.getElementById('record-clip');
    return {
      text: b.textContent,
      pressed: b.getAttribute('aria-pressed'),
      disabled: b.disabled,
      why: document.getElementById('record-clip-why')?.textContent ?? '',
      whyHidden: document.getElementById('record-clip-why')?.hidden,
      status: document.getElementById('record-status')?.textContent ?? '',
    };
  });
}

async function expectWebm(page, download, label) {
  const file = await readFile(await download.path());
  const blobs = await page.evaluate(() => window.__blobs.filter((b) => b.type.startsWith('video/')));
  console.log(`${label}: ${download.suggestedFilename()}, ${file.length} bytes, magic ${file.subarray(0, 4).toString('hex')}; blobs ${JSON.stringify(blobs)}`);
  assert.equal(download.suggestedFilename(), 'lyapunov-lens-lotka-volterra.webm');
  assert.ok(file.length > 0, 'the downloaded clip is empty');
  assert.equal(file.subarray(0, 4).toString('hex'), EBML_MAGIC, 'the download is not a WebM file');
  assert.equal(blobs.length, 1, 'one video Blob');
  assert.equal(blobs[0].type, 'video/webm');
  assert.ok(blobs[0].size > 0, 'the video Blob is empty');
  return file.length;
}

describe('Record a clip', { timeout: 120_000 }, () => {
  before(async () => {
    server = await serveDir();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('record, count down, stop: a WebM download', { timeout: 30_000 }, async () => {
    const lab = await openLab(browser, server.origin, { initScript: watchBlobs });
    const { page } = lab;
    try {
      await frames(page, 5);
      const idle = await button(page);
      assert.equal(idle.disabled, false, `the button is disabled: ${idle.why}`);
      assert.equal(idle.text, 'Record a clip');
      await page.click('#record-clip');
      await frames(page, 2);
      const started = await button(page);
      assert.match(started.text, /^Stop \(20 s left\)$/);
      assert.equal(started.pressed, 'true');
      await page.waitForTimeout(1500);
      const counting = await button(page);
      assert.match(counting.text, /^Stop \(1[89] s left\)$/, 'the countdown moves');
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click('#record-clip')]);
      const bytes = await expectWebm(page, download, 'stopped');
      await frames(page, 3);
      const after = await button(page);
      assert.equal(after.text, 'Record a clip');
      assert.equal(after.pressed, 'false');
      assert.match(after.status, /^Saved lyapunov-lens-lotka-volterra\.webm \(\d+ kB\)/);
      console.log(`status: ${after.status} (${bytes} bytes)`);
      assert.deepEqual(lab.problems, []);
    } finally {
      await lab.context.close();
    }
  });

  test('a recording stops by itself at the 20 s limit', { timeout: 45_000 }, async () => {
    const lab = await openLab(browser, server.origin, { initScript: watchBlobs });
    const { page } = lab;
    try {
      await frames(page, 5);
      const t0 = Date.now();
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('#record-clip')]);
      const seconds = (Date.now() - t0) / 1000;
      console.log(`stopped by itself after ${seconds.toFixed(1)} s`);
      assert.ok(seconds >= 19.5 && seconds < 26, `the clip stopped after ${seconds} s`);
      await expectWebm(page, download, 'at the limit');
      assert.equal((await button(page)).text, 'Record a clip');
      assert.deepEqual(lab.problems, []);
    } finally {
      await lab.context.close();
    }
  });

  test('without MediaRecorder the button is disabled with the reason', { timeout: 20_000 }, async () => {
    const lab = await openLab(browser, server.origin, { initScript: () => { delete window.MediaRecorder; } });
    try {
      await frames(lab.page, 3);
      const b = await button(lab.page);
      console.log(`no MediaRecorder: disabled ${b.disabled}, "${b.why}"`);
      assert.equal(b.disabled, true);
      assert.match(b.why, /cannot record video/);
      assert.equal(b.whyHidden, false, 'the reason is shown');
      assert.deepEqual(lab.problems, []);
    } finally {
      await lab.context.close();
    }
  });
});
