// v-row-hooks: per-row data-test and data-* attributes on an el-table's body
// rows (el-table has no row attribute hook). Unlike v-test-rows the hook name
// may differ per row (service-row-<name>) and rows carry state attributes
// (data-status) that tests poll. Rows are matched to data by position, which
// holds for flat tables without expansion rows.
import type { Directive } from 'vue';

// Callbacks take `never` so that ones typed for a specific row type fit.
interface Binding {
  rows: ReadonlyArray<object>;
  test: (row: never) => string;
  attrs?: (row: never) => Record<string, string>;
}

interface Tagged extends HTMLElement {
  __rowHooks?: Binding;
  __rowObserver?: MutationObserver;
}

function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function apply(el: Tagged): void {
  const b = el.__rowHooks;
  if (!b) return;
  const trs = el.querySelectorAll<HTMLTableRowElement>('.el-table__body-wrapper tr.el-table__row');
  trs.forEach((tr, i) => {
    const row = b.rows[i];
    if (row === undefined) return;
    setAttr(tr, 'data-test', b.test(row as never));
    for (const [k, v] of Object.entries(b.attrs?.(row as never) ?? {})) setAttr(tr, `data-${k}`, v);
  });
}

export const vRowHooks: Directive<Tagged, Binding> = {
  mounted(el, binding) {
    el.__rowHooks = binding.value;
    // Attribute changes made here do not retrigger: only child lists are watched.
    el.__rowObserver = new MutationObserver(() => apply(el));
    el.__rowObserver.observe(el, { childList: true, subtree: true });
    apply(el);
  },
  updated(el, binding) {
    el.__rowHooks = binding.value;
    apply(el);
  },
  beforeUnmount(el) {
    el.__rowObserver?.disconnect();
  },
};
