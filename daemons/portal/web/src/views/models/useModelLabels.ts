// Translated names of categories, capabilities and sources; a value the
// messages do not know (a newer server) is shown as the server spells it.
import { useI18n } from 'vue-i18n';

/** Message keys are camelCase: "text-generation" → "textGeneration". */
export function messageKey(value: string): string {
  return value.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function useModelLabels() {
  const { t, te } = useI18n();
  const pick = (prefix: string) => (value: string) => {
    const key = `${prefix}.${messageKey(value)}`;
    return te(key) ? t(key) : value;
  };
  return {
    categoryLabel: pick('plaza.categories'),
    capabilityLabel: pick('plaza.capabilityNames'),
    sourceLabel: pick('plaza.sources'),
  };
}
