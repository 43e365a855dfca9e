// End-to-end test of the HAI portal web UI in a real Chromium.
//
//   PORTAL_URL=http://127.0.0.1:PORT ADMIN_PASSWORD=... node e2e/portal.e2e.mjs
//
// Environment:
//   PORTAL_URL       base URL of a running hai-portal serving the built UI (required)
//   ADMIN_PASSWORD   password of the platform admin (required)
//   ADMIN_USER       admin username (default: admin)
//   SCREENSHOT_DIR   where to write screenshots (optional; none when unset)
//   CHROMIUM         browser binary (default: /usr/bin/chromium)
//
// Scenario: the admin signs in, creates an organisation, an org admin and a
// developer, and puts both into the organisation; the developer signs in and
// creates an API key whose secret is shown exactly once; the admin finds all
// of it in the audit log, exports it as CSV and switches to English.
// Only loopback traffic is allowed; any other request is blocked and fails
// the run. The last line printed is "N passed, N failed".

import { readFileSync } from 'node:fs';
import {
  ADMIN_PASSWORD,
  ADMIN_USER,
  NAV_TIMEOUT_MS,
  PORTAL_URL,
  STEP_TIMEOUT_MS,
  check,
  choose,
  field,
  fill,
  log,
  login as signIn,
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

requirePortalEnv('portal.e2e');

const suffix = Date.now().toString(36);
const ORG = `e2e-cardiology-${suffix}`;
const ORG_ADMIN = { username: `oadmin_${suffix}`, password: `Oa-${suffix}-pass-1`, name: 'E2E Org Admin' };
const DEVELOPER = { username: `dev_${suffix}`, password: `Dv-${suffix}-pass-1`, name: 'E2E Developer' };
const KEY_NAME = `e2e-key-${suffix}`;

// ---- UI helpers ----------------------------------------------------------

async function dialogClosed(name) {
  await page.locator(`${sel(name)}:visible`).waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS }).catch(async () => {
    await page.locator(sel(name)).waitFor({ state: 'hidden' });
  });
}

/** Signs in and checks that the header shows who is signed in. */
async function login(username, password) {
  await signIn(username, password);
  const shown = (await page.locator(sel('current-user')).innerText()).trim();
  check(shown.length > 0, 'header shows no current user');
}

async function logout() {
  await page.locator(sel('user-menu')).click();
  await page.locator(`${sel('logout')}:visible`).click();
  await page.locator(sel('login-page')).waitFor({ timeout: NAV_TIMEOUT_MS });
  // The session cookie must be gone: a protected page leads back to login.
  await page.goto(`${PORTAL_URL}/users`);
  await page.locator(sel('login-page')).waitFor();
}

/** Creates a user through the Users page; optionally into an org with a role. */
async function createUser(u, org, role) {
  await nav('users');
  await page.locator(sel('user-create')).click();
  await page.locator(`${sel('user-form-dialog')}:visible`).waitFor();
  await fill('user-form-username', u.username);
  await fill('user-form-password', u.password);
  await fill('user-form-display-name', u.name);
  await fill('user-form-email', `${u.username}@hospital.example`);
  if (org) {
    await choose('user-form-org', org);
    await choose('user-form-role', `${sel(`role-option-${role}`)}:visible`);
  }
  await page.locator(sel('user-form-submit')).click();
  await dialogClosed('user-form-dialog');
  await fill('user-search', u.username);
  await field('user-search').press('Enter');
  await page.locator(`${sel('user-row')}[data-key="${u.username}"]`).waitFor();
}

// ---- scenario --------------------------------------------------------------

async function main() {
  const { browser, context } = await openBrowser({ contextOptions: { acceptDownloads: true } });

  try {
    await step('anonymous visitor is sent to the login page', async () => {
      await page.goto(`${PORTAL_URL}/overview`);
      await page.locator(sel('login-page')).waitFor();
      check(new URL(page.url()).pathname === '/login', `expected /login, got ${page.url()}`);
    });

    await step('default language is Simplified Chinese', async () => {
      const label = (await page.locator(sel('login-submit')).innerText()).trim();
      check(label === '登录', `login button reads "${label}", expected "登录"`);
      await screenshot('01-login');
    });

    await step('a wrong password shows the server error', async () => {
      await fill('login-username', ADMIN_USER);
      await fill('login-password', 'definitely-not-the-password');
      await page.locator(sel('login-submit')).click();
      const err = page.locator(sel('login-error'));
      await err.waitFor();
      check((await err.innerText()).trim().length > 0, 'login error is empty');
      check(new URL(page.url()).pathname === '/login', 'left the login page after a failed login');
    });

    await step('admin signs in', async () => {
      await login(ADMIN_USER, ADMIN_PASSWORD);
      await page.locator(sel('overview')).waitFor();
    });

    await step('navigation lists every module', async () => {
      const keys = [
        'overview', 'models', 'services', 'playground', 'finetune', 'evaluation', 'datasets',
        'monitoring', 'callLogs', 'reports', 'alerts', 'clusters', 'hwcheck', 'fabric',
        'orgs', 'users', 'apiKeys', 'audit', 'apiDocs', 'profile',
      ];
      for (const k of keys) check((await page.locator(sel(`nav-${k}`)).count()) === 1, `nav-${k} missing`);
      await screenshot('02-overview');
    });

    await step('a module not built yet says so and shows no data', async () => {
      await nav('finetune');
      const title = page.locator(sel('not-available-title'));
      await title.waitFor();
      check((await title.innerText()).includes('模型微调'), 'not-available page does not name the module');
      check((await page.locator('canvas, .el-table').count()) === 0, 'not-available page shows a chart or table');
    });

    await step('admin creates an organisation', async () => {
      await nav('orgs');
      await page.locator(sel('org-create')).click();
      await page.locator(`${sel('org-form-dialog')}:visible`).waitFor();
      await fill('org-form-name', ORG);
      await fill('org-form-description', 'Created by the portal end-to-end test');
      await page.locator(sel('org-form-submit')).click();
      await page.locator(sel('org-detail-name'), { hasText: ORG }).waitFor();
    });

    await step('admin creates an org admin user in the organisation', async () => {
      await createUser(ORG_ADMIN, ORG, 'org_admin');
    });

    await step('admin creates a developer user', async () => {
      await createUser(DEVELOPER);
    });

    await step('admin adds the developer to the organisation', async () => {
      await nav('orgs');
      await fill('org-search', ORG);
      await field('org-search').press('Enter');
      await page.locator(sel('org-link'), { hasText: ORG }).click();
      await page.locator(sel('org-detail-name'), { hasText: ORG }).waitFor();
      await page.locator(sel('org-add-member')).click();
      await page.locator(`${sel('member-dialog')}:visible`).waitFor();
      await page.locator(sel('member-user-select')).click();
      await field('member-user-select').fill(DEVELOPER.username);
      await page.locator(`${sel(`user-option-${DEVELOPER.username}`)}:visible`).click();
      await page.locator(sel('member-role-developer')).click();
      await page.locator(sel('member-submit')).click();
      await dialogClosed('member-dialog');
    });

    await step('organisation members have the expected roles', async () => {
      const role = (u) => page.locator(`${sel('member-row')}[data-key="${u}"] ${sel('member-role')}`);
      await role(DEVELOPER.username).waitFor();
      check((await role(DEVELOPER.username).getAttribute('data-role')) === 'developer', 'developer has the wrong role');
      check((await role(ORG_ADMIN.username).getAttribute('data-role')) === 'org_admin', 'org admin has the wrong role');
      await screenshot('03-org-members');
    });

    await step('admin signs out', logout);

    let secret = '';
    await step('developer signs in', async () => {
      await login(DEVELOPER.username, DEVELOPER.password);
    });

    await step('developer creates an API key and sees the secret once', async () => {
      await nav('apiKeys');
      await page.locator(sel('key-create')).click();
      await page.locator(`${sel('key-create-dialog')}:visible`).waitFor();
      const orgValue = page.locator(`${sel('key-form-org')} .el-select__selected-item:not(.is-hidden)`);
      if (!((await orgValue.innerText().catch(() => '')) || '').includes(ORG)) await choose('key-form-org', ORG);
      await fill('key-form-name', KEY_NAME);
      const inference = page.locator(`${sel('key-scope-inference')} input`);
      check(await inference.isChecked(), 'inference scope is not preselected');
      await page.locator(sel('key-form-submit')).click();
      const dialog = page.locator(`${sel('key-secret-dialog')}:visible`);
      await dialog.waitFor();
      secret = (await page.locator(sel('key-secret')).innerText()).trim();
      check(secret.length >= 16, `secret looks too short: "${secret}"`);
      await page.locator(sel('key-secret-warning')).waitFor();
      await page.locator(sel('key-secret-copy')).click();
      await screenshot('04-key-secret');
      await page.locator(sel('key-secret-close')).click();
      await dialogClosed('key-secret-dialog');
    });

    await step('the secret is not shown again', async () => {
      const row = page.locator(sel('key-row'), { hasText: KEY_NAME });
      await row.waitFor();
      await row.locator(`${sel('key-status')}[data-status="active"]`).waitFor();
      check(!(await page.content()).includes(secret), 'the secret is still in the page after closing the dialog');
      await page.reload();
      await page.locator(sel('key-row'), { hasText: KEY_NAME }).waitFor();
      check(!(await page.content()).includes(secret), 'the secret is in the page after a reload');
    });

    await step('developer signs out', logout);

    await step('admin signs in again', async () => {
      await login(ADMIN_USER, ADMIN_PASSWORD);
    });

    await step('audit log shows the scenario', async () => {
      await nav('audit');
      await page.locator(sel('audit-row')).first().waitFor();
      const actions = await page.locator(sel('audit-action-cell')).allInnerTexts();
      const want = [/login/, /^org\.create$/, /^user\.create$/, /^org\.member_add$/, /^api_key\.create$/];
      for (const re of want) {
        check(actions.some((a) => re.test(a.trim())), `no audit entry matching ${re} (saw: ${[...new Set(actions)].join(', ')})`);
      }
    });

    await step('audit filter by action', async () => {
      await fill('audit-action', 'api_key.create');
      await page.locator(sel('audit-search')).click();
      await page.waitForFunction(
        (s) => {
          const cells = [...document.querySelectorAll(s)].map((e) => e.textContent.trim());
          return cells.length > 0 && cells.every((c) => c === 'api_key.create');
        },
        sel('audit-action-cell'),
      );
    });

    await step('audit CSV export downloads with the same filter', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(sel('audit-export')).click(),
      ]);
      const path = await download.path();
      const csv = readFileSync(path, 'utf8');
      const lines = csv.trim().split(/\r?\n/);
      check(lines.length >= 2, 'CSV has no data rows');
      check(/action/i.test(lines[0]), `CSV header has no action column: ${lines[0]}`);
      check(csv.includes('api_key.create'), 'CSV lacks the api_key.create entry');
      check(!/org\.member_add/.test(csv), 'CSV ignores the action filter');
      await page.locator(sel('audit-reset')).click();
      await screenshot('05-audit-zh');
    });

    await step('switching to English translates the UI and persists', async () => {
      await page.locator(sel('lang-switch')).click();
      await page.locator(`${sel('lang-en')}:visible`).click();
      await page.locator(sel('nav-audit'), { hasText: 'Audit log' }).waitFor();
      await page.locator(sel('page-title'), { hasText: 'Audit log' }).waitFor();
      await page.reload();
      await page.locator(sel('nav-audit'), { hasText: 'Audit log' }).waitFor();
      await page.locator(sel('audit-row')).first().waitFor();
      await screenshot('06-audit-en');
    });

    await step('API docs page renders the OpenAPI document (or the server error)', async () => {
      await nav('apiDocs');
      await page.locator(sel('api-docs')).waitFor();
      await page.locator(`${sel('docs-operation')}, ${sel('docs-error')}`).first().waitFor();
      const ops = await page.locator(sel('docs-operation')).count();
      if (ops > 0) {
        log(`  API docs list ${ops} operations`);
        const paths = await page.locator(sel('docs-operation')).evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
        check(paths.some((p) => p && p.includes('/auth/login')), 'API docs do not list /auth/login');
      } else {
        log(`  API docs: ${(await page.locator(sel('docs-error')).innerText()).replace(/\s+/g, ' ')}`);
      }
      await screenshot('07-api-docs');
    });

    await step('a 401 from the API returns to the login page', async () => {
      await context.clearCookies();
      await nav('orgs');
      await page.locator(sel('login-page')).waitFor({ timeout: NAV_TIMEOUT_MS });
    });

    await step('no uncaught errors and no traffic beyond loopback', noPageErrorsOrForeignTraffic);
  } finally {
    await browser.close().catch(() => {});
  }
}

runScenario('portal.e2e', main);
