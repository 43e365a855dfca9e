// Every module of the portal, in navigation order, with the requirement IDs
// of docs mission.md it covers. Modules with `ready: false` render the
// "not available yet" page until they are built.
import type { Component } from 'vue';
import { mayReadMonitoring } from '@/stores/session';
import {
  Bell,
  Collection,
  Connection,
  Cpu,
  DataAnalysis,
  DataLine,
  Document,
  Files,
  Finished,
  Histogram,
  House,
  Key,
  MagicStick,
  Monitor,
  OfficeBuilding,
  Reading,
  Tickets,
  TrendCharts,
  User,
  UserFilled,
} from '@element-plus/icons-vue';

export type ModuleGroup = 'main' | 'models' | 'observability' | 'infrastructure' | 'administration' | 'developers';

export interface PortalModule {
  /** Key into the `modules` and `moduleDesc` messages; also the route name. */
  key: string;
  path: string;
  group: ModuleGroup;
  icon: Component;
  ready: boolean;
  requirements: string;
  /** Hides the entry from users the server would refuse (it still decides). */
  visible?: () => boolean;
}

export const MODULES: PortalModule[] = [
  { key: 'overview', path: '/overview', group: 'main', icon: House, ready: true, requirements: 'V1' },
  { key: 'models', path: '/models', group: 'models', icon: Collection, ready: true, requirements: 'P1–P4' },
  { key: 'services', path: '/services', group: 'models', icon: Connection, ready: true, requirements: 'D1–D9, S1–S3, UP1' },
  { key: 'playground', path: '/playground', group: 'models', icon: MagicStick, ready: true, requirements: 'P5, MED1–MED3' },
  { key: 'finetune', path: '/finetune', group: 'models', icon: TrendCharts, ready: false, requirements: 'F1–F5' },
  { key: 'evaluation', path: '/evaluation', group: 'models', icon: Finished, ready: false, requirements: 'E1–E6' },
  { key: 'datasets', path: '/datasets', group: 'models', icon: Files, ready: false, requirements: 'DS1–DS5' },
  {
    key: 'monitoring',
    path: '/monitoring',
    group: 'observability',
    icon: DataLine,
    ready: true,
    requirements: 'D7, M1–M2',
    visible: mayReadMonitoring,
  },
  { key: 'callLogs', path: '/call-logs', group: 'observability', icon: Tickets, ready: true, requirements: 'O5' },
  { key: 'reports', path: '/reports', group: 'observability', icon: DataAnalysis, ready: false, requirements: 'M1–M2, CP4' },
  { key: 'alerts', path: '/alerts', group: 'observability', icon: Bell, ready: false, requirements: 'O6' },
  { key: 'clusters', path: '/clusters', group: 'infrastructure', icon: Cpu, ready: true, requirements: 'S1–S2, CP1–CP3' },
  { key: 'hwcheck', path: '/hardware-checks', group: 'infrastructure', icon: Monitor, ready: false, requirements: 'H2, B1–B3, MT1' },
  { key: 'fabric', path: '/fabric', group: 'infrastructure', icon: Histogram, ready: false, requirements: 'N1–N2' },
  { key: 'orgs', path: '/orgs', group: 'administration', icon: OfficeBuilding, ready: true, requirements: 'O1, O3' },
  { key: 'users', path: '/users', group: 'administration', icon: UserFilled, ready: true, requirements: 'O2' },
  { key: 'apiKeys', path: '/api-keys', group: 'administration', icon: Key, ready: true, requirements: 'O3, API1' },
  { key: 'audit', path: '/audit', group: 'administration', icon: Document, ready: true, requirements: 'O4, SEC1' },
  { key: 'apiDocs', path: '/api-docs', group: 'developers', icon: Reading, ready: true, requirements: 'API1–API2, DOC' },
  { key: 'profile', path: '/profile', group: 'developers', icon: User, ready: true, requirements: 'O2' },
];

export const MODULE_GROUPS: ModuleGroup[] = ['main', 'models', 'observability', 'infrastructure', 'administration', 'developers'];

export function moduleByKey(key: string): PortalModule | undefined {
  return MODULES.find((m) => m.key === key);
}
