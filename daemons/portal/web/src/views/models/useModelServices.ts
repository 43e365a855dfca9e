// The services that serve one model, re-read every few seconds while the
// card is open: a deployment started elsewhere turns Ready without a reload.
import { ref, shallowRef, type Ref } from 'vue';
import { modelsApi, type ModelServiceSummary } from '@/api/models';
import { useAutoRefresh } from '@/composables/useAutoRefresh';

export function useModelServices(modelId: Ref<number>) {
  const services = shallowRef<ModelServiceSummary[]>([]);
  const loaded = ref(false);
  const { loading, forbidden, error, refresh } = useAutoRefresh(async () => {
    const page = await modelsApi.services(modelId.value);
    services.value = (page.items ?? []).filter((s) => s.state !== 'deleting');
    loaded.value = true;
  });
  return { services, loaded, loading, forbidden, error, refresh };
}

/** A service can answer when at least one replica is Ready. */
export function isReady(s: ModelServiceSummary): boolean {
  return s.ready > 0;
}
