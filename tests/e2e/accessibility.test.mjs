// Accessibility of the page in headless Chromium (issue 14, items 6, 9, 11 and "Accessibility"):
// axe-core (npm, pinned in .ci/setup, evaluated in the page over the DevTools protocol) reports zero violations on
// every system and in large-text mode, with the explanations open; disabled controls on 3-D
// systems say why, visibly; captions and "What am I looking at?" follow the system; the
// perturbation panel forgets its curves on a new system and never writes an empty clause; every
// number on the page has a true minus sign; disabled head options give their reason; every
// canvas has a description, rewritten at most once a second; prefers-reduced-motion opens the
// page paused and spaces redraws; the audio trace schedules its voices up front, stops, and is
// disabled with a reason without Web Audio.
// Run from the repo root with `node --test tests/e2e/accessibility.test.mjs` after `make build`.

import { readFile } from 'node:fs/promises';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { serveDir, launchBrowser, openLab, poll, toolsDir, canvasHash, canvasPixels } from './harness.mjs';

const AXE = path.join(toolsDir, 'node', 'node_modules', 'axe-core', 'axe.min.js');
const SYSTEMS = ['lotka-volterra', 'pendulum', 'van-der-pol', 'goodwin', 'lorenz', 'rossler'];
const CANVASES = ['phase-portrait', 'normal-derivative', 'loss', 'perturbation', 'kick-deciles'];

const epoch = (page) => page.evaluate(() => Number(document.getElementById('stats')?.dataset.epoch ?? NaN));

/** Chooses `value` in select#id the way a user would (a bubbling `change`). */
function choose(page, id, value) {
  return page.evaluate(
    ({ id, value }) => {
      const el = document.getElementById(id);
      el.value = value;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { id, value },
  );
}

/** axe-core's violations on the whole page, as "rule: targets" lines. */
async function axeViolations(page) {
  // The page's CSP refuses inline and injected scripts (as it should): axe's source is evaluated
  // through the DevTools protocol instead, which the CSP does not govern.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(`${await readFile(AXE, 'utf8')}\n;void 0`);
  }
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ')}`,
    );
  });
}

/**
 * Every piece of text a person may be given, where a number could sit: the visible text, and the
 * aria-label, aria-valuetext and title attributes.
 */
function pageTexts(page) {
  return page.evaluate(() => {
    const out = [document.body.innerText];
    for (const el of document.querySelectorAll('[aria-label], [aria-valuetext], [title]')) {
      for (const a of ['aria-label', 'aria-valuetext', 'title']) if (el.hasAttribute(a)) out.push(el.getAttribute(a));
    }
    for (const el of document.querySelectorAll('.sr-only')) out.push(el.textContent);
    return out;
  });
}

describe('accessibility', { timeout: 300_000 }, () => {
  let server;
  let browser;
  const contexts = [];

  before(async () => {
    assert.ok(existsSync(AXE), `axe-core is missing at ${AXE} (run make setup)`);
    server = await serveDir();
    browser = await launchBrowser();
  }, { timeout: 30_000 });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
  });

  async function open(urlPath, options = {}) {
    const lab = await openLab(browser, server.origin, { path: urlPath, ...options });
    contexts.push(lab.context);
    await lab.page.waitForSelector('#stats', { state: 'attached', timeout: 10_000 });
    return lab;
  }

  test('axe-core reports zero violations on every system, and in large-text mode', async () => {
    const report = [];
    for (const system of SYSTEMS) {
      for (const big of [false, true]) {
        const { page, problems, context } = await open(`/#system=${system}${big ? '&big=1' : ''}`);
        await poll(async () => (await epoch(page)) > 0, { timeout: 10_000 });
        // The explanations and "Kick the clock" open, a cursor on the portrait.
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        await page.focus('#phase-portrait');
        await page.keyboard.press('End');
        await page.waitForTimeout(400);
        const violations = await axeViolations(page);
        report.push(`${system}${big ? ' (large text)' : ''}: ${violations.length}`);
        assert.deepEqual(violations, [], `${system}${big ? ' in large text' : ''}`);
        assert.deepEqual(problems, []);
        await context.close();
      }
    }
    console.log(`axe violations: ${report.join(', ')}`);
  });

  test('3-D systems: disabled controls say why (tooltip and visible description); captions and the explanation follow the system', async () => {
    const { page } = await open('/#system=lorenz&playing=0');
    const controls = ['perturb', 'epsilon', 'horizon', 'show-direction-field', 'show-nullclines', 'import-csv'];
    for (const id of controls) {
      const c = await page.evaluate((id) => {
        const el = document.getElementById(id);
        const why = document.getElementById(el.getAttribute('aria-describedby') ?? '');
        return {
          disabled: el.disabled,
          title: el.title,
          why: why?.textContent ?? null,
          whyVisible: !!why && !why.hidden && why.offsetParent !== null,
        };
      }, id);
      assert.ok(c.disabled, `#${id} is disabled`);
      assert.match(c.title, /Lorenz/, `#${id}'s tooltip gives the reason: ${c.title}`);
      assert.ok(c.whyVisible, `#${id}'s reason is visible`);
      assert.ok(c.why.includes(c.title) || c.title.includes('Lorenz'), `#${id}: ${c.why}`);
    }
    assert.equal(await page.evaluate(() => document.getElementById('perturb-click-hint').hidden), true, 'no "click a dot to kick" hint in 3-D');
    const words = await page.evaluate(() => ({
      phase: document.getElementById('phase-portrait').closest('figure').querySelector('figcaption').textContent,
      time: document.getElementById('normal-derivative').closest('figure').querySelector('figcaption').textContent,
      labels: [...document.querySelectorAll('canvas[aria-label]')].map((c) => c.getAttribute('aria-label')).join(' | '),
      explain: document.getElementById('explain-system').textContent,
    }));
    assert.doesNotMatch(words.phase, /level sets|kick/, words.phase);
    assert.match(words.phase, /Lorenz/);
    assert.doesNotMatch(words.time, /∂V\/∂n \(steepness|normal derivative of V/, words.time);
    assert.match(words.time, /FTLE/);
    assert.doesNotMatch(words.labels, /level sets of V|normal derivative of V/, words.labels);
    assert.match(words.explain, /Lorenz/);
    assert.doesNotMatch(words.explain, /predator|prey/, words.explain);

    // Back on Lotka–Volterra: everything applies again, V's level sets are named.
    await choose(page, 'system', 'lotka-volterra');
    await poll(() => page.evaluate(() => !document.getElementById('perturb').disabled));
    const lv = await page.evaluate(() => ({
      enabled: ['perturb', 'epsilon', 'horizon', 'show-direction-field', 'show-nullclines', 'import-csv'].every(
        (id) => !document.getElementById(id).disabled && !document.getElementById(id).title.includes('Lorenz'),
      ),
      hint: document.getElementById('perturb-click-hint').hidden,
      caption: document.getElementById('phase-portrait').closest('figure').querySelector('figcaption').textContent,
      explain: document.getElementById('explain-system').textContent,
    }));
    assert.ok(lv.enabled);
    assert.equal(lv.hint, false);
    assert.match(lv.caption, /level sets/);
    assert.match(lv.explain, /predator/);
  });

  test('the perturbation panel forgets its curves on a new system and never writes an empty clause', async () => {
    const { page } = await open('/#system=van-der-pol');
    await poll(async () => (await epoch(page)) >= 100, { timeout: 15_000 });
    await page.click('#perturb');
    await poll(() => page.evaluate(() => document.getElementById('perturbation-result').hasAttribute('data-ratio')));
    const before = await page.evaluate(() => document.getElementById('perturbation-result').textContent);
    assert.match(before, /Highest attention/);
    assert.doesNotMatch(before, /,\s*[.,;]|\(\s*\)|\s[.,;]/, `an empty clause: ${before}`);
    const inked = (await canvasPixels(page, 'perturbation')).inked;
    await choose(page, 'system', 'lorenz');
    await poll(() => page.evaluate(() => !document.getElementById('perturbation-result').hasAttribute('data-ratio')));
    const after = await page.evaluate(() => document.getElementById('perturbation-result').textContent);
    assert.doesNotMatch(after, /Highest attention|deviation/, after);
    assert.match(after, /No normal kick on the Lorenz/);
    assert.ok((await canvasPixels(page, 'perturbation')).inked < inked, 'the kicked curves are gone');
    // Clicked points too: every system's result line reads without gaps.
    for (const system of ['lotka-volterra', 'pendulum']) {
      await choose(page, 'system', system);
      await poll(async () => (await epoch(page)) >= 30, { timeout: 10_000 });
      await page.click('#perturb');
      await poll(() => page.evaluate(() => document.getElementById('perturbation-result').hasAttribute('data-ratio')));
      const text = await page.evaluate(() => document.getElementById('perturbation-result').textContent);
      assert.doesNotMatch(text, /,\s*[.,;]|\(\s*\)|\s[.,;]/, `${system}: ${text}`);
    }
  });

  test('every number on the page has a true minus sign; disabled head options give their reason', async () => {
    const found = [];
    for (const system of SYSTEMS) {
      const { page, context } = await open(`/#system=${system}`);
      await poll(async () => (await epoch(page)) >= 60, { timeout: 15_000 });
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      if (await page.evaluate(() => !document.getElementById('perturb').disabled)) await page.click('#perturb');
      await page.click('#kick-all');
      await page.waitForTimeout(1200);
      const texts = await pageTexts(page);
      const hyphens = texts.flatMap((t) => (t ?? '').match(/(?:^|[\s(=,:;\[])-\d[\d.]*|\de-\d+/g) ?? []);
      found.push(...hyphens.map((h) => `${system}: ${h}`));
      await context.close();
    }
    assert.deepEqual(found, [], 'numbers written with a hyphen-minus');
    const { page } = await open('/#model=self-attention&heads=2&playing=0');
    const heads = await page.evaluate(() => {
      const s = document.getElementById('head');
      const why = document.getElementById(s.getAttribute('aria-describedby'));
      return {
        options: [...s.options].map((o) => ({ disabled: o.disabled, title: o.title })),
        why: why.hidden ? null : why.textContent,
      };
    });
    assert.deepEqual(heads.options.map((o) => o.disabled), [false, false, false, true, true]);
    for (const o of heads.options.slice(3)) assert.match(o.title, /the model has 2 heads/);
    assert.match(heads.why, /the model has 2 heads/);
    await choose(page, 'model', 'paper-linear');
    await poll(() => page.evaluate(() => document.getElementById('head').disabled));
    const why = await page.evaluate(() => document.getElementById('head-why').textContent);
    assert.match(why, /only the self-attention model has heads/);
  });

  test('every canvas has a description with the run\'s key facts, rewritten at most once a second', async () => {
    // Self-attention trains for a long time: the facts keep changing.
    const { page } = await open('/#model=self-attention', {
      initScript: () => {
        window.__descriptionWrites = 0;
        new MutationObserver((records) => {
          for (const r of records) {
            const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            if (el && el.id === 'phase-portrait-description') window.__descriptionWrites++;
          }
        }).observe(document, { subtree: true, childList: true, characterData: true });
      },
    });
    await poll(async () => (await epoch(page)) >= 5, { timeout: 15_000 });
    const start = await page.evaluate(() => window.__descriptionWrites);
    await page.waitForTimeout(4000);
    const writes = (await page.evaluate(() => window.__descriptionWrites)) - start;
    console.log(`phase-portrait description rewritten ${writes} times in 4 s of training`);
    assert.ok(writes >= 2 && writes <= 5, `rewritten ${writes} times in 4 s`);
    const described = await page.evaluate((ids) =>
      ids.map((id) => {
        const c = document.getElementById(id);
        const d = document.getElementById(c.getAttribute('aria-describedby') ?? '');
        return { id, text: d?.textContent ?? '' };
      }), CANVASES);
    for (const { id, text } of described) assert.ok(text.length > 20, `#${id} is described: "${text}"`);
    const time = described.find((d) => d.id === 'normal-derivative').text;
    assert.match(time, /Attention peaks at t = [\d.]+, where ∂V\/∂n is (near its minimum|near its maximum|in the middle of its range)/, time);
    console.log(`time plot: ${time}`);
    assert.match(described[0].text, /highest at t = /);
    assert.match(described.find((d) => d.id === 'loss').text, /at step \d+/);
  });

  test('prefers-reduced-motion: the page opens paused, says why, and spaces its redraws while playing', async () => {
    const lab = await openLab(browser, server.origin, { path: '/' });
    contexts.push(lab.context);
    await lab.context.close();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce', serviceWorkers: 'block' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(server.origin + '/');
    await page.waitForSelector('#stats', { state: 'attached' });
    await page.waitForTimeout(1500);
    const state = await page.evaluate(() => ({
      pressed: document.getElementById('play').getAttribute('aria-pressed'),
      epoch: Number(document.getElementById('stats').dataset.epoch),
      notice: document.getElementById('notice').textContent,
      transition: getComputedStyle(document.getElementById('play')).transitionDuration,
    }));
    assert.equal(state.pressed, 'false');
    assert.equal(state.epoch, 0);
    assert.match(state.notice, /reduced motion/);
    // Playing (self-attention: training keeps moving), the portrait is redrawn at most twice a
    // second; without the preference, every frame.
    const portraits = async (p) => {
      const hashes = new Set();
      const t0 = Date.now();
      while (Date.now() - t0 < 3000) {
        hashes.add(await canvasHash(p, 'phase-portrait'));
        await p.waitForTimeout(50);
      }
      return hashes.size;
    };
    await page.goto(server.origin + '/#model=self-attention&playing=1');
    await page.reload();
    await poll(async () => (await epoch(page)) > 0, { timeout: 10_000 });
    const reduced = await portraits(page);
    const normal = await open('/#model=self-attention&playing=1');
    await poll(async () => (await epoch(normal.page)) > 0, { timeout: 10_000 });
    const every = await portraits(normal.page);
    console.log(`distinct portraits in 3 s of training: ${reduced} with reduced motion, ${every} without`);
    assert.ok(reduced <= 8, `${reduced} redraws in 3 s`);
    assert.ok(every > reduced, `without the preference ${every}, with it ${reduced}`);
    await normal.context.close();
    assert.ok((await epoch(page)) > 0, 'it trains');
    // A link that says playing=1 plays.
    const other = await context.newPage();
    await other.goto(server.origin + '/#playing=1');
    await poll(async () => (await epoch(other)) > 0, { timeout: 10_000 });
  });

  test('the audio trace schedules both voices up front and stops; without Web Audio it is disabled with its reason', async () => {
    const { page, problems } = await open('/#playing=0', {
      initScript: () => {
        window.__ramps = 0;
        const ramp = AudioParam.prototype.linearRampToValueAtTime;
        AudioParam.prototype.linearRampToValueAtTime = function (...args) {
          window.__ramps++;
          return ramp.apply(this, args);
        };
      },
    });
    await page.click('#step');
    await page.click('#audio-trace');
    const playing = await page.evaluate(() => ({
      playing: document.getElementById('audio-trace').dataset.playing,
      notes: Number(document.getElementById('audio-trace').dataset.notes),
      ramps: window.__ramps,
      text: document.getElementById('audio-trace').textContent,
    }));
    console.log(`audio trace: ${playing.notes} notes, ${playing.ramps} ramps scheduled at the click`);
    assert.equal(playing.playing, 'true');
    assert.equal(playing.text, 'Stop audio trace');
    assert.ok(playing.ramps >= 2 * playing.notes, `${playing.ramps} ramps for ${playing.notes} notes`);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.__ramps), playing.ramps, 'nothing is scheduled per frame');
    await page.click('#audio-trace');
    assert.equal(await page.evaluate(() => document.getElementById('audio-trace').dataset.playing), 'false');
    // Played to the end, the button comes back by itself.
    await page.click('#audio-trace');
    await poll(() => page.evaluate(() => document.getElementById('audio-trace').dataset.playing === 'false'), { timeout: 8000 });
    assert.deepEqual(problems, []);

    const silent = await open('/#playing=0', {
      initScript: () => {
        delete window.AudioContext;
        delete window.webkitAudioContext;
      },
    });
    const button = await silent.page.evaluate(() => {
      const b = document.getElementById('audio-trace');
      const why = document.getElementById(b.getAttribute('aria-describedby'));
      return { disabled: b.disabled, title: b.title, why: why.hidden ? null : why.textContent };
    });
    assert.ok(button.disabled);
    assert.match(button.title, /no Web Audio/);
    assert.match(button.why, /no Web Audio/);
  });
});
