// The error of a page's last call, as TryError shows it: the server's
// message and, for API errors, its code. Cleared before each new call.
import { reactive } from 'vue';
import { ApiError } from '@/api/http';
import { errorText } from '@/utils/notify';

export function useFailure() {
  const failure = reactive({ message: '', code: '' });
  function clearFailure(): void {
    failure.message = '';
    failure.code = '';
  }
  function recordFailure(e: unknown): void {
    failure.message = errorText(e);
    failure.code = e instanceof ApiError ? e.code : '';
  }
  return { failure, clearFailure, recordFailure };
}
