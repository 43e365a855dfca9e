// v-test-rows: puts data-test (and data-key) attributes on the body rows of an
// el-table, which offers no row attribute hook. Rows are matched to data by
// position, which holds for flat tables without expansion rows.
import type { Directive } from 'vue';

interface Binding {
  name: string;
  rows: ReadonlyArray<object>;
  key?: string;
}

interface Tagged extends HTMLElement {
  __haiRows?: Binding;
  __haiObserver?: MutationObserver;
}

function apply(el: Tagged): void {
  const b = el.__haiRows;
  if (!b) return;
  const trs = el.querySelectorAll<HTMLTableRowElement>('.el-table__body-wrapper tr.el-table__row');
  trs.forEach((tr, i) => {
    if (tr.getAttribute('data-test') !== b.name) tr.setAttribute('data-test', b.name);
    const row = b.rows[i] as Record<string, unknown> | undefined;
    const key = row && b.key ? String(row[b.key]) : String(i);
    if (tr.getAttribute('data-key') !== key) tr.setAttribute('data-key', key);
  });
}

export const vTestRows: Directive<Tagged, Binding> = {
  mounted(el, binding) {
    el.__haiRows = binding.value;
    el.__haiObserver = new MutationObserver(() => apply(el));
    el.__haiObserver.observe(el, { childList: true, subtree: true });
    apply(el);
  },
  updated(el, binding) {
    el.__haiRows = binding.value;
    apply(el);
  },
  beforeUnmount(el) {
    el.__haiObserver?.disconnect();
  },
};
