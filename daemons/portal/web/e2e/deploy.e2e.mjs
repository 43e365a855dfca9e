// End-to-end test of one-click deployment in a real Chromium: the model plaza
// and the model service pages against the whole appliance (`haictl up`).
//
//   PORTAL_URL=http://127.0.0.1:PORT ADMIN_PASSWORD=... node e2e/deploy.e2e.mjs
//
// Environment: as cluster.e2e.mjs (PORTAL_URL, ADMIN_PASSWORD, ADMIN_USER,
// SCREENSHOT_DIR, CHROMIUM).
//
// Scenario: the admin signs in; finds the demo model in the plaza by search,
// opens its card and presses Deploy; the deploy form comes prefilled with the
// model; names the service e2e-demo-<random>, engine builtin, 1 device per
// replica of the vendor with the most free devices, 1 replica; previews the
// placement (a node and its devices); deploys; on the service page the
// replica turns Ready (a real hai-engine on a simulated node); its logs show
// the engine's start-up and, followed, new lines as they are written; its
// events show it scheduled and ready; its processes show the engine's pid;
// the services list shows the service; the model card's Try tab chats with
// it; deleting it removes it from the list.
// Only loopback traffic is allowed. The last line printed is "N passed, N failed".

import {
  ADMIN_PASSWORD,
  ADMIN_USER,
  PORTAL_URL,
  check,
  choose,
  field,
  fill,
  login,
  nav,
  noPageErrorsOrForeignTraffic,
  openBrowser,
  page,
  requirePortalEnv,
  runScenario,
  screenshot,
  sel,
  setStepsAborted,
  step,
  stepsAborted,
} from './harness.mjs';

// A replica is Ready once hai-engine has loaded the demo weights (seconds).
const READY_TIMEOUT_MS = 60_000;
// Deleting a service stops its replicas first; then the row goes.
const GONE_TIMEOUT_MS = 60_000;
// The engine logs a /health probe about every second: a followed log grows.
const FOLLOW_TIMEOUT_MS = 15_000;

requirePortalEnv('deploy.e2e');

const SERVICE = `e2e-demo-${Math.random().toString(36).slice(2, 8)}`;

// ---- helpers ---------------------------------------------------------------

async function api(method, path, data) {
  const resp = await page.request.fetch(`${PORTAL_URL}/api/v1${path}`, { method, data });
  const body = await resp.text();
  check(resp.ok(), `${method} ${path} answered ${resp.status()}: ${body.slice(0, 200)}`);
  return body ? JSON.parse(body) : undefined;
}

/** Sets an el-input-number behind a data-test hook. */
async function setNumber(name, value) {
  const f = field(name);
  await f.fill(String(value));
  await f.press('Tab');
}

const replicaRow = () => page.locator(sel('replica-row')).first();

async function closeOverlay(name) {
  await page.keyboard.press('Escape');
  await page.locator(sel(name)).waitFor({ state: 'hidden' });
}

// ---- scenario --------------------------------------------------------------

async function main() {
  const { browser } = await openBrowser({ fullPage: true });
  let vendor = '';
  let modelId = 0;

  try {
    await step('admin signs in', async () => {
      await page.goto(`${PORTAL_URL}/overview`);
      await login(ADMIN_USER, ADMIN_PASSWORD);
      await page.locator(sel('overview')).waitFor();
      // A service belongs to an organisation; `haictl up` makes one, but do not depend on it.
      const orgs = await api('GET', '/orgs?limit=1');
      if (!orgs.total) await api('POST', '/orgs', { name: 'e2e-deploy', description: 'made by deploy.e2e' });
      // The vendor with the most free devices, so one more replica fits.
      const free = new Map();
      for (const a of (await api('GET', '/accelerators')).items)
        if (!a.held_by) free.set(a.vendor, (free.get(a.vendor) ?? 0) + 1);
      vendor = [...free.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
      check(vendor, 'the cluster has no free accelerator');
    });

    await step('the plaza finds the demo model by search', async () => {
      await nav('models');
      await fill('plaza-search', 'demo');
      await field('plaza-search').press('Enter');
      const card = page.locator(`a${sel('model-card-demo')}`);
      await card.waitFor();
      modelId = Number(await card.getAttribute('data-id'));
      await screenshot('d01-plaza-search');
    });

    await step('the demo card opens and its Deploy button leads to the form', async () => {
      await page.locator(`a${sel('model-card-demo')}`).click();
      await page.locator(sel('model-detail-name')).waitFor();
      await page.locator(sel('model-deploy')).click();
      await page.waitForURL((u) => u.pathname === '/services/new');
      const q = new URL(page.url()).searchParams.get('model_id');
      check(Number(q) === modelId, `the form was opened with model_id=${q}, expected ${modelId}`);
    });

    await step('the deploy form comes prefilled with the demo model', async () => {
      await page.locator(sel('deploy-submit')).waitFor();
      await page.waitForFunction(
        (s) => /\bdemo\b/.test(document.querySelector(s)?.textContent ?? ''),
        sel('deploy-model'),
      );
      const name = await field('deploy-name').inputValue();
      check(name === 'demo', `the service name is prefilled "${name}", expected "demo"`);
      await page.waitForFunction((s) => /builtin/.test(document.querySelector(s)?.textContent ?? ''), sel('deploy-engine'));
    });

    await step(`fill the form: ${SERVICE}, builtin, 1 device per replica, 1 replica`, async () => {
      await fill('deploy-name', SERVICE);
      await choose('deploy-engine', `${sel('deploy-engine-option-builtin')}:visible`);
      await choose('deploy-vendor', `${sel(`deploy-vendor-option-${vendor}`)}:visible`);
      await setNumber('deploy-devices', 1);
      await setNumber('deploy-replicas', 1);
      await screenshot('d02-deploy-form');
    });

    await step('the placement preview shows a node for the replica', async () => {
      await page.locator(sel('deploy-preview')).click();
      const result = page.locator(`${sel('deploy-preview-result')}, ${sel('deploy-preview-error')}`).first();
      await result.waitFor();
      if (await page.locator(sel('deploy-preview-error')).isVisible())
        throw new Error(`the preview failed: ${(await page.locator(sel('deploy-preview-error')).innerText()).trim()}`);
      const feasible = await page.locator(sel('deploy-preview-result')).getAttribute('data-feasible');
      const reasons = (await page.locator(sel('fit-reason')).allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
      check(feasible === 'true', `the preview says it does not fit: ${reasons.join(' | ')}`);
      const nodes = await page.locator(sel('deploy-preview-node')).allInnerTexts();
      check(nodes.length === 1 && /\S/.test(nodes[0]), `preview nodes: ${JSON.stringify(nodes)}`);
      await screenshot('d03-preview');
    });

    await step('deploying opens the new service', async () => {
      await page.locator(sel('deploy-submit')).click();
      await Promise.race([
        page.waitForURL((u) => /^\/services\/\d+$/.test(u.pathname)),
        page
          .locator(sel('deploy-error-message'))
          .waitFor()
          .then(async () => {
            throw new Error(`not deployed: ${(await page.locator(sel('deploy-error-message')).innerText()).trim()}`);
          }),
      ]);
      await page.locator(sel('service-detail-name'), { hasText: SERVICE }).waitFor();
    });

    await step('the replica becomes Ready', async () => {
      await replicaRow().waitFor();
      const t0 = Date.now();
      let status = '';
      while (Date.now() - t0 < READY_TIMEOUT_MS) {
        status = (await replicaRow().getAttribute('data-status')) ?? '';
        if (status === 'Ready' || status === 'Failed') break;
        await page.waitForTimeout(500);
      }
      check(status === 'Ready', `the replica is ${status || 'not listed'} after ${Math.round((Date.now() - t0) / 1000)} s`);
      const node = (await replicaRow().locator(sel('replica-node')).innerText()).trim();
      check(/\S/.test(node) && node !== '—', `the Ready replica shows no node ("${node}")`);
      await page.locator(`${sel('service-detail-online')}[data-online="true"]`).waitFor();
      await screenshot('d04-replica-ready');
    });

    await step("the replica's logs show the engine starting", async () => {
      await replicaRow().locator(sel('replica-logs')).click();
      await page.waitForFunction((s) => (document.querySelector(s)?.textContent ?? '').trim().length > 0, sel('logs-view'));
      const text = await page.locator(sel('logs-view')).innerText();
      check(/hai-engine|model loaded/.test(text), `the log does not show the engine starting: ${text.slice(0, 200)}`);
      await screenshot('d05-logs');
    });

    // Following is checked on its own: when it fails the rest still runs.
    const abortedBeforeFollow = stepsAborted();
    await step('following the log shows new lines as the engine writes them', async () => {
      await page.locator(sel('logs-follow')).click();
      await page.locator(sel('logs-live')).waitFor();
      const before = await page.locator(sel('logs-view')).innerText();
      const last = before.trim().split('\n').pop() ?? '';
      // New lines arrive below the last one shown before following began.
      await page.waitForFunction(
        ([s, line]) => {
          const text = document.querySelector(s)?.textContent ?? '';
          const at = line ? text.lastIndexOf(line) : -1;
          return at >= 0 && text.slice(at + line.length).trim().length > 0;
        },
        [sel('logs-view'), last],
        { timeout: FOLLOW_TIMEOUT_MS },
      );
    });
    setStepsAborted(abortedBeforeFollow);
    await step('the logs close (which ends the follow)', async () => {
      if (await page.locator(sel('logs-drawer')).isVisible()) await closeOverlay('logs-drawer');
    });

    await step("the replica's events say it was scheduled and became ready", async () => {
      await replicaRow().locator(sel('replica-events')).click();
      await page.locator(`${sel('events-table')} ${sel('event-reason')}`).first().waitFor();
      const reasons = await page.locator(`${sel('events-table')} ${sel('event-reason')}`).allInnerTexts();
      check(reasons.includes('Scheduled'), `no Scheduled event: ${reasons.join(', ')}`);
      check(reasons.some((r) => /^(Started|Starting|Ready)$/.test(r)), `no start or ready event: ${reasons.join(', ')}`);
      await screenshot('d06-events');
      await closeOverlay('events-dialog');
    });

    await step("the replica's processes show the engine's pid", async () => {
      await replicaRow().locator(sel('replica-processes')).click();
      await page.locator(`${sel('processes-table')} ${sel('process-pid')}`).first().waitFor();
      const pid = (await page.locator(`${sel('processes-table')} ${sel('process-pid')}`).first().innerText()).trim();
      check(/^\d+$/.test(pid) && Number(pid) > 1, `pid reads "${pid}"`);
      const command = await page.locator(`${sel('processes-table')} ${sel('process-command')}`).first().innerText();
      check(command.includes('hai-engine'), `the process is not hai-engine: ${command}`);
      await screenshot('d07-processes');
      await closeOverlay('processes-dialog');
    });

    await step('the services list shows the service', async () => {
      await nav('services');
      const row = page.locator(sel(`service-row-${SERVICE}`));
      await row.waitFor();
      const status = row.locator(sel('service-status'));
      check((await status.getAttribute('data-ready')) === '1', `the list says ${await status.getAttribute('data-ready')} ready`);
      await screenshot('d08-services');
    });

    await step("the model card's Try tab sends a chat to the new service and shows the answer", async () => {
      await page.goto(`${PORTAL_URL}/models/${modelId}`);
      await page.locator(sel('model-tab-try')).click();
      await choose('try-service', `${sel(`try-service-option-${SERVICE}`)}:visible`);
      await fill('try-input', 'Hello');
      await page.locator(sel('try-send')).click();
      const answer = page.locator(sel('try-answer'));
      await answer.waitFor({ timeout: READY_TIMEOUT_MS });
      check((await answer.innerText()).trim().length > 0, 'the answer is empty');
      const usage = await page.locator(sel('try-usage')).innerText();
      check(/\d/.test(usage), `no token usage shown: ${usage}`);
      await screenshot('d09-try');
    });

    await step("the API docs tab shows the appliance's gateway and the service as model", async () => {
      await page.locator(sel('model-tab-api')).click();
      // haictl up runs the gateway on the port after the portal's.
      const portal = new URL(PORTAL_URL);
      const want = `http://${portal.hostname}:${Number(portal.port) + 1}/v1`;
      await page.waitForFunction(
        ([s, url]) => (document.querySelector(s)?.textContent ?? '').trim() === url,
        [sel('api-base-url'), want],
      );
      const curl = await page.locator(sel('api-example-curl')).innerText();
      check(curl.includes(`${want}/chat/completions`), `the curl example does not call ${want}: ${curl.slice(0, 200)}`);
      await nav('services');
    });

    await step('deleting the service removes it from the list', async () => {
      const row = page.locator(sel(`service-row-${SERVICE}`));
      await row.locator(sel('service-delete')).click();
      await page.locator('.hai-confirm .el-button--danger').click();
      await row.waitFor({ state: 'detached', timeout: GONE_TIMEOUT_MS });
      const left = await api('GET', `/services?q=${encodeURIComponent(SERVICE)}`);
      check(!left.items.some((s) => s.name === SERVICE), `the API still lists ${SERVICE}`);
    });

    await step('no uncaught errors and no traffic beyond loopback', noPageErrorsOrForeignTraffic);
  } finally {
    await browser.close().catch(() => {});
  }
}

runScenario('deploy.e2e', main);
