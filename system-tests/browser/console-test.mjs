// Drives the operator console in Debian's headless Chromium through playwright-core (no browser download).
//
//   node console-test.mjs <gatewayUrl> <operatorKey> <screenshotPath> [deadLetterId] [correlationId]
//
// Logs in (after checking that a wrong key is refused), waits until every panel has rendered without a problem,
// traces the correlation id if given, finds the dead letter (the given one, else the first PENDING one), clicks
// Replay and waits until the console shows it REPLAYED, also after a fresh load from the API. Saves a full-page
// screenshot (also when a step fails) and exits non-zero on any failure.
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

const [gatewayUrl, operatorKey, screenshotPath, deadLetterId, correlationId] = process.argv.slice(2);
if (!gatewayUrl || !operatorKey || !screenshotPath) {
  console.error('usage: node console-test.mjs <gatewayUrl> <operatorKey> <screenshotPath> [deadLetterId] [correlationId]');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const STEP_TIMEOUT = Number(process.env.CONSOLE_STEP_TIMEOUT_MS || 30000);

const log = (...args) => console.log('[console-test]', ...args);

// The machine's network is closed: without these flags Chromium keeps trying to reach Google's services.
const userDataDir = mkdtempSync(join(tmpdir(), 'chuanyu-console-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(STEP_TIMEOUT);
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(String(error)));
page.on('console', (message) => {
  if (message.type() === 'error') log('browser console:', message.text());
});
page.on('dialog', (dialog) => dialog.dismiss());

let failed = false;
try {
  await run();
  log('PASS');
} catch (error) {
  failed = true;
  console.error('[console-test] FAIL:', error && error.stack || error);
} finally {
  try {
    mkdirSync(dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    log('screenshot:', screenshotPath);
  } catch (error) {
    console.error('[console-test] no screenshot:', error);
  }
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

async function run() {
  const response = await page.goto(`${gatewayUrl.replace(/\/$/, '')}/console`);
  check(response && response.ok(), `GET /console answered ${response && response.status()}`);
  await page.locator('#login').waitFor({ state: 'visible' });
  log('login form shown');

  await page.fill('#operator-key', 'not-a-key-' + Date.now());
  await page.click('#login-submit');
  await page.locator('#login-error').waitFor({ state: 'visible' });
  check(await page.locator('#console').isHidden(), 'a wrong key opened the console');
  log('wrong key refused:', oneLine(await page.locator('#login-error').textContent()));

  await page.fill('#operator-key', operatorKey);
  await page.click('#login-submit');
  await page.locator('#console').waitFor({ state: 'visible' });
  check(await page.evaluate(() => sessionStorage.getItem('chuanyu.console.operatorKey')) === operatorKey,
    'the key is not kept in sessionStorage');
  log('logged in');

  // Every self-refreshing panel must settle, and settle without a problem.
  const panels = ['flows', 'queues', 'dead-letters', 'overdue', 'audit'];
  await page.waitForFunction((names) => names.every((name) =>
    document.querySelector(`[data-panel="${name}"]`).dataset.state !== 'loading'), panels);
  const problems = [];
  for (const name of panels) {
    const section = page.locator(`[data-panel="${name}"]`);
    if (await section.getAttribute('data-state') !== 'ok') {
      problems.push(`${name}: ${oneLine(await section.locator('.error').textContent())}`);
    }
  }
  check(problems.length === 0, `panels show problems:\n  ${problems.join('\n  ')}`);
  check(await page.locator('#flows-svg').count() === 1, 'no flow chart');
  check(await page.locator('#queues-table tbody tr').count() > 0, 'no queue rows');
  const treeSize = await page.locator('#tree-size').textContent();
  check(/^\d+$/.test(treeSize.trim()), `tree size is ${treeSize}`);
  const signedAt = oneLine(await page.locator('#tree-head-signed-at').textContent());
  check(/ [+-]\d\d:\d\d$/.test(signedAt), `the signing time "${signedAt}" does not carry its zone`);
  check(await page.locator('#queues-table thead th', { hasText: 'in retry queues' }).count() === 1,
    'the queues panel does not show messages waiting in the retry queues');
  await page.locator('#verify-result').waitFor();
  log(`panels rendered: queues=${await page.locator('#queues-table tbody tr').count()}, tree size=${treeSize},`,
    `verification=${await page.locator('#verify-result').textContent()}`);

  if (correlationId) {
    await page.fill('#trace-id', correlationId);
    await page.click('#trace-form button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('[data-panel="trace"]').dataset.state !== 'idle'
      && document.querySelector('[data-panel="trace"]').dataset.state !== 'loading');
    const traceState = await page.locator('[data-panel="trace"]').getAttribute('data-state');
    check(traceState === 'ok', `trace: ${oneLine(await page.locator('[data-panel="trace"] .error').textContent())}`);
    const steps = await page.locator('#trace-timeline li[data-kind]').count();
    check(steps > 0, `trace of ${correlationId} is empty`);
    check(await page.locator('#trace-correlation-id').textContent() === correlationId,
      'the trace does not name the correlation id it shows');
    const times = await page.locator('#trace-timeline li[data-kind]').evaluateAll(
      (items) => items.map((li) => Date.parse(li.dataset.time)));
    check(times.every((t, i) => i === 0 || t >= times[i - 1]), `trace steps out of time order: ${times}`);
    log(`trace of ${correlationId}: ${steps} steps`);
  }

  const row = deadLetterId
    ? page.locator(`#dead-letters-table tr[data-id="${deadLetterId}"]`)
    : page.locator('#dead-letters-table tr[data-state="PENDING"]').first();
  await row.waitFor({ state: 'visible' });
  const id = await row.getAttribute('data-id');
  check(await row.getAttribute('data-state') === 'PENDING', `dead letter ${id} is ${await row.getAttribute('data-state')}`);
  // The poison payload carries markup: it must show as text and never become an element.
  check(await page.locator('#dead-letters-table tbody img').count() === 0, 'payload markup was rendered as HTML');
  check(await page.evaluate(() => window.__xss === undefined), 'payload script ran');
  log(`dead letter ${id} shown PENDING; reason: ${oneLine(await row.locator('td').nth(3).textContent())}`);

  await row.locator('button[data-action="replay"]').click();
  await page.waitForFunction((rowId) => {
    const tr = document.querySelector(`#dead-letters-table tr[data-id="${CSS.escape(rowId)}"]`);
    return tr && tr.dataset.state === 'REPLAYED';
  }, id);
  check(await page.locator('[data-panel="dead-letters"]').getAttribute('data-state') !== 'error',
    `replay: ${oneLine(await page.locator('[data-panel="dead-letters"] .error').textContent())}`);
  log(`dead letter ${id} replayed: ${oneLine(await page.locator('#dl-notice').textContent())}`);

  // What the API now says, not just what the click changed: wait for a row rendered afresh from the server.
  await page.evaluate((rowId) => {
    document.querySelector(`#dead-letters-table tr[data-id="${CSS.escape(rowId)}"]`).dataset.stale = 'yes';
  }, id);
  await page.click('#refresh-now');
  await page.waitForFunction((rowId) => {
    const tr = document.querySelector(`#dead-letters-table tr[data-id="${CSS.escape(rowId)}"]`);
    return tr && tr.dataset.stale !== 'yes';
  }, id);
  check(await row.getAttribute('data-state') === 'REPLAYED',
    `after a reload the API says ${await row.getAttribute('data-state')}`);
  check(await row.locator('button[data-action="replay"]').isDisabled(), 'a replayed letter can be replayed again');
  log(`dead letter ${id} is REPLAYED after a reload`);

  // The flow chart's history is the server's: after a reload (nothing kept in the page) it is there at once.
  await page.reload();
  await page.locator('#console').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('[data-panel="flows"]').dataset.state !== 'loading');
  check(await page.locator('[data-panel="flows"]').getAttribute('data-state') === 'ok',
    `flows after a reload: ${oneLine(await page.locator('[data-panel="flows"] .error').textContent())}`);
  const business = Number(await page.locator('#flows-svg').getAttribute('data-total'));
  const access = Number(await page.locator('#access-svg').getAttribute('data-total'));
  check(business > 0, 'after a reload the business chart shows no events of the last hour');
  check(access > 0, 'after a reload the access chart shows no gateway access records of the last hour');
  log(`after a reload the charts show the last hour: ${business} business/platform events, ${access} access records`);

  check(pageErrors.length === 0, `script errors in the page: ${pageErrors.join('; ')}`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function oneLine(value) {
  return String(value || '').replace(/\s+/g, ' ').trim().slice(0, 400);
}
