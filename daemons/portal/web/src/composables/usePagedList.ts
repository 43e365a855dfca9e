// State for a server-side paginated, sortable list: page, size, sort,
// loading flag, and a 403 marker so pages can say "no permission".
import { reactive, ref, shallowRef } from 'vue';
import { ApiError } from '@/api/http';
import type { ListPage } from '@/api/types';
import { showError } from '@/utils/notify';
import { sortParam } from '@/utils/format';

export interface PageParams {
  limit: number;
  offset: number;
  sort?: string;
}

export function usePagedList<T>(fetchPage: (p: PageParams) => Promise<ListPage<T>>, pageSize = 20) {
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const forbidden = ref('');
  const state = reactive({ page: 1, size: pageSize, sort: undefined as string | undefined });
  let seq = 0;

  async function load(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      const resp = await fetchPage({
        limit: state.size,
        offset: (state.page - 1) * state.size,
        sort: state.sort,
      });
      if (mine !== seq) return;
      items.value = resp.items ?? [];
      total.value = resp.total ?? items.value.length;
      forbidden.value = '';
      // Deleting the last row of the last page: step back one page.
      if (items.value.length === 0 && state.page > 1 && total.value > 0) {
        state.page = Math.max(1, Math.ceil(total.value / state.size));
        await load();
      }
    } catch (e) {
      if (mine !== seq) return;
      if (e instanceof ApiError && e.status === 403) forbidden.value = e.message;
      items.value = [];
      total.value = 0;
      showError(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /** Back to the first page (after a filter change) and reload. */
  function search(): Promise<void> {
    state.page = 1;
    return load();
  }

  function onSort(e: { prop: string | null; order: 'ascending' | 'descending' | null }): void {
    state.sort = sortParam(e.prop, e.order);
    void search();
  }

  return { items, total, loading, forbidden, state, load, search, onSort };
}
