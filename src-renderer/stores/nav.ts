import { defineStore } from 'pinia';
import { ref } from 'vue';

export const NAV_VIEWS = ['home', 'datasets', 'motifs', 'pretrain', 'train', 'models', 'predict', 'reports', 'jobs'] as const;
export type NavView = (typeof NAV_VIEWS)[number];

/** The current page. There is no router: one project at a time, a handful of pages, no deep links. */
export const useNavStore = defineStore('nav', () => {
  const view = ref<NavView>('home');

  function go(next: NavView): void {
    view.value = next;
  }

  return { view, go };
});
