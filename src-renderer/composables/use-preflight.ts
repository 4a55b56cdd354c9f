import { computed, onBeforeUnmount, ref, watch, type ComputedRef, type Ref } from 'vue';
import { PREFLIGHT_DEBOUNCE_MS } from '../lib/training';

/** What a store's preflight answers: the estimate, or the error for the panel to show. */
export type PreflightResult<E> = { readonly estimate: E } | { readonly error: string };

export interface Preflight<E> {
  /** The last estimate received (it may be for earlier settings; see `current`). */
  readonly estimate: Ref<E | null>;
  readonly error: Ref<string | null>;
  /** True from a change of the settings until the answer for them arrives. */
  readonly checking: Ref<boolean>;
  /** The estimate for the settings as they are now; null while checking or after an error. */
  readonly current: ComputedRef<E | null>;
}

/**
 * A form's pre-flight: asked for after a pause once the settings change, for the settings as they are then (null
 * settings, an invalid form, ask nothing). Answers to earlier settings are dropped. Call in a component's setup.
 */
export function usePreflight<S, E>(settings: Readonly<Ref<S | null>>, ask: (settings: S) => Promise<PreflightResult<E>>): Preflight<E> {
  const settingsKey = computed(() => (settings.value === null ? null : JSON.stringify(settings.value)));
  const estimate = ref<E | null>(null) as Ref<E | null>;
  const estimateKey = ref<string | null>(null);
  const error = ref<string | null>(null);
  const checking = ref(false);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let request = 0;

  async function run(key: string): Promise<void> {
    const mine = ++request;
    const current = settings.value;
    if (current === null) return;
    const answer = await ask(current);
    if (mine !== request) return;
    checking.value = false;
    if ('estimate' in answer) {
      estimate.value = answer.estimate;
      estimateKey.value = key;
      error.value = null;
    } else {
      estimate.value = null;
      estimateKey.value = null;
      error.value = answer.error;
    }
  }

  watch(
    settingsKey,
    (key) => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      request++;
      if (key === null) {
        checking.value = false;
        return;
      }
      checking.value = true;
      timer = setTimeout(() => {
        timer = null;
        void run(key);
      }, PREFLIGHT_DEBOUNCE_MS);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    if (timer !== null) clearTimeout(timer);
    request++;
  });

  const current = computed(() => (estimate.value !== null && estimateKey.value === settingsKey.value ? estimate.value : null));
  return { estimate, error, checking, current };
}
