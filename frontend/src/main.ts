import './app.css';
import 'katex/dist/katex.min.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { chatApi, diagApi } from './api';
import './lib/problems';

const app = mount(App, { target: document.getElementById('app')! });

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
