// Routes: /login outside the layout, every module inside it. Modules not yet
// built share the NotAvailable page. The guard asks the server once who is
// signed in (GET /auth/me) and sends anonymous visitors to /login.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { ElMessage } from 'element-plus';
import { setUnauthorizedHandler } from '@/api/http';
import { t } from '@/i18n';
import { MODULES } from '@/modules';
import { clearSession, loadSession, session } from '@/stores/session';
import { showError } from '@/utils/notify';
import MainLayout from '@/layouts/MainLayout.vue';

const views: Record<string, () => Promise<unknown>> = {
  overview: () => import('@/views/OverviewView.vue'),
  models: () => import('@/views/models/ModelPlazaView.vue'),
  services: () => import('@/views/services/ServiceListView.vue'),
  playground: () => import('@/views/playground/PlaygroundView.vue'),
  monitoring: () => import('@/views/monitoring/MonitoringView.vue'),
  callLogs: () => import('@/views/callLogs/CallLogsView.vue'),
  orgs: () => import('@/views/orgs/OrgListView.vue'),
  users: () => import('@/views/users/UserListView.vue'),
  apiKeys: () => import('@/views/keys/ApiKeyListView.vue'),
  clusters: () => import('@/views/clusters/ClustersView.vue'),
  audit: () => import('@/views/audit/AuditLogView.vue'),
  apiDocs: () => import('@/views/docs/ApiDocsView.vue'),
  profile: () => import('@/views/ProfileView.vue'),
};

const notAvailable = () => import('@/views/NotAvailableView.vue');

const moduleRoutes: RouteRecordRaw[] = MODULES.map((m) => ({
  path: m.path.slice(1),
  name: m.key,
  component: m.ready ? views[m.key] : notAvailable,
  meta: { module: m.key },
}));

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true } },
  {
    path: '/',
    component: MainLayout,
    redirect: '/overview',
    children: [
      ...moduleRoutes,
      {
        path: 'orgs/:id(\\d+)',
        name: 'orgDetail',
        component: () => import('@/views/orgs/OrgDetailView.vue'),
        meta: { module: 'orgs' },
      },
      {
        path: 'models/:id(\\d+)',
        name: 'modelDetail',
        component: () => import('@/views/models/ModelDetailView.vue'),
        meta: { module: 'models' },
      },
      {
        path: 'services/new',
        name: 'deploy',
        component: () => import('@/views/services/DeployView.vue'),
        meta: { module: 'services' },
      },
      {
        path: 'services/:id(\\d+)',
        name: 'serviceDetail',
        component: () => import('@/views/services/ServiceDetailView.vue'),
        meta: { module: 'services' },
      },
      { path: ':rest(.*)*', name: 'notFound', component: () => import('@/views/NotFoundView.vue') },
    ],
  },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
});

router.beforeEach(async (to) => {
  if (!session.checked) {
    try {
      await loadSession();
    } catch (e) {
      showError(e);
    }
  }
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return { path: safeRedirect(to.query.redirect) };
    return true;
  }
  if (!session.user) {
    return { name: 'login', query: to.fullPath !== '/' && to.fullPath !== '/overview' ? { redirect: to.fullPath } : {} };
  }
  return true;
});

/** Only same-app paths are accepted as post-login targets. */
export function safeRedirect(raw: unknown): string {
  const s = typeof raw === 'string' ? raw : '';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/login') ? s : '/overview';
}

// Any 401 outside the login call: the session is gone; back to the login page.
setUnauthorizedHandler(() => {
  const wasSignedIn = !!session.user;
  clearSession();
  const current = router.currentRoute.value;
  if (current.name === 'login') return;
  if (wasSignedIn) {
    ElMessage.warning({ message: t('auth.sessionExpired'), grouping: true });
  }
  void router.replace({ name: 'login', query: { redirect: current.fullPath } });
});
