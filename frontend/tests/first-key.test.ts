import { afterEach, describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import { tick } from 'svelte';
import App from '../src/App.svelte';
import type { ModelInfo } from '../src/api';
import { chat } from '../src/stores/chat.svelte';
import { models } from '../src/stores/models.svelte';
import { settings } from '../src/stores/settings.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const m = (id: string, available: boolean): ModelInfo => ({
  id, provider: 'deepseek', providerName: 'DeepSeek', upstream: id, contextWindow: 1000, reasoning: false, vision: false,
  tools: false, thinkingToggle: false, available, source: 'builtin', retired: false, defaults: null,
} as ModelInfo);

afterEach(() => {
  uninstallFakeGo();
  models.list = [];
  chat.newChat('');
  chat.model = '';
});

describe('the first key', () => {
  it('selects a model in the empty chat once one becomes available', async () => {
    setLocale('en');
    (settings as unknown as { unsub?: () => void }).unsub = undefined;
    installFakeGo({ SettingsService: { Get: async () => ({ settings: null, notice: '' }) } });
    models.list = [m('deepseek-flash', false)];
    chat.newChat('');
    chat.model = '';
    render(App);
    await tick();
    expect(chat.model).toBe('');
    models.list = [m('deepseek-flash', true)]; // the key was saved, the list reloaded
    await tick();
    await tick();
    expect(chat.model).toBe('deepseek-flash');
  });
});
