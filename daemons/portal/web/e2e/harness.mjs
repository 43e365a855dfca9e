// Shared harness of the portal end-to-end scripts (portal.e2e.mjs,
// cluster.e2e.mjs): environment, browser start-up with loopback-only traffic,
// step bookkeeping with the final "N passed, N failed" line, and the UI
// helpers both scenarios drive the Element Plus pages with.
//
// Each script runs in its own node process and drives one page, so the run's
// state (the page, the counters) lives here at module level rather than being
// threaded through every helper.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// ---- environment -----------------------------------------------------------

export const PORTAL_URL = (process.env.PORTAL_URL || '').replace(/\/+$/, '');
export const ADMIN_USER = process.env.ADMIN_USER || 'admin';
export const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || '';
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const STEP_TIMEOUT_MS = 15_000;
export const NAV_TIMEOUT_MS = 30_000;
const OVERALL_TIMEOUT_MS = 5 * 60_000;

/** Exits with a failed summary line when the portal to test is not given, so
 *  outside checks that read the last line still see a result. */
export function requirePortalEnv(script) {
  if (PORTAL_URL && ADMIN_PASSWORD) return;
  console.error(`${script}: PORTAL_URL and ADMIN_PASSWORD must be set`);
  console.log('0 passed, 1 failed');
  process.exit(2);
}

// ---- run state -------------------------------------------------------------

let passed = 0;
let failed = 0;
let skipped = 0;
let aborted = false;
let fullPageScreenshots = false;
const pageErrors = [];
const blocked = [];

/** The page under test. An ES module live binding: importers see the page
 *  once openBrowser() has set it. */
export let page;

/** Whether a failed step made the later ones skip. A script may save it and
 *  set it back to let a group of steps fail without skipping what follows. */
export const stepsAborted = () => aborted;
export function setStepsAborted(value) {
  aborted = value;
}

export const sel = (name) => `[data-test="${name}"]`;

export function log(msg) {
  console.log(`[${new Date().toISOString().slice(11, 23)}] ${msg}`);
}

export function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

// ---- browser ---------------------------------------------------------------

/**
 * Starts headless Chromium and opens the page under test.
 * contextOptions are added to the browser context's (e.g. acceptDownloads);
 * fullPage says whether screenshots take the whole page or the viewport.
 */
export async function openBrowser({ contextOptions = {}, fullPage = false } = {}) {
  fullPageScreenshots = fullPage;
  if (SCREENSHOT_DIR) mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // No GPU, QUIC or background services: the runs happen on CI machines
  // without a display and must not reach beyond loopback.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...contextOptions });
  // Loopback only: block and record anything else.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname)) return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { browser, context, page };
}

/** The last step of every scenario: nothing blew up in the page and nothing
 *  left loopback during the whole run. */
export async function noPageErrorsOrForeignTraffic() {
  check(pageErrors.length === 0, `page errors: ${pageErrors.join(' | ')}`);
  check(blocked.length === 0, `blocked non-loopback requests: ${blocked.join(', ')}`);
}

// ---- steps -----------------------------------------------------------------

export async function screenshot(name) {
  if (!SCREENSHOT_DIR || !page) return;
  try {
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: fullPageScreenshots });
    log(`  screenshot ${name}.png`);
  } catch (e) {
    log(`  screenshot ${name} failed: ${e.message}`);
  }
}

/** Texts of the toast messages on screen, for failure reports. */
async function toasts() {
  try {
    return await page.locator('.el-message').allInnerTexts();
  } catch {
    return [];
  }
}

/** Runs one named step. The first failure is reported with what is on screen,
 *  and the steps after it are skipped: they build on its outcome. */
export async function step(name, fn) {
  if (aborted) {
    skipped++;
    log(`SKIP ${name}`);
    return;
  }
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    log(`PASS ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    aborted = true;
    log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
    const msgs = await toasts();
    if (msgs.length) log(`  messages on screen: ${msgs.join(' | ')}`);
    if (page) log(`  at ${page.url()}`);
    await screenshot(`failure-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
  }
}

/**
 * Runs the scenario under an overall deadline and ends the process with the
 * summary line "N passed, N failed" last: outside checks read only that line.
 * An error outside any step (e.g. the browser does not start) counts as a
 * failed "setup".
 */
export function runScenario(script, main) {
  const watchdog = setTimeout(() => {
    console.error(`${script}: gave up after ${OVERALL_TIMEOUT_MS / 1000} s`);
    console.log(`${passed} passed, ${failed + 1} failed`);
    process.exit(1);
  }, OVERALL_TIMEOUT_MS);

  main()
    .catch((e) => {
      failed++;
      log(`FAIL setup: ${e.message}`);
    })
    .finally(() => {
      clearTimeout(watchdog);
      if (skipped) log(`${skipped} steps skipped after the first failure`);
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    });
}

// ---- UI helpers ------------------------------------------------------------

/** The <input>/<textarea> behind a data-test hook (on the field or its wrapper). */
export function field(name) {
  return page
    .locator(
      `input${sel(name)}, textarea${sel(name)}, ${sel(name)} input:not([type=hidden]), ${sel(name)} textarea`,
    )
    .first();
}

/** Replaces a field's value (clearing first, so a prefilled value never stays). */
export async function fill(name, value) {
  const f = field(name);
  await f.fill('');
  await f.fill(value);
}

/** Opens an el-select and picks the visible option matching `option`
 *  (its text, or a selector when it starts with "["). */
export async function choose(selectName, option) {
  await page.locator(sel(selectName)).click();
  const item =
    typeof option === 'string' && option.startsWith('[')
      ? page.locator(option)
      : page.locator('.el-select-dropdown__item:visible', { hasText: option });
  await item.first().waitFor({ state: 'visible' });
  await item.first().click();
}

/** Follows a side-menu entry and waits until the app is off the login page. */
export async function nav(key) {
  await page.locator(sel(`nav-${key}`)).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Signs in on the login page; a refusal fails with the server's message. */
export async function login(username, password) {
  await page.locator(sel('login-page')).waitFor();
  await fill('login-username', username);
  await fill('login-password', password);
  await page.locator(sel('login-submit')).click();
  await page.locator(`${sel('layout')}, ${sel('login-error')}`).first().waitFor({ timeout: NAV_TIMEOUT_MS });
  const err = page.locator(sel('login-error'));
  if (await err.isVisible()) throw new Error(`sign-in as ${username} failed: ${(await err.innerText()).trim()}`);
}
