// End-to-end tests of "Kick the clock" and the phase-response measure (issue 13) in headless
// Chromium: for Van der Pol and Goodwin (links `#system=…&measure=prc`) the page computes the
// PRC, its period and Z at a phase equal the CLI's (`prc --format json`), a click on the curve
// and the keyboard kick the clock, the measured shift has the sign of the PRC's prediction and
// equals the CLI's direct method; the PRC is computed only when asked for; on Lotka–Volterra and
// Lorenz the panel is disabled with the reason; no console errors.
// Run from the repo root with `node --test tests/e2e/` after `make build` (dist/) and
// `cargo build` (target/debug/lyapunov-lens). What each check means: tests/e2e/README.md.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { serveDir, launchBrowser, openLab, poll, cliPath, repoRoot } from './harness.mjs';

const OUT_DIR = path.join(repoRoot, 'tests', 'e2e', 'out');
/** Z and the period against the CLI's: the same computation, natively and in wasm. */
const CLI_RTOL = 1e-9;
/** The shift against the CLI's direct method on a 20-phase grid (its cycle's grid may differ). */
const SHIFT_ATOL = 1e-6;
/** Phases of the CLI's direct run: the clicked phase is a multiple of 1/DIRECT_POINTS. */
const DIRECT_POINTS = 20;

function runCli(args) {
  if (!existsSync(cliPath)) assert.fail(`CLI not found at ${cliPath} (cargo build, or set LL_CLI)`);
  return new Promise((resolve, reject) => {
    execFile(cliPath, args, { timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cliPath} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

const hexToRgb = (hex) => {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
};

describe('Kick the clock: the phase response curve and kicks at a phase', { timeout: 300_000 }, () => {
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

  async function open(label, urlPath) {
    const lab = await openLab(browser, server.origin, { path: urlPath });
    opened.push({ label, lab });
    const r = await poll(() => lab.page.evaluate(() => (document.getElementById('stats')?.dataset.epoch ?? '') !== ''), { timeout: 10_000 });
    assert.ok(!r.timedOut, `${label}: the page never wrote #stats`);
    return lab.page;
  }
  const data = (page, id) => page.evaluate((id) => ({ ...document.getElementById(id)?.dataset }), id);
  const text = (page, id) => page.evaluate((id) => (document.getElementById(id)?.textContent ?? '').trim(), id);

  /** Waits for `#clock-kick[data-state]` to be one of `states`. */
  async function state(page, label, states, timeout = 20_000) {
    const r = await poll(async () => states.includes((await data(page, 'clock-kick')).state), { timeout, interval: 50 });
    const d = await data(page, 'clock-kick');
    assert.ok(!r.timedOut, `${label}: #clock-kick data-state is ${d.state}, not ${states.join('/')} (status: ${await text(page, 'clock-status')})`);
    return d;
  }

  /** Pixels of `layer` ('hot' or 'cold') of the plot whose hot canvas is #id within 40 of each colour. */
  function colourCounts(page, id, layer, colours) {
    return page.evaluate(({ id, layer, colours }) => {
      const hot = document.getElementById(id);
      const canvas = layer === 'hot' ? hot : hot.parentElement.querySelector('canvas.cold');
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const counts = colours.map(() => 0);
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 200) continue;
        colours.forEach((c, k) => {
          const d = Math.hypot(data[i] - c[0], data[i + 1] - c[1], data[i + 2] - c[2]);
          if (d <= 40) counts[k]++;
        });
      }
      return counts;
    }, { id, layer, colours });
  }

  /** Clicks the PRC at phase `theta` (through the plotting area's CSS edges the canvas states). */
  async function clickPhase(page, theta) {
    const d = await data(page, 'prc');
    const left = Number(d.plotLeft), right = Number(d.plotRight);
    assert.ok(right > left + 100, `#prc plotting area ${left}..${right}`);
    const box = await page.locator('#prc').boundingBox();
    await page.locator('#prc').click({ position: { x: left + theta * (right - left), y: box.height / 2 } });
  }

  /** Waits until `#clock-result` reports a kick other than `before` (its data-theta + data-shift). */
  async function nextKick(page, label, before) {
    const key = (d) => `${d.theta}|${d.shift}|${d.epsilon}`;
    const r = await poll(async () => {
      const d = await data(page, 'clock-result');
      return d.shift !== undefined && d.shift !== '' && key(d) !== before;
    }, { timeout: 20_000, interval: 50 });
    const d = await data(page, 'clock-result');
    assert.ok(!r.timedOut, `${label}: no new kick in #clock-result (${JSON.stringify(d)}; ${await text(page, 'clock-result')})`);
    return { ...d, key: key(d) };
  }

  /** The checks for one limit-cycle system. */
  async function limitCycle(system, label) {
    const link = `#system=${system}&measure=prc`;
    const page = await open(label, '/' + link);
    assert.equal(await page.evaluate(() => document.getElementById('measure').value), 'prc', `${label}: the link's measure was not taken`);
    // The link's measure is computed over frames ("Computing …" meanwhile): wait for it.
    const fig5Label = () => page.evaluate(() => document.getElementById('normal-derivative').getAttribute('aria-label'));
    await poll(async () => /\|Z\|/.test(await fig5Label()), { timeout: 10_000 });
    const fig5 = await fig5Label();
    assert.match(fig5, /\|Z\|/, `${label}: the right-hand plot's label does not name |Z|: ${fig5}`);
    const ready = await state(page, label, ['ready']);
    assert.equal(await page.evaluate(() => document.getElementById('clock-kick').open), true, `${label}: the panel did not open for measure=prc`);
    const cycleMs = Number(ready.cycleMs), prcMs = Number(ready.prcMs);
    assert.ok(cycleMs >= 0 && prcMs >= 0, `${label}: timings ${ready.cycleMs}, ${ready.prcMs}`);

    // The period and Z at a phase, against the CLI's adjoint PRC.
    const cli = await runCli(['prc', '--system', system, '--format', 'json']);
    const prc = await data(page, 'prc');
    assert.equal(Number(prc.points), cli.points.length, `${label}: phases on the grid`);
    const period = Number(prc.period);
    const relPeriod = Math.abs(period - cli.period) / cli.period;
    assert.ok(relPeriod <= CLI_RTOL, `${label}: period ${period} vs the CLI's ${cli.period}`);
    const status = await text(page, 'clock-status');
    assert.ok(status.includes(`T = ${Number(cli.period.toPrecision(5))}`), `${label}: the status does not show T = ${cli.period.toPrecision(5)}: ${status}`);
    await page.locator('#prc').focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    const at30 = await data(page, 'prc');
    assert.equal(Number(at30.theta), 0.3, `${label}: 30 × ArrowRight from θ = 0 gives data-theta ${at30.theta}`);
    const zPage = at30.z.split(',').map(Number), zCli = cli.points[30].z;
    const zScale = Math.max(...cli.points.flatMap((p) => p.z.map(Math.abs)));
    const zDiff = Math.max(...zCli.map((z, i) => Math.abs(zPage[i] - z)));
    assert.ok(zDiff <= CLI_RTOL * zScale, `${label}: Z(0.3) ${zPage} vs the CLI's ${zCli}`);
    const valueText = await page.evaluate(() => document.getElementById('prc').getAttribute('aria-valuetext'));
    assert.match(valueText, /^θ = 0\.30, Z\/T = /, `${label}: aria-valuetext ${valueText}`);
    const curve = await colourCounts(page, 'prc', 'cold', [hexToRgb(prc.curveColor)]);
    assert.ok(curve[0] > 300, `${label}: only ${curve[0]} pixels of the PRC curve's colour`);

    // A click at the phase of the largest |Z| of the first variable on the CLI's 20-phase grid.
    const step = cli.points.length / DIRECT_POINTS;
    let j = 0;
    for (let i = 0; i < cli.points.length; i += step) if (Math.abs(cli.points[i].z[0]) > Math.abs(cli.points[j].z[0])) j = i;
    const theta = cli.points[j].theta;
    await clickPhase(page, theta);
    const kick = await nextKick(page, label, '');
    assert.equal(Number(kick.theta), theta, `${label}: clicked θ = ${theta}, kicked at ${kick.theta}`);
    const epsilon = Number(kick.epsilon), shift = Number(kick.shift), predicted = Number(kick.predicted);
    const expected = (epsilon * cli.points[j].z[0]) / cli.period;
    assert.ok(Math.abs(predicted - expected) <= CLI_RTOL * Math.abs(expected), `${label}: predicted ${predicted} vs ε·Z/T from the CLI ${expected}`);
    assert.ok(shift !== 0 && Math.sign(shift) === Math.sign(predicted), `${label}: measured shift ${shift} and prediction ${predicted} differ in sign`);
    const words = await text(page, 'clock-result');
    assert.ok(words.includes(shift > 0 ? 'advances the clock' : 'delays the clock'), `${label}: ${words}`);
    assert.ok(words.includes(`θ = ${theta.toFixed(2)}`), `${label}: the result does not name θ = ${theta.toFixed(2)}: ${words}`);
    const direct = await runCli(['prc', '--system', system, '--method', 'direct', '--variable', '0', '--epsilon', String(epsilon), '--points', String(DIRECT_POINTS), '--format', 'json']);
    const row = direct.points[j / step];
    assert.ok(Math.abs(row.theta - theta) < 1e-9, `${label}: the CLI's row ${j / step} is at θ = ${row.theta}`);
    assert.ok(Math.abs(row.shift - shift) <= SHIFT_ATOL, `${label}: the page's shift ${shift} vs the CLI's direct ${row.shift}`);
    const [unkicked, kicked] = await colourCounts(page, 'clock-orbit', 'hot', [[0x7a, 0x7a, 0x85], [0xd5, 0x5e, 0x00]]);
    assert.ok(unkicked > 300 && kicked > 300, `${label}: oscillation plot has ${unkicked} unkicked and ${kicked} kicked pixels`);
    const dots = await colourCounts(page, 'prc', 'hot', [hexToRgb(prc.kickColor)]);
    assert.ok(dots[0] > 20, `${label}: no measured kick drawn on the PRC (${dots[0]} pixels)`);

    // The keyboard: one phase on, Enter kicks there.
    await page.locator('#prc').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const keyed = await nextKick(page, label, kick.key);
    assert.equal(Number(keyed.theta), Math.round((theta + 0.01) * 100) / 100, `${label}: the keyboard kick's θ`);
    assert.ok(Math.sign(Number(keyed.shift)) === Math.sign(Number(keyed.predicted)), `${label}: keyboard kick: shift ${keyed.shift}, predicted ${keyed.predicted}`);
    const summary = await text(page, 'clock-summary');
    assert.match(summary, /largest advance/, `${label}: summary ${summary}`);

    console.log(
      `(${label}) T = ${period} (CLI ${cli.period}, rel ${relPeriod.toExponential(1)}); Z(0.3) max diff ${zDiff.toExponential(1)}; ` +
        `kick ε = ${epsilon.toPrecision(3)} at θ = ${theta}: shift ${shift.toPrecision(4)} (CLI direct ${row.shift.toPrecision(4)}), predicted ${predicted.toPrecision(4)}\n` +
        `    in this browser: cycle ${cycleMs} ms + adjoint ${prcMs} ms = ${(cycleMs + prcMs).toFixed(1)} ms; one kick ${(await data(page, 'clock-kick')).kickMs} ms\n    ${words}`,
    );
    await mkdir(OUT_DIR, { recursive: true });
    await page.locator('#clock-kick').screenshot({ path: path.join(OUT_DIR, `clock-${system}.png`) });
  }

  test('(a) Van der Pol: the PRC equals the CLI\'s; clicked and keyed kicks shift the clock with the predicted sign', async () => {
    await limitCycle('van-der-pol', 'a');
  });

  test('(b) Goodwin: the same', async () => {
    await limitCycle('goodwin', 'b');
  });

  test('(c) the PRC is computed only when asked for: closed panel, nothing computed; picking the measure opens it; a new system starts it over', async () => {
    const page = await open('c', '/#system=van-der-pol');
    await page.waitForTimeout(500);
    const idle = await data(page, 'clock-kick');
    assert.equal(idle.state, 'idle', 'c: data-state before opening');
    assert.equal(idle.cycleMs, undefined, 'c: a cycle was located with the panel closed');
    const option = await page.evaluate(() => document.querySelector('#measure option[value=prc]').disabled);
    assert.equal(option, false, 'c: the prc option is disabled on Van der Pol');
    await page.selectOption('#measure', 'prc');
    await state(page, 'c', ['ready']);
    assert.equal(await page.evaluate(() => document.getElementById('clock-kick').open), true, 'c: picking the measure did not open the panel');
    const vdp = Number((await data(page, 'prc')).period);

    // With the panel open, a new system starts it over: Goodwin's cycle, then Lotka–Volterra's refusal.
    await page.selectOption('#system', 'goodwin');
    const r = await poll(async () => {
      const d = await data(page, 'prc');
      return (await data(page, 'clock-kick')).state === 'ready' && d.period !== undefined && Number(d.period) !== vdp;
    }, { timeout: 20_000 });
    assert.ok(!r.timedOut, `c: no Goodwin PRC after switching system (state ${(await data(page, 'clock-kick')).state})`);
    const cli = await runCli(['prc', '--system', 'goodwin', '--format', 'json']);
    assert.equal(Number((await data(page, 'prc')).period), cli.period, 'c: Goodwin period after the switch');
    const names = await page.evaluate(() => [...document.getElementById('clock-variable').options].map((o) => o.textContent));
    assert.deepEqual(names, cli.state_names, 'c: the kick variables after the switch');
    await page.selectOption('#system', 'lotka-volterra');
    await state(page, 'c', ['disabled']);
    const stale = await data(page, 'prc');
    assert.equal(stale.period, undefined, 'c: Lotka–Volterra keeps the Goodwin period on #prc');
    assert.match(await text(page, 'prc-run-text'), /no asymptotic phase/, 'c: the explanation for this run');
  });

  test('(d) Lotka–Volterra and Lorenz: the panel is disabled with the reason; the prc measure is refused with it', async () => {
    for (const [label, link, reason] of [
      ['lotka-volterra', '/', /conserved quantity V.*no asymptotic phase/s],
      ['lorenz', '/#system=lorenz', /chaotic/],
    ]) {
      const page = await open(label, link);
      await page.locator('#clock-kick > summary').click();
      const d = await state(page, label, ['disabled']);
      const button = await page.evaluate(() => {
        const b = document.getElementById('kick-clock');
        const why = document.getElementById(b.getAttribute('aria-describedby'));
        return { disabled: b.disabled, title: b.title, why: why?.textContent ?? '', hidden: why?.hidden };
      });
      assert.equal(button.disabled, true, `${label}: #kick-clock is enabled`);
      assert.match(button.why, reason, `${label}: the reason under the button: ${button.why}`);
      assert.equal(button.hidden, false, `${label}: the reason is hidden`);
      assert.match(await text(page, 'clock-status'), new RegExp(`^Not available for ${label}: it has no limit cycle`), `${label}: the status line`);
      assert.equal(d.cycleMs, undefined, `${label}: a cycle was computed`);
      const inputs = await page.evaluate(() => ['clock-variable', 'clock-epsilon', 'clock-direction'].map((id) => document.getElementById(id).disabled));
      assert.deepEqual(inputs, [true, true, true], `${label}: inputs enabled`);
      await page.locator('#prc').click({ position: { x: 200, y: 100 }, force: true });
      await page.waitForTimeout(300);
      assert.equal((await data(page, 'clock-result')).shift, undefined, `${label}: a click on the disabled curve kicked`);
      const prcOption = await page.evaluate(() => {
        const o = document.querySelector('#measure option[value=prc]');
        return { disabled: o.disabled, title: o.title };
      });
      assert.equal(prcOption.disabled, true, `${label}: the prc measure is offered`);
      assert.match(prcOption.title, /limit cycle/, `${label}: the prc option's reason: ${prcOption.title}`);
      console.log(`(d) ${label}: ${button.why}`);
    }
  });

  test('(e) Goodwin: a kick that would make a concentration negative is refused with the reason, not measured', async () => {
    const page = await open('e', '/#system=goodwin&measure=prc');
    await state(page, 'e', ['ready']);
    await page.selectOption('#clock-direction', '-1');
    await page.evaluate(() => {
      const e = document.getElementById('clock-epsilon');
      e.value = e.max; // 50% of mRNA X's range on the cycle
      e.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const readout = await page.evaluate(() => document.querySelector('output[for=clock-epsilon]').textContent);
    assert.equal(readout, '50%', "e: the ε readout at the slider's top");
    await clickPhase(page, 0.7); // mRNA X is near its minimum there
    const r = await poll(async () => (await data(page, 'clock-result')).theta === '0.7', { timeout: 20_000 });
    const words = await text(page, 'clock-result');
    assert.ok(!r.timedOut, `e: no result at θ = 0.7: ${words}`);
    assert.equal((await data(page, 'clock-result')).shift, '', 'e: a shift was reported for an inadmissible kick');
    assert.match(words, /^No shift measured at θ = 0\.70: the kicked state is not admissible: mRNA X became −?-?0\.0\d+.*non-negative/, `e: ${words}`);
    console.log(`(e) ${words}`);
  });

  test('(z) no console or page errors on any page of the file', () => {
    const problems = opened.flatMap(({ label, lab }) => lab.problems.map((p) => `[${label}] ${p}`));
    for (const p of problems) console.log(`(z) ${p}`);
    assert.deepEqual(problems, [], `${problems.length} console/page error(s)`);
  });
});
