import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { createApi } from '../src-shared/api/client';
import { WS_PATH } from '../src-shared/api/ws-protocol';
import { WebSocketTransport } from './bridge/ws-transport';
import { useAppStore } from './stores/app';
import App from './App.vue';
import './styles/app.css';

const pinia = createPinia();
const app = createApp(App);
app.use(pinia);
const appStore = useAppStore(pinia);

// The only place that knows about hosts: Electron's preload has already set window.api; in a browser (web host) the
// same API is built here over a WebSocket to the page's own origin. The access cookie goes with the upgrade request.
if (window.api === undefined) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const transport = new WebSocketTransport(`${scheme}//${location.host}${WS_PATH}`);
  transport.onConnectionChange((state) => appStore.setConnected(state !== 'closed'));
  if (transport.connection === 'closed') appStore.setConnected(false);
  window.api = createApi(transport);
}

// Anything that slips through shows as a readable banner rather than failing silently.
app.config.errorHandler = (err) => {
  console.error(err);
  appStore.pushError(err);
};
window.addEventListener('unhandledrejection', (event) => {
  console.error(event.reason);
  appStore.pushError(event.reason);
});

app.mount('#app');
