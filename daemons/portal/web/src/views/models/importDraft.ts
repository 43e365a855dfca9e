// The import dialog's form and what of it reaches the server: only the card
// fields the admin filled in, so the rest comes from the weights' config.json
// (or, for a catalogue name, stays as the catalogue card has it).
import type { ModelCardFields } from '@/api/models';

export type ImportSource = 'directory' | 'archive';

export interface ImportDraft {
  source: ImportSource;
  path: string;
  file: File | null;
  name: string;
  version: string;
  display_name: string;
  category: string;
  capabilities: string[];
  vendor: string;
  series: string;
  params_b: number | undefined;
  context_length: number | undefined;
  licence: string;
  introduction: string;
  use_cases: string[];
  highlights: string[];
  compatible_engines: string[];
  /** '' keeps the server's default (visible to all). */
  visibility: '' | 'all' | 'orgs';
  visible_org_ids: number[];
}

export function emptyDraft(): ImportDraft {
  return {
    source: 'directory',
    path: '',
    file: null,
    name: '',
    version: '',
    display_name: '',
    category: '',
    capabilities: [],
    vendor: '',
    series: '',
    params_b: undefined,
    context_length: undefined,
    licence: '',
    introduction: '',
    use_cases: [],
    highlights: [],
    compatible_engines: [],
    visibility: '',
    visible_org_ids: [],
  };
}

export function cardFields(d: ImportDraft): ModelCardFields {
  const out: ModelCardFields = {};
  const text = (v: string) => v.trim();
  if (text(d.display_name)) out.display_name = text(d.display_name);
  if (d.category) out.category = d.category;
  if (d.capabilities.length) out.capabilities = [...d.capabilities];
  if (text(d.vendor)) out.vendor = text(d.vendor);
  if (text(d.series)) out.series = text(d.series);
  if (d.params_b !== undefined) out.params_b = d.params_b;
  if (d.context_length !== undefined) out.context_length = d.context_length;
  if (text(d.licence)) out.licence = text(d.licence);
  if (text(d.introduction)) out.introduction = d.introduction.trim();
  const lines = (v: string[]) => v.map((s) => s.trim()).filter(Boolean);
  if (lines(d.use_cases).length) out.use_cases = lines(d.use_cases);
  if (lines(d.highlights).length) out.highlights = lines(d.highlights);
  if (d.compatible_engines.length) out.compatible_engines = [...d.compatible_engines];
  if (d.visibility) out.visibility = d.visibility;
  if (d.visibility === 'orgs') out.visible_org_ids = [...d.visible_org_ids];
  return out;
}
