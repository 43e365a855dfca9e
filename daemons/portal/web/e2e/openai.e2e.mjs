// Compatibility of the gateway with the official OpenAI client (the `openai`
// npm package), against the whole appliance (`haictl up`). Not a browser test:
// a program with an API key, as a customer's would be.
//
//   PORTAL_URL=http://127.0.0.1:PORT ADMIN_PASSWORD=... node e2e/openai.e2e.mjs
//
// Environment: PORTAL_URL, ADMIN_PASSWORD, ADMIN_USER (as the other
// scenarios); GATEWAY_URL overrides the gateway the portal names
// (GET /api/v1/endpoints).
//
// Scenario: the admin signs in to the portal API, joins the demo organisation
// and makes an inference key there; with `new OpenAI({ baseURL: gateway +
// '/v1', apiKey })`: models.list holds demo; a chat completion answers with
// usage; a streamed one yields content chunks; embeddings answer from an
// embedding service (demo-embedding is deployed for it when none exists, and
// removed again); a wrong key throws AuthenticationError (401) and an unknown
// model NotFoundError (404). The key is revoked at the end.
// The last line printed is "N passed, N failed".

import OpenAI, { AuthenticationError, NotFoundError } from 'openai';
import { ADMIN_PASSWORD, ADMIN_USER, PORTAL_URL, check, log, requirePortalEnv, runScenario, step } from './harness.mjs';

// The gateway learns a new key on first use and new replicas from the
// scheduler's routing table within a second or two.
const ROUTED_TIMEOUT_MS = 30_000;
// An embedding replica of the small BERT demo loads in seconds.
const READY_TIMEOUT_MS = 120_000;
const GONE_TIMEOUT_MS = 60_000;
const SERVICE = 'demo';
const EMBEDDING_MODEL = 'demo-embedding';

requirePortalEnv('openai.e2e');

// ---- portal API ------------------------------------------------------------

let token = '';

async function api(method, path, body) {
  const resp = await fetch(`${PORTAL_URL}/api/v1${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await resp.text();
  check(resp.ok, `${method} ${path} answered ${resp.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Retries `fn` until it resolves or the deadline passes; the last error is thrown. */
async function eventually(what, fn, timeoutMs = ROUTED_TIMEOUT_MS) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await sleep(500);
    }
  }
  throw new Error(`${what} after ${Math.round(timeoutMs / 1000)} s: ${last?.message ?? last}`);
}

/** A service of an embedding model with a Ready replica, if there is one. */
async function readyEmbeddingService() {
  const models = (await api('GET', '/models?category=embedding&limit=500')).items;
  const ids = new Set(models.map((m) => m.id));
  const services = (await api('GET', '/services?limit=500')).items;
  return services.find((s) => ids.has(s.model_id) && s.ready > 0 && s.state === 'active');
}

/** Deploys demo-embedding (builtin engine, one device of the freest vendor). */
async function deployEmbedding(orgId) {
  const model = (await api('GET', `/models?q=${EMBEDDING_MODEL}&limit=50`)).items.find((m) => m.name === EMBEDDING_MODEL);
  check(model && model.available, `the ${EMBEDDING_MODEL} model is not on the appliance`);
  const free = new Map();
  for (const a of (await api('GET', '/accelerators')).items) if (!a.held_by) free.set(a.vendor, (free.get(a.vendor) ?? 0) + 1);
  const vendor = [...free.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  check(vendor, 'no free accelerator for an embedding replica');
  const name = `e2e-embed-${Math.random().toString(36).slice(2, 8)}`;
  const service = await api('POST', '/services', { name, model_id: model.id, org_id: orgId });
  await api('POST', `/services/${service.id}/deployments`, {
    engine: 'builtin',
    vendor,
    devices_per_replica: 1,
    replicas: 1,
  });
  await eventually(
    `${name} has no Ready replica`,
    async () => {
      const s = await api('GET', `/services/${service.id}`);
      check(s.ready >= 1, `${s.ready} ready`);
    },
    READY_TIMEOUT_MS,
  );
  log(`  deployed ${name} (${vendor})`);
  return { ...service, name };
}

// ---- scenario --------------------------------------------------------------

async function main() {
  let gateway = process.env.GATEWAY_URL || '';
  let orgId = 0;
  let keyId = 0;
  let client;
  let embedding;
  let deployed;

  try {
    await step('the admin signs in to the portal API and finds the gateway', async () => {
      const login = await api('POST', '/auth/login', { username: ADMIN_USER, password: ADMIN_PASSWORD });
      token = login.token;
      check(token, 'no session token');
      if (!gateway) gateway = (await api('GET', '/endpoints')).gateway_url ?? '';
      gateway = gateway.replace(/\/+$/, '');
      check(/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(gateway), `the gateway URL is "${gateway}"`);
    });

    await step('an inference key is made in the demo organisation', async () => {
      const orgs = (await api('GET', '/orgs?limit=500')).items;
      orgId = orgs.find((o) => o.name === 'demo')?.id ?? 0;
      check(orgId, `no demo organisation among ${orgs.map((o) => o.name).join(', ')}`);
      const me = await api('GET', '/auth/me');
      // A platform admin makes keys only where they are a member.
      if (!me.memberships.some((m) => m.org_id === orgId))
        await api('POST', `/orgs/${orgId}/members`, { user_id: me.user.id, role: 'org_admin' });
      const key = await api('POST', '/api-keys', {
        org_id: orgId,
        name: `openai-e2e-${Date.now()}`,
        scopes: ['inference'],
      });
      check(typeof key.key === 'string' && key.key.length > 20, 'the answer holds no key');
      keyId = key.id;
      client = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: key.key, maxRetries: 0, timeout: 60_000 });
    });

    await step('models.list holds the demo service', async () => {
      const ids = await eventually('demo is not listed', async () => {
        const list = [];
        for await (const m of client.models.list()) list.push(m.id);
        check(list.includes(SERVICE), `listed: ${list.join(', ')}`);
        return list;
      });
      log(`  models: ${ids.join(', ')}`);
    });

    await step('chat.completions.create answers with usage', async () => {
      const resp = await eventually('no answer', () =>
        client.chat.completions.create({
          model: SERVICE,
          messages: [{ role: 'user', content: 'Hello!' }],
          max_tokens: 8,
        }),
      );
      check(resp.object === 'chat.completion', `object is ${resp.object}`);
      check(typeof resp.choices?.[0]?.message?.content === 'string', 'no message content');
      check(resp.usage && resp.usage.completion_tokens > 0 && resp.usage.prompt_tokens > 0, `usage: ${JSON.stringify(resp.usage)}`);
      check(resp.usage.total_tokens === resp.usage.prompt_tokens + resp.usage.completion_tokens, 'total_tokens is not the sum');
    });

    await step('a streamed chat yields content chunks (and usage when asked)', async () => {
      const stream = await client.chat.completions.create({
        model: SERVICE,
        messages: [{ role: 'user', content: 'Count to five.' }],
        max_tokens: 16,
        stream: true,
        stream_options: { include_usage: true },
      });
      let content = 0;
      let text = '';
      let usage = null;
      for await (const chunk of stream) {
        check(chunk.object === 'chat.completion.chunk', `chunk object ${chunk.object}`);
        const delta = chunk.choices?.[0]?.delta?.content;
        if (delta) {
          content++;
          text += delta;
        }
        if (chunk.usage) usage = chunk.usage;
      }
      check(content >= 1, 'no content chunk');
      check(usage && usage.completion_tokens > 0, `no usage chunk: ${JSON.stringify(usage)}`);
      log(`  ${content} content chunks, ${text.length} characters, usage ${JSON.stringify(usage)}`);
    });

    await step('embeddings.create answers from an embedding service', async () => {
      embedding = await readyEmbeddingService();
      if (!embedding) {
        deployed = await deployEmbedding(orgId);
        embedding = deployed;
      }
      const resp = await eventually(`${embedding.name} does not answer`, () =>
        client.embeddings.create({ model: embedding.name, input: ['a lighthouse', 'a beacon on the coast'] }),
      );
      check(resp.data.length === 2, `${resp.data.length} vectors for 2 inputs`);
      const dims = resp.data.map((d) => d.embedding.length);
      check(dims[0] > 0 && dims[0] === dims[1], `vector lengths ${dims.join(', ')}`);
      check(resp.data[0].embedding.every((x) => typeof x === 'number' && Number.isFinite(x)), 'non-numeric values');
      log(`  ${embedding.name}: ${dims[0]} dimensions`);
    });

    await step('a wrong key throws AuthenticationError (401)', async () => {
      const wrong = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: 'hai_not-a-real-key-0000000000', maxRetries: 0 });
      let caught;
      try {
        await wrong.chat.completions.create({ model: SERVICE, messages: [{ role: 'user', content: 'x' }], max_tokens: 1 });
      } catch (e) {
        caught = e;
      }
      check(caught instanceof AuthenticationError, `threw ${caught?.constructor?.name}: ${caught?.message}`);
      check(caught.status === 401, `status ${caught.status}`);
      check(typeof caught.error?.message === 'string' || typeof caught.message === 'string', 'no error message');
    });

    await step('an unknown model throws NotFoundError (404)', async () => {
      let caught;
      try {
        await client.chat.completions.create({
          model: `no-such-service-${Date.now()}`,
          messages: [{ role: 'user', content: 'x' }],
          max_tokens: 1,
        });
      } catch (e) {
        caught = e;
      }
      check(caught instanceof NotFoundError, `threw ${caught?.constructor?.name}: ${caught?.message}`);
      check(caught.status === 404, `status ${caught.status}`);
    });
  } finally {
    // Leave the appliance as found; failures here are reported, not fatal.
    if (deployed) {
      await api('DELETE', `/services/${deployed.id}`).catch((e) => log(`  cleanup: ${e.message}`));
      await eventually(
        `${deployed.name} is still listed`,
        async () => {
          const left = await api('GET', `/services?q=${encodeURIComponent(deployed.name)}`);
          check(!left.items.some((s) => s.id === deployed.id), 'still there');
        },
        GONE_TIMEOUT_MS,
      ).catch((e) => log(`  cleanup: ${e.message}`));
    }
    if (keyId) await api('DELETE', `/api-keys/${keyId}`).catch((e) => log(`  cleanup: ${e.message}`));
  }
}

runScenario('openai.e2e', main);
