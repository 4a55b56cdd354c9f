import { computed } from 'vue';
import { ApiError } from '../../../src-shared/api/errors';
import { useApi } from '../../bridge/use-api';
import { useAppStore } from '../../stores/app';

/**
 * Native folder dialogs where the host has them. When a dialog answers UNSUPPORTED the forms switch to a path field
 * for the rest of the session instead of showing an error.
 */
export function useFolderDialog() {
  const app = useAppStore();
  const available = computed(() => app.nativeDialogs);

  async function choose(kind: 'new' | 'existing'): Promise<string | null> {
    try {
      const api = useApi();
      return kind === 'new' ? await api.dialog.chooseNewProject() : await api.dialog.chooseProject();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'UNSUPPORTED') app.markDialogsUnsupported();
      else app.pushError(err);
      return null;
    }
  }

  return { available, choose };
}
