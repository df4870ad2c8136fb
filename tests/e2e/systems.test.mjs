// End-to-end tests of the systems, measures and models in headless Chromium: switching the system
// select rebuilds the sliders and re-draws both canvases (cold layers: axes and labels; hot
// layers: attention), for every system and every model it offers, with no console errors; a link
// carrying a system and its parameters restores them; the measure and projection selects re-draw
// what they should.
// Run from the repo root with `node --test tests/e2e/` after `make build`.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir, launchBrowser, openLab, canvasPixels, poll } from './harness.mjs';

const MIN_INKED = 500;
const CANVASES = ['phase-portrait', 'normal-derivative'];
const SYSTEMS = {
  'lotka-volterra': { own: ['alpha', 'beta', 'gamma', 'delta', 'x0', 'y0'], dim: 2 },
  pendulum: { own: ['g', 'length', 'theta0', 'omega0'], dim: 2 },
  'van-der-pol': { own: ['mu', 'x0', 'y0'], dim: 2 },
  goodwin: { own: ['hill_n', 'synthesis', 'degradation', 'x0', 'y0', 'z0'], dim: 3 },
  lorenz: { own: ['sigma_l', 'rho', 'beta_l', 'x0', 'y0', 'z0'], dim: 3 },
  rossler: { own: ['a', 'b', 'c', 'x0', 'y0', 'z0'], dim: 3 },
};

/** SHA-256 of the cold (axes and labels) canvas under the hot canvas `hotId`. */
function coldHash(page, hotId) {
  return page.evaluate(async (hotId) => {
    const cold = document.getElementById(hotId)?.closest('.plot')?.querySelector('canvas.cold');
    if (!(cold instanceof HTMLCanvasElement) || cold.width === 0) return null;
    const data = cold.getContext('2d').getImageData(0, 0, cold.width, cold.height).data;
    const digest = await crypto.subtle.digest('SHA-256', data);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, hotId);
}

/** Chooses `value` in select#id the way a user would (a bubbling `change`). */
function choose(page, id, value) {
  return page.evaluate(
    ({ id, value }) => {
      const el = document.getElementById(id);
      if (!el) throw new Error(`no #${id}`);
      el.value = value;
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return el.value;
    },
    { id, value },
  );
}

const epoch = (page) => page.evaluate(() => Number(document.getElementById('stats')?.dataset.epoch ?? NaN));
const stats = (page) => page.evaluate(() => ({ ...document.getElementById('stats')?.dataset }));
const sliderValue = (page, id) =>
  page.evaluate((id) => {
    const el = document.getElementById(id);
    return el ? Number(el.closest('.control')?.querySelector('output')?.textContent ?? el.value) : null;
  }, id);

describe('systems, measures and models', { timeout: 240_000 }, () => {
  let server;
  let browser;
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

  async function open(label, urlPath = '/') {
    const lab = await openLab(browser, server.origin, { path: urlPath });
    opened.push({ label, lab });
    await lab.page.waitForSelector('#stats', { state: 'attached', timeout: 10_000 });
    await poll(async () => (await epoch(lab.page)) > 0, { timeout: 10_000 });
    return lab;
  }

  /** Both canvases inked, and the hot layers drawn again after `since` (training moved on). */
  async function redrawn(page, before) {
    const done = await poll(
      async () => {
        const now = {};
        for (const id of CANVASES) now[id] = await coldHash(page, id);
        const changed = CANVASES.every((id) => now[id] && now[id] !== before[id]);
        const inked = [];
        for (const id of CANVASES) inked.push((await canvasPixels(page, id))?.inked ?? 0);
        return changed && inked.every((n) => n > MIN_INKED) ? { now, inked } : null;
      },
      { timeout: 8000 },
    );
    assert.ok(!done.timedOut, `the canvases were not re-drawn: ${JSON.stringify(done.value)}`);
    return done.value.now;
  }

  test('every system: the select rebuilds its sliders and re-draws both canvases; every model it offers trains', async () => {
    const lab = await open('every system');
    const { page } = lab;
    let cold = {};
    for (const id of CANVASES) cold[id] = await coldHash(page, id);
    for (const [system, { own, dim }] of Object.entries(SYSTEMS).slice(1).concat(Object.entries(SYSTEMS).slice(0, 1))) {
      assert.equal(await choose(page, 'system', system), system);
      cold = await redrawn(page, cold);
      for (const id of own) {
        assert.ok(await page.$(`input#${id}`), `${system}: no slider #${id}`);
      }
      const foreign = Object.entries(SYSTEMS)
        .filter(([name]) => name !== system)
        .flatMap(([, s]) => s.own)
        .filter((id) => !own.includes(id));
      for (const id of foreign) assert.equal(await page.$(`input#${id}`), null, `${system}: stale slider #${id}`);
      const hash = await page.evaluate(() => location.hash);
      await poll(async () => (await page.evaluate(() => location.hash)).includes(`system=${system}`), { timeout: 3000 });
      assert.ok((await page.evaluate(() => location.hash)).includes(`system=${system}`), `${system}: hash ${hash}`);
      const projectionShown = await page.evaluate(() => !document.getElementById('projection').closest('.control').hidden);
      assert.equal(projectionShown, dim === 3, `${system}: projection control shown = ${projectionShown}`);
      // Every model the system offers trains and re-draws, then back to paper-linear.
      const models = await page.evaluate(() =>
        [...document.getElementById('model').options].filter((o) => !o.disabled).map((o) => o.value),
      );
      assert.ok(models.includes('paper-linear'), `${system}: ${models}`);
      assert.equal(models.includes('oracle-inverse-variance'), ['lotka-volterra', 'pendulum'].includes(system));
      for (const model of models.filter((m) => m !== 'paper-linear').concat(['paper-linear'])) {
        assert.equal(await choose(page, 'model', model), model);
        // The session took the model (the hash is written from it), and the model trains: steps
        // taken, or (a model with nothing to learn) converged at step 0.
        const ok = await poll(async () => {
          const hashNow = await page.evaluate(() => location.hash);
          const s = await stats(page);
          const status = await page.evaluate(() => ({ ...document.getElementById('training-status')?.dataset }));
          const trains = model === 'oracle-inverse-variance'
            ? status.converged === 'true' && s.epoch === '0'
            : Number(s.epoch) > 0;
          return hashNow.includes(`model=${model}&`) && s.diverged === 'false' && trains && Number.isFinite(Number(s.loss))
            ? { ...s, status: status.status }
            : null;
        });
        assert.ok(!ok.timedOut, `${system} ${model}: ${JSON.stringify(ok.value)}`);
      }
    }
    assert.deepEqual(lab.problems, [], lab.problems.join('\n'));
  });

  test('a link with a system and its parameters restores them, and a hash edit switches system', async () => {
    const lab = await open('link', '/#system=lorenz&rho=35&x0=-3&measure=ftle&projection=1,2');
    const { page } = lab;
    assert.equal(await page.evaluate(() => document.getElementById('system').value), 'lorenz');
    assert.equal(await sliderValue(page, 'rho'), 35);
    assert.equal(await page.evaluate(() => document.getElementById('projection').value), '1,2');
    await page.evaluate(() => {
      location.hash = '#system=pendulum&theta0=1&g=4';
    });
    const applied = await poll(async () => {
      const sys = await page.evaluate(() => document.getElementById('system').value);
      return sys === 'pendulum' && (await sliderValue(page, 'theta0')) === 1 && (await sliderValue(page, 'g')) === 4;
    });
    assert.ok(!applied.timedOut, 'the hash edit was not applied with its parameters');
    // The session, not only the sliders: the hash written back carries the same values.
    await poll(async () => (await page.evaluate(() => location.hash)).includes('theta0=1&'), { timeout: 3000 });
    const hash = await page.evaluate(() => location.hash);
    assert.ok(hash.includes('theta0=1&') && hash.includes('g=4&'), hash);
    assert.deepEqual(lab.problems, [], lab.problems.join('\n'));
  });

  test('measure and projection selects re-draw the canvas they belong to', async () => {
    const lab = await open('measure', '/#system=lorenz');
    const { page } = lab;
    const before = await coldHash(page, 'normal-derivative');
    const phaseBefore = await coldHash(page, 'phase-portrait');
    await page.evaluate(() => {
      const tau = document.getElementById('tau');
      tau.value = '2';
      tau.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const legend = await poll(async () => (await coldHash(page, 'normal-derivative')) !== before);
    assert.ok(!legend.timedOut, 'a new τ did not re-draw the FTLE plot');
    await choose(page, 'projection', '0,1');
    const moved = await poll(async () => (await coldHash(page, 'phase-portrait')) !== phaseBefore);
    assert.ok(!moved.timedOut, 'a new projection did not re-draw the phase portrait');
    // ∂V/∂n is not offered for Lorenz; on Lotka–Volterra, switching to FTLE changes the metrics.
    const disabled = await page.evaluate(() => document.querySelector('#measure option[value="dv-dn"]').disabled);
    assert.equal(disabled, true);
    await choose(page, 'system', 'lotka-volterra');
    await poll(async () => (await page.evaluate(() => document.getElementById('measure').value)) === 'dv-dn');
    const pause = await page.$('#play');
    if ((await pause.textContent()) === 'Pause') await pause.click();
    await poll(async () => (await stats(page)).pearson !== undefined);
    const r1 = (await stats(page)).pearson;
    await choose(page, 'measure', 'ftle');
    const changed = await poll(async () => (await stats(page)).pearson !== r1);
    assert.ok(!changed.timedOut, `Pearson r did not change with the measure (${r1})`);
    assert.deepEqual(lab.problems, [], lab.problems.join('\n'));
  });
});
