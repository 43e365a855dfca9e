// The state every per-replica dialog (events, processes) keeps: the dialog is
// open while a replica is chosen, and the list is fetched again for each
// replica and on request, with the server's message on failure.
import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import type { Replica } from '@/api/services';
import { errorText } from '@/utils/notify';

export function useReplicaList<T>(
  replica: () => Replica | null,
  close: () => void,
  fetch: (r: Replica) => Promise<{ items?: T[] }>,
) {
  const items = shallowRef<T[]>([]) as Ref<T[]>;
  const loading = ref(false);
  const failure = ref('');
  const open = computed({
    get: () => replica() !== null,
    set: (v) => {
      if (!v) close();
    },
  });

  async function load() {
    const r = replica();
    if (!r) return;
    loading.value = true;
    failure.value = '';
    try {
      items.value = (await fetch(r)).items ?? [];
    } catch (e) {
      failure.value = errorText(e);
    } finally {
      loading.value = false;
    }
  }

  watch(
    () => replica()?.id,
    (id) => {
      items.value = [];
      if (id !== undefined) void load();
    },
  );

  return { items, loading, failure, open, load };
}
