// What the playground offers: the services the user may call, each with its
// model's category (a service row does not carry it), and the gateway URL the
// "view code" examples point at. Loaded once per visit of the page.
import { computed, ref, shallowRef } from 'vue';
import { ApiError } from '@/api/http';
import { endpointsApi, modelsApi, type ModelServiceSummary } from '@/api/models';
import { servicesApi } from '@/api/services';
import { showError } from '@/utils/notify';

export interface PlaygroundService extends ModelServiceSummary {
  /** The model's category; "" when the model is not visible to the user. */
  category: string;
}

// The list routes cap `limit` at 500; more services than that would need paging.
const LIST_LIMIT = 500;

export function usePlaygroundCatalog() {
  const services = shallowRef<PlaygroundService[]>([]);
  const loaded = ref(false);
  const forbidden = ref('');
  /** Without /v1; "" when the appliance has no gateway configured. */
  const gatewayUrl = ref('');

  async function load(): Promise<void> {
    try {
      const [svc, models] = await Promise.all([
        servicesApi.list({ limit: LIST_LIMIT, sort: 'name' }),
        modelsApi.list({ limit: LIST_LIMIT }),
      ]);
      const category = new Map(models.items.map((m) => [m.id, m.category]));
      services.value = svc.items.map((s) => ({ ...s, category: category.get(s.model_id) ?? '' }));
      forbidden.value = '';
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) forbidden.value = e.message;
      else showError(e);
    } finally {
      loaded.value = true;
    }
    try {
      gatewayUrl.value = ((await endpointsApi.get()).gateway_url ?? '').replace(/\/+$/, '');
    } catch (e) {
      showError(e);
    }
  }

  const categories = computed(() => [...new Set(services.value.map((s) => s.category).filter(Boolean))].sort());

  return { services, loaded, forbidden, gatewayUrl, categories, load };
}
