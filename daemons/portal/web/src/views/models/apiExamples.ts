// Code examples for calling a model's service on the OpenAI-compatible
// gateway: the endpoint follows the model's category, `model` is the service
// name. Examples are code, not prose, so they are not translated.

export interface ExampleTarget {
  /** e.g. http://10.0.0.5:8000/v1 */
  baseUrl: string;
  /** The service name callers put in `model`. */
  model: string;
  category: string;
}

type Body = Record<string, unknown>;

interface CategorySpec {
  path: string;
  body: (model: string) => Body;
  /** The openai-package call (after `client = OpenAI(...)`) and what it prints. */
  python: (model: string) => string;
  /** What the fetch example does with the answer. */
  js: string;
  /** curl writes a binary answer to this file. */
  curlOutput?: string;
}

/** A JSON value written as Python source (the bodies hold no booleans or nulls). */
function py(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v as Body)
      .map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(v);
}

const kw = (body: Body) =>
  Object.entries(body)
    .map(([k, v]) => `    ${k}=${py(v)},`)
    .join('\n');

const SPECS: Record<string, CategorySpec> = {
  'text-generation': {
    path: 'chat/completions',
    body: (model) => ({
      model,
      messages: [{ role: 'user', content: 'Hello! What can you do?' }],
      max_tokens: 256,
    }),
    python: (model) =>
      `resp = client.chat.completions.create(\n${kw(SPECS['text-generation'].body(model))}\n)\n` +
      'print(resp.choices[0].message.content)\nprint(resp.usage)',
    js: 'const data = await resp.json();\nconsole.log(data.choices[0].message.content, data.usage);',
  },
  embedding: {
    path: 'embeddings',
    body: (model) => ({ model, input: 'Text to turn into a vector' }),
    python: (model) =>
      `resp = client.embeddings.create(\n${kw(SPECS.embedding.body(model))}\n)\n` +
      'vector = resp.data[0].embedding\nprint(len(vector), vector[:8])',
    js: 'const data = await resp.json();\nconst vector = data.data[0].embedding;\nconsole.log(vector.length, vector.slice(0, 8));',
  },
  rerank: {
    path: 'rerank',
    body: (model) => ({
      model,
      query: 'What lowers blood pressure?',
      documents: ['Regular exercise can lower blood pressure.', 'A fracture is a broken bone.'],
    }),
    // The openai package has no rerank call; httpx comes with it.
    python: (model) =>
      '# The openai package has no rerank call; httpx (installed with it) posts the request.\n' +
      'import httpx\n\n' +
      'resp = httpx.post(\n    f"{client.base_url}rerank",\n    headers={"Authorization": f"Bearer {client.api_key}"},\n' +
      `    json=${JSON.stringify(SPECS.rerank.body(model), null, 4).replace(/\n/g, '\n    ')},\n)\n` +
      'resp.raise_for_status()\nfor r in resp.json()["results"]:\n    print(r["index"], r["relevance_score"])',
    js: 'const data = await resp.json();\nfor (const r of data.results) console.log(r.index, r.relevance_score);',
  },
  'image-generation': {
    path: 'images/generations',
    body: (model) => ({
      model,
      prompt: 'A watercolour painting of a lighthouse at dawn',
      size: '1024x1024',
      n: 1,
      response_format: 'b64_json',
    }),
    python: (model) =>
      'import base64\n\n' +
      `resp = client.images.generate(\n${kw(SPECS['image-generation'].body(model))}\n)\n` +
      'with open("image.png", "wb") as f:\n    f.write(base64.b64decode(resp.data[0].b64_json))',
    js: 'const data = await resp.json();\nconst png = data.data[0].b64_json; // base64-encoded PNG',
  },
  'speech-generation': {
    path: 'audio/speech',
    body: (model) => ({ model, input: 'Hello from the HAI platform.', voice: 'default', response_format: 'wav' }),
    python: (model) =>
      `with client.audio.speech.with_streaming_response.create(\n${kw(SPECS['speech-generation'].body(model))}\n) as resp:\n` +
      '    resp.stream_to_file("speech.wav")',
    js: 'const audio = await resp.blob(); // audio/wav',
    curlOutput: 'speech.wav',
  },
  'video-generation': {
    path: 'videos',
    body: (model) => ({ model, prompt: 'A paper boat drifting on a calm lake' }),
    python: (model) =>
      `video = client.videos.create(\n${kw(SPECS['video-generation'].body(model))}\n)\n` + 'print(video.id, video.status)',
    js: 'const job = await resp.json();\nconsole.log(job.id, job.status);',
  },
};

function spec(category: string): CategorySpec {
  return SPECS[category] ?? SPECS['text-generation'];
}

/** The gateway path for a category, e.g. "chat/completions". */
export function endpointOf(category: string): string {
  return spec(category).path;
}

export function curlExample(x: ExampleTarget): string {
  const s = spec(x.category);
  const body = JSON.stringify(s.body(x.model), null, 2).replace(/'/g, "'\\''");
  return [
    `curl ${x.baseUrl}/${s.path} \\`,
    '  -H "Authorization: Bearer <API key>" \\',
    '  -H "Content-Type: application/json" \\',
    `  -d '${body}'${s.curlOutput ? ` \\\n  --output ${s.curlOutput}` : ''}`,
  ].join('\n');
}

export function pythonExample(x: ExampleTarget): string {
  const s = spec(x.category);
  return [
    '# pip install openai',
    'from openai import OpenAI',
    '',
    `client = OpenAI(base_url="${x.baseUrl}", api_key="<API key>")`,
    '',
    s.python(x.model),
  ].join('\n');
}

export function javascriptExample(x: ExampleTarget): string {
  const s = spec(x.category);
  const body = JSON.stringify(s.body(x.model), null, 2).replace(/\n/g, '\n  ');
  return [
    `const resp = await fetch("${x.baseUrl}/${s.path}", {`,
    '  method: "POST",',
    '  headers: {',
    '    "Authorization": "Bearer <API key>",',
    '    "Content-Type": "application/json",',
    '  },',
    `  body: JSON.stringify(${body}),`,
    '});',
    'if (!resp.ok) throw new Error(`${resp.status}: ${await resp.text()}`);',
    s.js,
  ].join('\n');
}
