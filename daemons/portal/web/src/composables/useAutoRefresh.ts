// Loads data now and again every `intervalMs` while the component is mounted
// (the timer stops when the page is left). A 403 is kept as `forbidden` so the
// page can say "no permission" in place; other failures are shown once per
// distinct message, not on every tick.
import { onBeforeUnmount, onMounted, ref } from 'vue';
import { ApiError } from '@/api/http';
import { errorText, showError } from '@/utils/notify';

export const AUTO_REFRESH_MS = 5000;

export function useAutoRefresh(load: () => Promise<void>, intervalMs = AUTO_REFRESH_MS) {
  const loading = ref(false);
  const forbidden = ref('');
  const error = ref('');
  const updatedAt = ref<Date | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;
  let inFlight = false;
  let stopped = false;

  async function refresh(): Promise<void> {
    if (inFlight || stopped) return;
    inFlight = true;
    loading.value = true;
    try {
      await load();
      if (stopped) return;
      forbidden.value = '';
      error.value = '';
      updatedAt.value = new Date();
    } catch (e) {
      if (stopped) return;
      if (e instanceof ApiError && e.status === 403) {
        forbidden.value = e.message;
      } else {
        const text = errorText(e);
        if (text !== error.value) showError(e);
        error.value = text;
      }
    } finally {
      inFlight = false;
      loading.value = false;
    }
  }

  onMounted(() => {
    void refresh();
    timer = setInterval(() => {
      if (typeof document !== 'undefined' && document.hidden) return;
      void refresh();
    }, intervalMs);
  });

  onBeforeUnmount(() => {
    stopped = true;
    if (timer) clearInterval(timer);
    timer = undefined;
  });

  return { loading, forbidden, error, updatedAt, refresh };
}
