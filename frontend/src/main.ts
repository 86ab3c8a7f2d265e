import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { chatApi, diagApi } from './api';
import './lib/problems';
import { loadRich } from './lib/rich.svelte';

const app = mount(App, { target: document.getElementById('app')! });

// KaTeX and highlight.js once the first frame is out: the first screen
// needs neither, and answers rendered before are rendered again (lib/rich.svelte.ts).
requestAnimationFrame(() =>
  setTimeout(() => loadRich().catch((e) => console.error('math and code highlighting not loaded', e))),
);

// Frame timing for the window benchmark, only when Go asks for it: the
// recorder is a separate chunk that a normal window never loads.
if (diagApi.enabled()) {
  import('./lib/diag')
    .then(({ startDiagnostics, browserDeps }) =>
      startDiagnostics(browserDeps({ config: diagApi.config, write: diagApi.write, onStream: chatApi.onStream })),
    )
    .catch((e) => console.error('diagnostics not started', e));
}

export default app;
