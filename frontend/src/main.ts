import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { chatApi, diagApi } from './api';
import './lib/problems';
import { loadRich } from './lib/rich.svelte';

const app = mount(App, { target: document.getElementById('app')! });

// KaTeX and highlight.js: the first screen needs neither (lib/rich.svelte.ts).
// The first answer rendered asks for them; otherwise they load a second
// after the first frame, not at once: the page's first frame reaches the
// screen 0.1-0.2 s after its requestAnimationFrame on a busy machine, and
// parsing them then would hold it back.
requestAnimationFrame(() =>
  setTimeout(() => loadRich().catch((e) => console.error('math and code highlighting not loaded', e)), 1000),
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
