import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import App from '../src/App.svelte';
import { chat, type ChatMessage } from '../src/stores/chat.svelte';
import { settings } from '../src/stores/settings.svelte';
import { ui } from '../src/stores/ui.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

beforeEach(() => {
  setLocale('en');
  (settings as unknown as { unsub?: () => void }).unsub = undefined;
  installFakeGo({ SettingsService: { Get: async () => ({ settings: null, notice: '' }), EndpointStatus: async () => ({ state: 'off', addr: '', url: '' }) } });
});
afterEach(() => {
  uninstallFakeGo();
  ui.view = 'chat';
  chat.messages = [];
});

describe('keyboard polish', () => {
  it('Ctrl+, opens Settings and Esc leaves it', async () => {
    render(App);
    await fireEvent.keyDown(window, { key: ',', ctrlKey: true });
    expect(screen.getByTestId('settings-view')).toBeTruthy();
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('settings-view')).toBeNull();
    expect(screen.getByTestId('composer')).toBeTruthy();
  });

  it('Esc in a Settings text field stays in Settings', async () => {
    render(App);
    ui.openSettings('endpoint');
    await fireEvent.keyDown(window, { key: ',', ctrlKey: true });
    const field = await screen.findByTestId('endpoint-port');
    field.focus();
    await fireEvent.keyDown(field, { key: 'Escape' });
    expect(screen.getByTestId('settings-view')).toBeTruthy();
  });

  it('Ctrl+A outside a field selects the messages, not the whole window', async () => {
    chat.messages = [
      { id: 'u1', conversationId: 'c', role: 'user', content: 'question one', reasoning: '', images: null, model: '', provider: '', status: 'complete', error: '', errorKind: '', usage: null, stats: null, createdAt: '' } as ChatMessage,
    ];
    render(App);
    (document.activeElement as HTMLElement | null)?.blur();
    const ev = await fireEvent.keyDown(window, { key: 'a', ctrlKey: true });
    expect(ev).toBe(false); // default (select the whole page) prevented
    const text = getSelection()!.toString();
    expect(text).toContain('question one');
    expect(text).not.toContain('ThinkCloud'); // the sidebar's title is not selected
  });

  it('Ctrl+A in the composer is the field\'s own', async () => {
    render(App);
    const ta = screen.getByTestId('composer-input');
    ta.focus();
    const ev = await fireEvent.keyDown(ta, { key: 'a', ctrlKey: true });
    expect(ev).toBe(true);
  });
});

describe("a provider's 500", () => {
  it('says the provider failed, in both languages, not "Something went wrong"', async () => {
    const { errorMessageKey } = await import('../src/lib/errors');
    const { t } = await import('../src/lib/i18n/index.svelte');
    expect(errorMessageKey('provider_error')).toBe('error.provider_error');
    expect(t(errorMessageKey('provider_error'), { provider: 'DeepSeek' })).toContain('DeepSeek failed to answer');
    setLocale('zh-CN');
    expect(t(errorMessageKey('provider_error'), { provider: 'DeepSeek' })).toContain('DeepSeek 未能回答');
    setLocale('en');
  });
});
