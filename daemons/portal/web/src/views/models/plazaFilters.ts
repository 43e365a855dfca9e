// The plaza's filters live in the address (?q=…&category=…&page=…) so that
// coming back from a card, reloading or sharing a link shows the same list.
import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { ModelFilter, ModelSort } from '@/api/models';

export const PLAZA_SORTS: ModelSort[] = ['', 'name', '-updated', '-params', 'params', '-context', 'context'];
export const PLAZA_PAGE_SIZE = 50;

export interface PlazaFilters {
  q: string;
  category: string[];
  capability: string[];
  vendor: string[];
  /** Context length bounds in K tokens (1,024). */
  contextMinK: number | undefined;
  contextMaxK: number | undefined;
  /** Parameter size bounds in billions. */
  paramsMin: number | undefined;
  paramsMax: number | undefined;
  sort: ModelSort;
  page: number;
  size: number;
}

export function emptyFilters(): PlazaFilters {
  return {
    q: '',
    category: [],
    capability: [],
    vendor: [],
    contextMinK: undefined,
    contextMaxK: undefined,
    paramsMin: undefined,
    paramsMax: undefined,
    sort: '',
    page: 1,
    size: PLAZA_PAGE_SIZE,
  };
}

function text(v: LocationQuery[string]): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

function list(v: LocationQuery[string]): string[] {
  return text(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function num(v: LocationQuery[string]): number | undefined {
  const s = text(v);
  if (!s) return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function filtersFromQuery(query: LocationQuery): PlazaFilters {
  const f = emptyFilters();
  f.q = text(query.q);
  f.category = list(query.category);
  f.capability = list(query.capability);
  f.vendor = list(query.vendor);
  f.contextMinK = num(query.ctx_min_k);
  f.contextMaxK = num(query.ctx_max_k);
  f.paramsMin = num(query.params_min);
  f.paramsMax = num(query.params_max);
  const sort = text(query.sort) as ModelSort;
  f.sort = PLAZA_SORTS.includes(sort) || sort === 'relevance' ? sort : '';
  f.page = Math.max(1, Math.floor(num(query.page) ?? 1));
  f.size = Math.min(100, Math.max(10, Math.floor(num(query.size) ?? PLAZA_PAGE_SIZE)));
  return f;
}

/** Only what differs from the defaults, so a fresh plaza has a clean address. */
export function filtersToQuery(f: PlazaFilters): LocationQueryRaw {
  const out: LocationQueryRaw = {};
  if (f.q.trim()) out.q = f.q.trim();
  if (f.category.length) out.category = f.category.join(',');
  if (f.capability.length) out.capability = f.capability.join(',');
  if (f.vendor.length) out.vendor = f.vendor.join(',');
  if (f.contextMinK !== undefined) out.ctx_min_k = String(f.contextMinK);
  if (f.contextMaxK !== undefined) out.ctx_max_k = String(f.contextMaxK);
  if (f.paramsMin !== undefined) out.params_min = String(f.paramsMin);
  if (f.paramsMax !== undefined) out.params_max = String(f.paramsMax);
  if (f.sort) out.sort = f.sort;
  if (f.page > 1) out.page = String(f.page);
  if (f.size !== PLAZA_PAGE_SIZE) out.size = String(f.size);
  return out;
}

export function filtersToApi(f: PlazaFilters): ModelFilter {
  const k = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * 1024));
  return {
    q: f.q.trim() || undefined,
    category: f.category,
    capability: f.capability,
    vendor: f.vendor,
    context_min: k(f.contextMinK),
    context_max: k(f.contextMaxK),
    params_min: f.paramsMin,
    params_max: f.paramsMax,
    sort: f.sort,
    limit: f.size,
    offset: (f.page - 1) * f.size,
  };
}

/** Whether any filter (not paging or sorting) narrows the list. */
export function hasFilters(f: PlazaFilters): boolean {
  return (
    !!f.q.trim() ||
    f.category.length + f.capability.length + f.vendor.length > 0 ||
    [f.contextMinK, f.contextMaxK, f.paramsMin, f.paramsMax].some((v) => v !== undefined)
  );
}
