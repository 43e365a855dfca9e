// Flattens an OpenAPI 3 document into what the API docs page shows:
// operations grouped by tag with parameters, request and response schema
// names, and the named schemas with their fields.

type Json = Record<string, unknown>;

export interface DocParam {
  name: string;
  in: string;
  required: boolean;
  type: string;
  description: string;
}

export interface DocBody {
  mediaType: string;
  schema: string;
}

export interface DocResponse {
  status: string;
  description: string;
  bodies: DocBody[];
}

export interface DocOperation {
  id: string;
  method: string;
  path: string;
  tag: string;
  summary: string;
  description: string;
  deprecated: boolean;
  /** HAI extensions: the permission the route needs and its audit action. */
  permission: string;
  auditAction: string;
  params: DocParam[];
  requestBody: { required: boolean; description: string; bodies: DocBody[] } | null;
  responses: DocResponse[];
}

export interface DocField {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

export interface DocSchema {
  name: string;
  type: string;
  description: string;
  fields: DocField[];
}

export interface DocModel {
  title: string;
  version: string;
  description: string;
  operations: DocOperation[];
  schemas: DocSchema[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

function obj(v: unknown): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** Follows a local "#/a/b/c" reference; unknown references yield {}. */
function resolve(doc: Json, v: unknown): Json {
  let cur = obj(v);
  for (let depth = 0; depth < 10 && typeof cur.$ref === 'string'; depth++) {
    const ref = cur.$ref as string;
    if (!ref.startsWith('#/')) return {};
    let node: unknown = doc;
    for (const part of ref.slice(2).split('/')) node = obj(node)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    cur = obj(node);
  }
  return cur;
}

/** A short, readable type for a schema: its name, or its shape. */
export function schemaLabel(schema: unknown, depth = 0): string {
  const s = obj(schema);
  if (typeof s.$ref === 'string') return refName(s.$ref);
  if (depth > 4) return 'object';
  for (const k of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(s[k])) return (s[k] as unknown[]).map((x) => schemaLabel(x, depth + 1)).join(' | ');
  }
  if (Array.isArray(s.allOf)) return (s.allOf as unknown[]).map((x) => schemaLabel(x, depth + 1)).join(' & ');
  let type = Array.isArray(s.type) ? (s.type as string[]).join(' | ') : str(s.type);
  if (type === 'array' || (!type && s.items)) return `${schemaLabel(s.items, depth + 1)}[]`;
  if (!type && s.properties) type = 'object';
  if (!type) type = 'any';
  if (s.format) type += ` (${str(s.format)})`;
  if (Array.isArray(s.enum)) type += ` ∈ {${(s.enum as unknown[]).map(String).join(', ')}}`;
  if (s.nullable === true) type += ' | null';
  return type;
}

function bodies(content: unknown): DocBody[] {
  return Object.entries(obj(content)).map(([mediaType, m]) => ({
    mediaType,
    schema: schemaLabel(obj(m).schema),
  }));
}

function params(doc: Json, list: unknown): DocParam[] {
  if (!Array.isArray(list)) return [];
  return list.map((p) => {
    const r = resolve(doc, p);
    return {
      name: str(r.name),
      in: str(r.in),
      required: r.required === true,
      type: schemaLabel(r.schema),
      description: str(r.description),
    };
  });
}

function fields(schema: Json): DocField[] {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(obj(schema.properties)).map(([name, p]) => ({
    name,
    type: schemaLabel(p),
    required: required.has(name),
    description: str(obj(p).description),
  }));
}

export function parseOpenApi(raw: unknown): DocModel {
  const doc = obj(raw);
  const info = obj(doc.info);
  const operations: DocOperation[] = [];
  for (const [path, itemRaw] of Object.entries(obj(doc.paths))) {
    const item = resolve(doc, itemRaw);
    const shared = params(doc, item.parameters);
    for (const method of METHODS) {
      if (!item[method]) continue;
      const op = obj(item[method]);
      const own = params(doc, op.parameters);
      const merged = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      const rb = op.requestBody ? resolve(doc, op.requestBody) : null;
      operations.push({
        id: `${method}-${path}`.replace(/[^A-Za-z0-9_-]+/g, '-'),
        method: method.toUpperCase(),
        path,
        tag: Array.isArray(op.tags) && op.tags.length ? String(op.tags[0]) : '',
        summary: str(op.summary),
        description: str(op.description),
        deprecated: op.deprecated === true,
        permission: str(op['x-hai-permission']),
        auditAction: str(op['x-hai-audit-action']),
        params: merged,
        requestBody: rb ? { required: rb.required === true, description: str(rb.description), bodies: bodies(rb.content) } : null,
        responses: Object.entries(obj(op.responses)).map(([status, r]) => {
          const rr = resolve(doc, r);
          return { status, description: str(rr.description), bodies: bodies(rr.content) };
        }),
      });
    }
  }
  const schemas = Object.entries(obj(obj(doc.components).schemas)).map(([name, s]) => {
    const so = obj(s);
    return { name, type: schemaLabel({ ...so, $ref: undefined }), description: str(so.description), fields: fields(so) };
  });
  schemas.sort((a, b) => a.name.localeCompare(b.name));
  return {
    title: str(info.title),
    version: str(info.version),
    description: str(info.description),
    operations,
    schemas,
  };
}
