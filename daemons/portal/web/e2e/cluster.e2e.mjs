// End-to-end test of the "Clusters & accelerators" module in a real Chromium.
//
//   PORTAL_URL=http://127.0.0.1:PORT ADMIN_PASSWORD=... node e2e/cluster.e2e.mjs
//
// Environment:
//   PORTAL_URL       base URL of a running portal (e.g. from `haictl up`) serving the built UI (required)
//   ADMIN_PASSWORD   password of the platform admin (required)
//   ADMIN_USER       admin username (default: admin)
//   SCREENSHOT_DIR   where to write screenshots (optional; none when unset)
//   CHROMIUM         browser binary (default: /usr/bin/chromium)
//
// Scenario, against the embedded default cluster of `haictl up` (node-1 with
// 8 simulated Ascend 910B3 in two HCCS groups, node-2 with 8 MetaX C500,
// node-3 with 4 Hygon K100_AI): the admin signs in, opens the module, sees
// three Ready nodes and their events; opens the accelerators and sees the
// three vendor groups with 8/8/4 devices marked "simulated"; runs a placement
// dry run (ascend, 4 devices, same group, 1 replica) and gets node-1 with
// ASCEND_RT_VISIBLE_DEVICES; runs an impossible one (16 devices per replica)
// and gets refusal reasons; switches to English.
// Only loopback traffic is allowed; any other request is blocked and fails
// the run. The last line printed is "N passed, N failed".

import {
  ADMIN_PASSWORD,
  ADMIN_USER,
  PORTAL_URL,
  STEP_TIMEOUT_MS,
  check,
  choose,
  field,
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
  stepsAborted,
  step,
} from './harness.mjs';

// Agents register shortly after `haictl up` reports ready.
const CLUSTER_TIMEOUT_MS = 45_000;

requirePortalEnv('cluster.e2e');

const ZH_TITLE = '集群与加速卡';
const EXPECTED_GROUPS = [
  { key: 'ascend/Ascend910B3', vendor: 'ascend', count: 8 },
  { key: 'metax/C500', vendor: 'metax', count: 8 },
  { key: 'hygon/K100_AI', vendor: 'hygon', count: 4 },
];

// ---- UI helpers ----------------------------------------------------------

async function openTab(key) {
  await page.locator(sel(`cluster-tab-${key}`)).click();
  await page.locator(sel(`${key === 'dryRun' ? 'dryrun' : key}-tab`)).waitFor();
}

/** Sets an el-input-number behind a data-test hook. */
async function setNumber(name, value) {
  const f = field(name);
  await f.fill(String(value));
  await f.press('Tab');
}

/** Fills and submits the dry-run form; waits for a result or an error. */
async function dryRun({ vendor, devices, replicas = 1, topology = 'same-group' }) {
  await choose('dryrun-vendor', `${sel(`vendor-option-${vendor}`)}:visible`);
  await setNumber('dryrun-devices', devices);
  await setNumber('dryrun-replicas', replicas);
  await page.locator(`${sel(`dryrun-topology-${topology}`)}`).click();
  await page.locator(sel('dryrun-submit')).click();
  const outcome = page.locator(`${sel('dryrun-result')}, ${sel('dryrun-error')}`).first();
  await outcome.waitFor({ timeout: STEP_TIMEOUT_MS });
  if (await page.locator(sel('dryrun-error')).isVisible()) {
    const status = await page.locator(sel('dryrun-error')).getAttribute('data-status');
    const msg = (await page.locator(sel('dryrun-error-message')).innerText()).trim();
    throw new Error(`the dry run failed with HTTP ${status}: ${msg}`);
  }
  return page.locator(sel('dryrun-result'));
}

// ---- scenario --------------------------------------------------------------

async function main() {
  const { browser } = await openBrowser({ fullPage: true });

  try {
    await step('admin signs in (default language Simplified Chinese)', async () => {
      await page.goto(`${PORTAL_URL}/overview`);
      await page.evaluate(() => localStorage.removeItem('hai.locale'));
      await page.reload();
      await login(ADMIN_USER, ADMIN_PASSWORD);
      await page.locator(sel('overview')).waitFor();
    });

    await step('the cluster module is built and opens on the nodes tab', async () => {
      await nav('clusters');
      await page.locator(sel('clusters')).waitFor();
      check((await page.locator(sel('not-available')).count()) === 0, 'the module still says "not available"');
      check(new URL(page.url()).pathname === '/clusters', `expected /clusters, got ${page.url()}`);
      const title = (await page.locator(sel('page-title')).innerText()).trim();
      check(title === ZH_TITLE, `page title reads "${title}", expected "${ZH_TITLE}"`);
      await page.locator(sel('nodes-tab')).waitFor();
    });

    await step('three Ready nodes are listed', async () => {
      // The agents register and heartbeat asynchronously: wait for all three.
      await page.waitForFunction(
        (s) => {
          const rows = [...document.querySelectorAll(s)];
          const ready = rows.filter((r) => r.querySelector('[data-test="node-status"][data-status="Ready"]'));
          return ready.length >= 3;
        },
        sel('node-row'),
        { timeout: CLUSTER_TIMEOUT_MS },
      );
      for (const n of ['node-1', 'node-2', 'node-3']) {
        const row = page.locator(`${sel('node-row')}[data-key="${n}"]`);
        check((await row.count()) === 1, `no row for ${n}`);
        const status = await row.locator(sel('node-status')).getAttribute('data-status');
        check(status === 'Ready', `${n} is ${status}, expected Ready`);
        check((await row.locator(sel('node-label')).count()) > 0, `${n} shows no labels`);
        const mem = (await row.locator(sel('node-memory')).innerText()).trim();
        check(/^\d+(\.\d)?$/.test(mem), `${n} memory "${mem}" is not a GiB figure`);
      }
      const accel = (await page.locator(`${sel('node-row')}[data-key="node-1"] ${sel('node-accel')}`).innerText()).trim();
      check(/Ascend910B3\s*×\s*8/.test(accel), `node-1 accelerators read "${accel}"`);
      check((await page.locator(sel('node-ready-count')).innerText()).trim() === '3', 'summary does not count 3 Ready nodes');
    });

    await step('the status filter narrows the list', async () => {
      await choose('node-status-filter', `${sel('node-status-option-NotReady')}:visible`);
      await page.waitForFunction((s) => document.querySelectorAll(s).length === 0, sel('node-row'));
      await page.locator(`${sel('node-status-filter')} .el-select__wrapper`).hover();
      await page.locator(`${sel('node-status-filter')} .el-select__clear`).click();
      await page.waitForFunction((s) => document.querySelectorAll(s).length === 3, sel('node-row'));
    });

    await step('cluster events show the node registrations, newest first', async () => {
      await page.locator(sel('event-row')).first().waitFor({ timeout: CLUSTER_TIMEOUT_MS });
      const kinds = await page.locator(sel('event-kind')).allInnerTexts();
      check(kinds.length > 0, 'no cluster events');
      const text = (await page.locator(sel('event-table')).innerText()).replace(/\s+/g, ' ');
      for (const n of ['node-1', 'node-2', 'node-3']) check(text.includes(n), `no event mentions ${n}`);
      const ids = (await page.locator(sel('event-row')).evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-key')))))
        .filter((n) => Number.isFinite(n));
      for (let i = 1; i < ids.length; i++) check(ids[i - 1] >= ids[i], `events are not newest first: ${ids.join(',')}`);
      await screenshot('c01-nodes-zh');
    });

    await step('accelerators are grouped by vendor and model with 8/8/4 devices', async () => {
      await openTab('accelerators');
      await page.waitForFunction(
        (s) => document.querySelectorAll(s).length >= 3,
        sel('accel-group'),
        { timeout: CLUSTER_TIMEOUT_MS },
      );
      const keys = await page.locator(sel('accel-group')).evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
      for (const g of EXPECTED_GROUPS) {
        check(keys.includes(g.key), `no group ${g.key} (saw ${keys.join(', ')})`);
        const group = page.locator(`${sel('accel-group')}[data-key="${g.key}"]`);
        check((await group.getAttribute('data-vendor')) === g.vendor, `${g.key} has the wrong vendor`);
        const rows = await group.locator(sel('accel-row')).count();
        check(rows === g.count, `${g.key} lists ${rows} devices, expected ${g.count}`);
        const summary = (await group.locator(sel('accel-group-count')).innerText()).trim();
        check(summary.includes(String(g.count)), `${g.key} summary reads "${summary}"`);
        check((await group.locator(`.el-collapse-item__header ${sel('simulated-tag')}`).count()) === 1, `${g.key} is not tagged simulated`);
        const simRows = await group.locator(`${sel('accel-row')} ${sel('simulated-tag')}`).count();
        check(simRows === g.count, `${g.key}: ${simRows} of ${g.count} devices tagged simulated`);
      }
      const ascend = page.locator(`${sel('accel-group')}[data-key="ascend/Ascend910B3"]`);
      const groupsSeen = new Set(await ascend.locator(sel('accel-topology')).allInnerTexts());
      check(groupsSeen.has('hccs0') && groupsSeen.has('hccs1'), `Ascend topology groups: ${[...groupsSeen].join(', ')}`);
      check((await page.locator(`${sel('simulated-tag')}:visible`).first().innerText()).trim() === '模拟', 'simulated tag is not translated');
      await page.locator(`${sel('accel-chart')} canvas`).first().waitFor();
      await screenshot('c02-accelerators-zh');
    });

    await step('the node filter shows only that node’s devices', async () => {
      await choose('accel-node-filter', `${sel('accel-node-option-node-3')}:visible`);
      await page.waitForFunction(
        (s) => {
          const gs = [...document.querySelectorAll(s)];
          return gs.length === 1 && gs[0].getAttribute('data-key') === 'hygon/K100_AI';
        },
        sel('accel-group'),
      );
      const nodes = new Set(await page.locator(sel('accel-node')).allInnerTexts());
      check(nodes.size === 1 && nodes.has('node-3'), `node filter shows devices of ${[...nodes].join(', ')}`);
      await page.locator(`${sel('accel-node-filter')} .el-select__wrapper`).hover();
      await page.locator(`${sel('accel-node-filter')} .el-select__clear`).click();
      await page.waitForFunction((s) => document.querySelectorAll(s).length >= 3, sel('accel-group'));
    });

    // The dry-run steps form one group: a failure there (e.g. the route is
    // missing on the backend) fails the run but does not skip the later steps.
    const abortedBeforeDryRun = stepsAborted();
    await step('the dry-run page says that it binds nothing', async () => {
      await openTab('dryRun');
      await page.locator(sel('dryrun-note')).waitFor();
      await page.locator(sel('dryrun-empty')).waitFor();
    });

    await step('dry run: 4 Ascend devices in one group fit on node-1', async () => {
      const result = await dryRun({ vendor: 'ascend', devices: 4, replicas: 1, topology: 'same-group' });
      if ((await result.getAttribute('data-feasible')) !== 'true') {
        const reasons = (await page.locator(sel('dryrun-reason')).allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
        throw new Error(`the dry run is not feasible; reasons: ${reasons.join(' | ') || 'none'}`);
      }
      const rows = page.locator(sel('dryrun-placement'));
      check((await rows.count()) === 1, `expected 1 placement, got ${await rows.count()}`);
      const node = (await rows.first().locator(sel('dryrun-node')).innerText()).trim();
      check(node === 'node-1', `placed on ${node}, expected node-1`);
      const env = (await rows.first().locator(sel('dryrun-env')).innerText()).trim();
      const m = /ASCEND_RT_VISIBLE_DEVICES=([0-9,]+)/.exec(env);
      check(m, `no ASCEND_RT_VISIBLE_DEVICES in "${env}"`);
      const devs = m[1].split(',').map(Number);
      check(devs.length === 4, `ASCEND_RT_VISIBLE_DEVICES lists ${devs.length} devices: ${m[1]}`);
      // Same HCCS group: devices 0–3 (hccs0) or 4–7 (hccs1).
      check(devs.every((d) => d < 4) || devs.every((d) => d >= 4), `devices ${m[1]} span both HCCS groups`);
      await screenshot('c03-dryrun-feasible');
    });

    await step('dry run: 16 Ascend devices per replica are refused with reasons', async () => {
      const result = await dryRun({ vendor: 'ascend', devices: 16, replicas: 1, topology: 'same-group' });
      check((await result.getAttribute('data-feasible')) === 'false', 'an impossible request was reported feasible');
      await page.locator(sel('dryrun-infeasible')).waitFor();
      const reasons = page.locator(sel('dryrun-reason'));
      check((await reasons.count()) > 0, 'no refusal reasons shown');
      const msgs = await page.locator(sel('dryrun-reason-message')).allInnerTexts();
      check(msgs.every((m) => m.trim().length > 0), 'a refusal reason has no message');
      const nodes = await reasons.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-key')));
      check(nodes.includes('node-1'), `no reason given for node-1 (reasons for ${nodes.join(', ')})`);
      await screenshot('c04-dryrun-refused');
    });

    setStepsAborted(abortedBeforeDryRun);

    await step('switching to English translates the module', async () => {
      await page.locator(sel('lang-switch')).click();
      await page.locator(`${sel('lang-en')}:visible`).click();
      await page.locator(sel('nav-clusters'), { hasText: 'Clusters & accelerators' }).waitFor();
      await page.locator(sel('page-title'), { hasText: 'Clusters & accelerators' }).waitFor();
      await page.locator(sel('cluster-tab-accelerators'), { hasText: 'Accelerators' }).waitFor();
      await openTab('accelerators');
      await page.locator(`${sel('accel-group')}[data-key="ascend/Ascend910B3"] ${sel('accel-group-name')}`, { hasText: 'Huawei Ascend' }).waitFor();
      await page.locator(`${sel('simulated-tag')}:visible`, { hasText: 'simulated' }).first().waitFor();
      await screenshot('c05-accelerators-en');
    });

    await step('auto-refresh stops when the page is left', async () => {
      await nav('overview');
      await page.locator(sel('overview')).waitFor();
      let calls = 0;
      const onReq = (r) => {
        if (/\/api\/v1\/(nodes|accelerators|cluster-events)/.test(r.url())) calls++;
      };
      page.on('request', onReq);
      await page.waitForTimeout(6_500);
      page.off('request', onReq);
      check(calls === 0, `${calls} cluster requests after leaving the page`);
    });

    await step('no uncaught errors and no traffic beyond loopback', noPageErrorsOrForeignTraffic);
  } finally {
    await browser.close().catch(() => {});
  }
}

runScenario('cluster.e2e', main);
