// "View code": the playground's current request as curl, Python and
// JavaScript (both with the official openai package) against the gateway.
// The key is always a placeholder. Examples are code, not prose, so they are
// not translated.

export type SampleKind = 'chat' | 'embeddings' | 'rerank';
type Body = Record<string, unknown>;

/** Parameters the engine reads but the OpenAI API does not define. */
const EXTRA_CHAT_PARAMS = ['top_k', 'repetition_penalty'];

export const KEY_PLACEHOLDER = '<API key>';

const PATHS: Record<SampleKind, string> = {
  chat: 'chat/completions',
  embeddings: 'embeddings',
  rerank: 'rerank',
};

/** A JSON value written as Python source. */
function py(v: unknown, indent = ''): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    const inner = indent + '    ';
    return `[\n${v.map((x) => inner + py(x, inner)).join(',\n')},\n${indent}]`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Body);
    if (!entries.length) return '{}';
    // Short objects (a message) stay on one line.
    const flat = `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`).join(', ')}}`;
    if (flat.length <= 80 && !flat.includes('\n')) return flat;
    const inner = indent + '    ';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${py(x, inner)}`).join(',\n')},\n${indent}}`;
  }
  return JSON.stringify(v);
}

function kwargs(body: Body): string {
  return Object.entries(body)
    .map(([k, v]) => `    ${k}=${py(v, '    ')},`)
    .join('\n');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

export function baseUrlOf(gatewayUrl: string): string {
  return `${gatewayUrl || '<gateway URL>'}/v1`;
}

export function curlSample(kind: SampleKind, gatewayUrl: string, body: Body): string {
  const stream = body.stream === true;
  return [
    `curl${stream ? ' -N' : ''} ${baseUrlOf(gatewayUrl)}/${PATHS[kind]} \\`,
    `  -H "Authorization: Bearer ${KEY_PLACEHOLDER}" \\`,
    '  -H "Content-Type: application/json" \\',
    `  -d ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join('\n');
}

function pythonCall(kind: SampleKind, body: Body): string {
  if (kind === 'chat') {
    const standard: Body = {};
    const extra: Body = {};
    for (const [k, v] of Object.entries(body)) (EXTRA_CHAT_PARAMS.includes(k) ? extra : standard)[k] = v;
    const extraLine = Object.keys(extra).length
      ? `\n    # Not OpenAI parameters: sent as they are, for the engine.\n    extra_body=${py(extra, '    ')},`
      : '';
    const call = `client.chat.completions.create(\n${kwargs(standard)}${extraLine}\n)`;
    if (body.stream !== true) return `resp = ${call}\nprint(resp.choices[0].message.content)\nprint(resp.usage)`;
    return [
      `stream = ${call}`,
      'for chunk in stream:',
      '    if chunk.choices and chunk.choices[0].delta.content:',
      '        print(chunk.choices[0].delta.content, end="", flush=True)',
      '    if chunk.usage:',
      '        print("\\n", chunk.usage)',
    ].join('\n');
  }
  if (kind === 'embeddings') {
    return [
      `resp = client.embeddings.create(\n${kwargs(body)}\n)`,
      'for item in resp.data:',
      '    print(len(item.embedding), item.embedding[:8])',
    ].join('\n');
  }
  // The openai package has no rerank method; its generic post() sends the request.
  return [
    '# The openai package has no rerank method; its generic post() sends the request.',
    `resp = client.post("/rerank", cast_to=httpx.Response, body=${py(body)}).json()`,
    'for r in resp["results"]:',
    '    print(r["index"], r["relevance_score"])',
  ].join('\n');
}

export function pythonSample(kind: SampleKind, gatewayUrl: string, body: Body): string {
  return [
    '# pip install openai',
    ...(kind === 'rerank' ? ['import httpx', ''] : []),
    'from openai import OpenAI',
    '',
    `client = OpenAI(base_url="${baseUrlOf(gatewayUrl)}", api_key="${KEY_PLACEHOLDER}")`,
    '',
    pythonCall(kind, body),
  ].join('\n');
}

function jsCall(kind: SampleKind, body: Body): string {
  const literal = JSON.stringify(body, null, 2);
  if (kind === 'chat') {
    const note = EXTRA_CHAT_PARAMS.some((k) => k in body)
      ? '// top_k and repetition_penalty are not OpenAI parameters; the client sends them as they are.\n'
      : '';
    if (body.stream !== true) {
      return `${note}const resp = await client.chat.completions.create(${literal});\nconsole.log(resp.choices[0].message.content, resp.usage);`;
    }
    return [
      `${note}const stream = await client.chat.completions.create(${literal});`,
      'for await (const chunk of stream) {',
      '  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");',
      '  if (chunk.usage) console.log("\\n", chunk.usage);',
      '}',
    ].join('\n');
  }
  if (kind === 'embeddings') {
    return [
      `const resp = await client.embeddings.create(${literal});`,
      'for (const item of resp.data) console.log(item.embedding.length, item.embedding.slice(0, 8));',
    ].join('\n');
  }
  return [
    '// The openai package has no rerank method; its generic post() sends the request.',
    `const resp = await client.post("/rerank", { body: ${literal} });`,
    'for (const r of resp.results) console.log(r.index, r.relevance_score);',
  ].join('\n');
}

export function javascriptSample(kind: SampleKind, gatewayUrl: string, body: Body): string {
  return [
    '// npm install openai',
    'import OpenAI from "openai";',
    '',
    `const client = new OpenAI({ baseURL: "${baseUrlOf(gatewayUrl)}", apiKey: "${KEY_PLACEHOLDER}" });`,
    '',
    jsCall(kind, body),
  ].join('\n');
}
