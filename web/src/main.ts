// Composition root of the web client: read /config.json, build the services, start the shell.
import './styles.css';
import { ApiClient } from './ApiClient';
import { App } from './App';
import { loadConfig } from './config';
import { h } from './dom';
import { sentenceOf } from './errors';
import { RealtimeConnection } from './RealtimeConnection';
import { Session } from './Session';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');

try {
  const config = await loadConfig(fetch);
  const api = new ApiClient({ baseUrl: config.apiUrl });
  const session = new Session({ storage: sessionStorage, refresh: (token) => api.refresh(token) });
  api.useTokens(session);
  const live = new RealtimeConnection({ ticket: () => api.ticket() });
  // One live connection while someone is signed in: order updates and chat.
  const follow = (): void => (session.user === undefined ? live.stop() : live.start());
  session.onChange(follow);
  follow();
  new App(root, { api, session, live, config }).start();
} catch (error) {
  root.replaceChildren(h('p', { role: 'alert', class: 'error' }, sentenceOf(error)));
  console.error(error);
}
