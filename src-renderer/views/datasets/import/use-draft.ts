import { computed, type ComputedRef } from 'vue';
import type { ImportDraft } from '../../../lib/import-options';
import { useImportWizardStore } from '../../../stores/import-wizard';

/** The wizard's draft for the step components; they are only shown once a preview made one. */
export function useDraft(): ComputedRef<ImportDraft> {
  const wizard = useImportWizardStore();
  return computed(() => wizard.draft as ImportDraft);
}
