// Form rules of the deployment fields (keys "spec.*" of the enclosing form).
import { computed } from 'vue';
import type { FormRules } from 'element-plus';
import { t } from '@/i18n';
import { clusterProblem, envKeyProblem, MAX_DEVICES, type DeploySpec } from './spec';

type Callback = (e?: Error) => void;

export function useSpecRules(spec: DeploySpec) {
  return computed<FormRules>(() => ({
    'spec.engine': [{ required: true, message: t('svc.deploy.engineRequired'), trigger: 'change' }],
    'spec.vendor': [{ required: true, message: t('svc.deploy.vendorRequired'), trigger: 'change' }],
    'spec.cluster': [
      {
        validator: (_r: unknown, v: string, cb: Callback) =>
          clusterProblem(v ?? '') ? cb(new Error(t('svc.deploy.clusterInvalid'))) : cb(),
        trigger: 'blur',
      },
    ],
    'spec.devices': [
      {
        validator: (_r: unknown, v: number, cb: Callback) => {
          if (spec.vendor === 'cpu') return v === 0 ? cb() : cb(new Error(t('svc.deploy.devicesCpu')));
          return v >= 1 && v <= MAX_DEVICES ? cb() : cb(new Error(t('svc.deploy.devicesRange', { max: MAX_DEVICES })));
        },
        trigger: 'change',
      },
    ],
    'spec.env': [
      {
        validator: (_r: unknown, v: { key: string }[], cb: Callback) => {
          const bad = (v ?? []).find((e) => envKeyProblem(e.key));
          return bad ? cb(new Error(t('svc.deploy.envKeyInvalid', { key: bad.key }))) : cb();
        },
        trigger: 'change',
      },
    ],
  }));
}
