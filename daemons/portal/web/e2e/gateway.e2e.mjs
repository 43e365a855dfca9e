// End-to-end test of the gateway's pages in a real Chromium against the whole
// appliance (`haictl up`): the playground streams answers through the portal's
// relay and the gateway, the calls appear in the call logs (detail drawer, CSV
// export) and in the monitoring charts.
//
//   PORTAL_URL=http://127.0.0.1:PORT ADMIN_PASSWORD=... node e2e/gateway.e2e.mjs
//
// Environment: as cluster.e2e.mjs (PORTAL_URL, ADMIN_PASSWORD, ADMIN_USER,
// SCREENSHOT_DIR, CHROMIUM).
//
// Scenario: the admin signs in; opens the playground, picks the demo service
// and sends a prompt: the answer grows in several renders before the stream
// ends, and TTFT and tokens/s are shown; "view code" shows the gateway URL and
// a placeholder key; compare mode sends one prompt to demo in both columns
// (the same service twice: one text service is what the appliance deploys) and
// both stream; the call logs, filtered by service, list those calls as
// playground calls; a row's drawer shows its fields; the CSV export holds
// them; monitoring counts at least those calls and draws its charts.
// Only loopback traffic is allowed. The last line printed is "N passed, N failed".

import { readFileSync } from 'node:fs';
import {
  ADMIN_PASSWORD,
  ADMIN_USER,
  PORTAL_URL,
  check,
  choose,
  field,
  fill,
  log,
  login,
  nav,
  noPageErrorsOrForeignTraffic,
  openBrowser,
  page,
  requirePortalEnv,
  runScenario,
  screenshot,
  sel,
  step,
} from './harness.mjs';

// A CPU replica of the demo model answers 256 tokens in well under this.
const ANSWER_TIMEOUT_MS = 60_000;
// The gateway sends call records in batches at least every second.
const LOGGED_TIMEOUT_MS = 20_000;
const SERVICE = 'demo';
// Enough tokens that the answer arrives in several network reads.
const MAX_TOKENS = 256;

requirePortalEnv('gateway.e2e');

// ---- helpers ---------------------------------------------------------------

/** Sets an el-input-number behind a data-test hook. */
async function setNumber(name, value) {
  const f = field(name);
  await f.fill(String(value));
  await f.press('Tab');
}

const column = (side) => page.locator(`${sel('pg-column')}[data-side="${side}"]`);

/** Records, in the page, each distinct length of a column's growing answer. */
async function watchPartials(side) {
  await page.evaluate((s) => {
    const col = document.querySelector(`[data-test="pg-column"][data-side="${s}"]`);
    const seen = [];
    window.__haiPartials = window.__haiPartials || {};
    window.__haiPartials[s] = seen;
    const observer = new MutationObserver(() => {
      // The answer so far, without the waiting note or the cursor.
      const len = col.querySelector('[data-test="pg-partial-text"]')?.textContent?.length ?? 0;
      if (len > 0 && seen[seen.length - 1] !== len) seen.push(len);
    });
    observer.observe(col, { subtree: true, childList: true, characterData: true });
  }, side);
}

const partials = (side) => page.evaluate((s) => window.__haiPartials?.[s] ?? [], side);

/** Waits until a column's stream ended; an error there fails with its message. */
async function streamEnds(side) {
  const col = column(side);
  await page.waitForFunction(
    (s) => {
      const state = document.querySelector(`[data-test="pg-column"][data-side="${s}"]`)?.getAttribute('data-state');
      return state === 'done' || state === 'error' || state === 'stopped';
    },
    side,
    { timeout: ANSWER_TIMEOUT_MS },
  );
  const state = await col.getAttribute('data-state');
  if (state !== 'done') {
    const err = col.locator(sel('try-error'));
    const msg = (await err.count()) ? (await err.innerText()).replace(/\s+/g, ' ') : '';
    throw new Error(`column ${side} ended ${state}: ${msg}`);
  }
}

/** The column's answer, TTFT (ms) and tokens/s after its stream ended. */
async function columnResult(side) {
  const col = column(side);
  const answer = (await col.locator(sel('pg-answer')).innerText()).trim();
  const ttft = Number(await col.locator(sel('pg-ttft')).getAttribute('data-value'));
  const tps = Number(await col.locator(sel('pg-tps')).getAttribute('data-value'));
  return { answer, ttft, tps };
}

/** RFC 4180 rows: quoted cells may hold commas, quotes and line breaks (a user agent does). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') cell += text[++i];
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function sendPrompt(text) {
  await fill('pg-input', text);
  await page.locator(sel('pg-send')).click();
}

// ---- scenario --------------------------------------------------------------

async function main() {
  const { browser } = await openBrowser({ contextOptions: { acceptDownloads: true }, fullPage: true });
  let callsMade = 0;
  let gatewayUrl = '';

  try {
    await step('admin signs in', async () => {
      await page.goto(`${PORTAL_URL}/overview`);
      await login(ADMIN_USER, ADMIN_PASSWORD);
      await page.locator(sel('overview')).waitFor();
      const resp = await page.request.get(`${PORTAL_URL}/api/v1/endpoints`);
      gatewayUrl = ((await resp.json()).gateway_url ?? '').replace(/\/+$/, '');
      check(gatewayUrl, 'the appliance names no gateway (GET /api/v1/endpoints)');
    });

    await step('the playground offers the demo service', async () => {
      await nav('playground');
      await page.locator(sel('pg-chat')).waitFor();
      await choose('pg-pick-a-service', `${sel(`pg-pick-a-option-${SERVICE}`)}:visible`);
      await page.waitForFunction(
        ([s, name]) => document.querySelector(s)?.getAttribute('data-service') === name,
        [`${sel('pg-column')}[data-side="a"]`, SERVICE],
      );
      await setNumber('pg-max-tokens', MAX_TOKENS);
    });

    await step('a prompt to demo streams in: several renders, then TTFT and tokens/s', async () => {
      await watchPartials('a');
      await sendPrompt('Tell me a short story about a lighthouse.');
      await streamEnds('a');
      callsMade++;
      const seen = await partials('a');
      log(`  the answer grew in ${seen.length} renders: ${seen.slice(0, 12).join(', ')}${seen.length > 12 ? ', …' : ''}`);
      check(seen.length >= 2, `the answer appeared in ${seen.length} render(s), not streamed`);
      const r = await columnResult('a');
      check(r.answer.length > 0, 'the answer is empty');
      check(r.ttft > 0, `TTFT reads ${r.ttft}`);
      check(r.tps > 0, `tokens/s reads ${r.tps}`);
      const usage = column('a').locator(sel('pg-usage'));
      check(await usage.count(), 'no usage shown (stream_options.include_usage)');
      check(/\d/.test(await usage.innerText()), 'the usage has no numbers');
      log(`  TTFT ${r.ttft.toFixed(1)} ms, ${r.tps.toFixed(1)} tokens/s`);
      await screenshot('g01-playground-stream');
    });

    await step('"view code" shows the request against the gateway with a placeholder key', async () => {
      await fill('pg-input', 'Hello');
      await page.locator(sel('pg-view-code')).click();
      await page.locator(sel('pg-code-dialog')).waitFor();
      const curl = await page.locator(sel('pg-code-curl')).innerText();
      check(curl.includes(`${gatewayUrl}/v1/chat/completions`), `curl does not call the gateway: ${curl.slice(0, 160)}`);
      check(curl.includes('<API key>'), 'curl has no key placeholder');
      check(curl.includes(`"model": "${SERVICE}"`) && curl.includes(`"max_tokens": ${MAX_TOKENS}`), 'curl is not the current request');
      const python = await page.locator(sel('pg-code-python')).textContent();
      check(python.includes('from openai import OpenAI') && python.includes(`${gatewayUrl}/v1`), 'no Python openai example');
      const js = await page.locator(sel('pg-code-javascript')).textContent();
      check(js.includes('import OpenAI from "openai"') && js.includes(`${gatewayUrl}/v1`), 'no JavaScript openai example');
      check(js.includes('"stream": true'), 'the JavaScript example does not stream');
      check(!/hai_[A-Za-z0-9]{20,}/.test(curl + python + js), 'an example holds something like a real key');
      await page.keyboard.press('Escape');
      await page.locator(sel('pg-code-dialog')).waitFor({ state: 'hidden' });
      await fill('pg-input', '');
    });

    await step('compare mode: one prompt streams into both columns', async () => {
      await page.locator(sel('pg-compare')).click();
      await choose('pg-pick-b-service', `${sel(`pg-pick-b-option-${SERVICE}`)}:visible`);
      await column('b').waitFor();
      await watchPartials('a');
      await watchPartials('b');
      await sendPrompt('Name three colours.');
      await Promise.all([streamEnds('a'), streamEnds('b')]);
      callsMade += 2;
      for (const side of ['a', 'b']) {
        const r = await columnResult(side);
        check(r.answer.length > 0, `column ${side} has no answer`);
        check(r.ttft > 0, `column ${side} shows TTFT ${r.ttft}`);
        const seen = await partials(side);
        check(seen.length >= 1, `column ${side} never showed a partial answer`);
      }
      const turns = await column('b').locator(`${sel('pg-message')}[data-role="user"]`).count();
      check(turns === 1, `column b holds ${turns} user turns, expected 1`);
      await screenshot('g02-playground-compare');
    });

    await step('one more call, with a stop sequence and a seed', async () => {
      await page.locator(sel('pg-compare')).click();
      await column('b').waitFor({ state: 'detached' });
      await setNumber('pg-seed', 42);
      await sendPrompt('Count from one to twenty.');
      await streamEnds('a');
      callsMade++;
    });

    await step('the call logs list the playground calls of demo', async () => {
      await nav('callLogs');
      await page.locator(sel('call-log-table')).waitFor();
      await choose('call-log-service', `${sel(`call-log-service-option-${SERVICE}`)}:visible`);
      // Records reach the portal in batches: search until they are there.
      const t0 = Date.now();
      let rows = 0;
      while (Date.now() - t0 < LOGGED_TIMEOUT_MS) {
        await page.locator(sel('call-log-search')).click();
        await page.waitForTimeout(800);
        rows = Number(await page.locator(sel('call-log-total')).getAttribute('data-total'));
        if (rows >= callsMade) break;
      }
      check(rows >= callsMade, `${rows} calls of ${SERVICE} logged, ${callsMade} made`);
      const services = await page.locator(`${sel('call-log-row')} ${sel('call-log-service-cell')}`).allInnerTexts();
      check(services.length > 0 && services.every((s) => s.trim() === SERVICE), `rows of other services: ${services.join(', ')}`);
      const first = page.locator(sel('call-log-row')).first();
      check(
        (await first.locator(sel('call-log-status-cell')).getAttribute('data-status')) === 'success',
        'the newest call is not a success',
      );
      check(
        (await first.locator(sel('call-log-stream')).getAttribute('data-stream')) === 'true',
        'the newest call is not marked streamed',
      );
      await screenshot('g03-call-logs');
    });

    await step("a row's drawer shows every field of the call", async () => {
      await page.locator(sel('call-log-row')).first().locator(sel('call-log-detail')).click();
      await page.locator(sel('call-log-field-request_id')).waitFor();
      const value = async (f) => (await page.locator(sel(`call-log-field-${f}`)).innerText()).trim();
      check((await value('service')) === SERVICE, `service reads ${await value('service')}`);
      check((await value('source')) === 'playground', `source reads ${await value('source')}`);
      check((await value('endpoint')) === 'chat/completions', `endpoint reads ${await value('endpoint')}`);
      check((await value('status_code')) === '200', `status_code reads ${await value('status_code')}`);
      check(Number(await value('output_tokens')) > 0, `output_tokens reads ${await value('output_tokens')}`);
      check(Number(await value('ttft_ms')) > 0, `ttft_ms reads ${await value('ttft_ms')}`);
      check((await value('request_id')).length > 0, 'no request id');
      await screenshot('g04-call-log-drawer');
      await page.keyboard.press('Escape');
      await page.locator(sel('call-log-drawer')).waitFor({ state: 'hidden' });
    });

    await step('the CSV export holds the calls of demo', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(sel('call-log-export')).click()]);
      check(download.suggestedFilename().endsWith('.csv'), `downloaded ${download.suggestedFilename()}`);
      const [header, ...rows] = parseCsv(readFileSync(await download.path(), 'utf8'));
      for (const col of ['request_id', 'service', 'status_code', 'output_tokens', 'ttft_ms'])
        check(header.includes(col), `the CSV header lacks ${col}: ${header.join(',')}`);
      check(rows.every((r) => r.length === header.length), 'a CSV row has a different number of cells than the header');
      const serviceAt = header.indexOf('service');
      const sourceAt = header.indexOf('source');
      check(rows.length >= callsMade, `the CSV holds ${rows.length} rows, ${callsMade} calls made`);
      check(rows.every((r) => r[serviceAt] === SERVICE), 'the CSV ignores the service filter');
      const fromPlayground = rows.filter((r) => r[sourceAt] === 'playground').length;
      check(fromPlayground >= callsMade, `${fromPlayground} playground rows in the CSV, ${callsMade} calls made`);
    });

    await step('monitoring counts the calls and draws its charts', async () => {
      await nav('monitoring');
      await page.locator(sel('mon-tile-calls')).waitFor();
      const t0 = Date.now();
      let calls = 0;
      while (Date.now() - t0 < LOGGED_TIMEOUT_MS) {
        calls = Number(await page.locator(sel('mon-tile-calls')).getAttribute('data-value'));
        if (calls >= callsMade) break;
        await page.locator(sel('mon-refresh')).click();
        await page.waitForTimeout(800);
      }
      check(calls >= callsMade, `the calls tile reads ${calls}, ${callsMade} calls made`);
      const tokens = Number(await page.locator(sel('mon-tile-tokens')).getAttribute('data-value'));
      check(tokens > 0, `the tokens tile reads ${tokens}`);
      for (const chart of ['calls', 'tokens', 'ttft', 'latency', 'otps']) {
        const box = page.locator(sel(`mon-chart-${chart}`));
        await box.locator('canvas').first().waitFor();
        const points = Number(await box.getAttribute('data-points'));
        check(points >= 1, `the ${chart} chart has ${points} points`);
        const size = await box.locator('canvas').first().boundingBox();
        check(size && size.width > 100 && size.height > 100, `the ${chart} chart canvas is ${JSON.stringify(size)}`);
      }
      await screenshot('g05-monitoring');
    });

    await step('no uncaught errors and no traffic beyond loopback', noPageErrorsOrForeignTraffic);
  } finally {
    await browser.close().catch(() => {});
  }
}

runScenario('gateway.e2e', main);
