// User-visible feedback. Every API failure goes through showError so the
// server's own message reaches the user.
import { ElMessage, ElMessageBox } from 'element-plus';
import { ApiError } from '@/api/http';
import { t } from '@/i18n';

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return t('errors.network', { detail: e.message });
    return e.message;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

export function showError(e: unknown): void {
  if (e instanceof ApiError && e.handled) return;
  ElMessage.error({ message: errorText(e), grouping: true, showClose: true, duration: 5000 });
}

export function showSuccess(message: string): void {
  ElMessage.success({ message, grouping: true });
}

/** Resolves true when the user confirms; false when cancelled. */
export async function confirmDanger(message: string, confirmText?: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, t('common.confirmTitle'), {
      type: 'warning',
      confirmButtonText: confirmText ?? t('common.confirm'),
      cancelButtonText: t('common.cancel'),
      confirmButtonClass: 'el-button--danger',
      customClass: 'hai-confirm',
      autofocus: false,
    });
    return true;
  } catch {
    return false;
  }
}

/** Copies text; falls back to execCommand on plain-HTTP origins. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall through to the legacy path.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  document.body.removeChild(area);
  return ok;
}
