import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import ProviderCard from '../src/components/settings/ProviderCard.svelte';
import type { ProviderView } from '../src/api';
import { models } from '../src/stores/models.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { providerView } from './fixtures';

const view = (hasKey: boolean): ProviderView =>
  providerView({ key: { provider: 'deepseek', hasKey, source: hasKey ? 'keyring' : 'none', hint: '', envVar: 'DEEPSEEK_API_KEY', error: '' } });
const GO_TEXT = 'list models: no API key for deepseek: set DEEPSEEK_API_KEY';

beforeEach(() => (models.progress = { deepseek: { kind: 'error', error: GO_TEXT } }));
afterEach(() => {
  models.progress = {};
  setLocale('en');
});

describe('provider card model-list status', () => {
  it('a keyless provider says what a key unlocks, translated, with no Go text in red', () => {
    setLocale('zh-CN');
    render(ProviderCard, { props: { view: view(false) } });
    const st = screen.getByTestId('provider-refresh-status');
    expect(st.textContent).toBe('添加密钥后可列出其模型');
    expect(st.classList.contains('error')).toBe(false);
    expect(document.body.textContent).not.toContain('no API key for deepseek');
  });

  it('a provider with a key still shows why its list failed', () => {
    render(ProviderCard, { props: { view: view(true) } });
    const st = screen.getByTestId('provider-refresh-status');
    expect(st.classList.contains('error')).toBe(true);
    expect(st.textContent).toContain(GO_TEXT);
  });

  it('a failure Go classified is worded in the window\'s language, the provider\'s words in the tooltip', () => {
    setLocale('zh-CN');
    const raw = 'deepseek: Rate limit reached for requests (429)';
    models.progress = { deepseek: { kind: 'error', error: raw, errorKind: 'rate_limited' } };
    const v = view(true);
    render(ProviderCard, { props: { view: v } });
    const st = screen.getByTestId('provider-refresh-status');
    expect(st.textContent?.trim()).toBe(`刷新失败：${v.name} 正在限流，请稍后重试。`);
    expect(st.title).toBe(raw);
    expect(st.dataset.errorKind).toBe('rate_limited');
  });
});

describe('region select', () => {
  it('shows the default region when none is saved, never a blank select', async () => {
    const { default: ProviderConnection } = await import('../src/components/settings/ProviderConnection.svelte');
    const v: ProviderView = {
      ...view(true),
      id: 'kimi',
      defaultBaseURL: 'https://api.moonshot.cn/v1',
      region: '',
      regions: [
        { id: 'cn', name: 'China (moonshot.cn)', baseURL: 'https://api.moonshot.cn/v1' },
        { id: 'intl', name: 'International (moonshot.ai)', baseURL: 'https://api.moonshot.ai/v1' },
      ],
    } as ProviderView;
    render(ProviderConnection, { props: { view: v, onerror: () => {} } });
    const sel = screen.getByTestId('provider-region') as HTMLSelectElement;
    expect(sel.value).toBe('cn');
    expect(sel.selectedOptions[0]?.textContent).toBe('China (moonshot.cn)');
  });
});

describe('model counts on the cards', () => {
  it('follow the model list after a custom provider is saved (no stale "0 models")', async () => {
    const { vi } = await import('vitest');
    const { installFakeGo, uninstallFakeGo } = await import('./fakeGo');
    const { settings } = await import('../src/stores/settings.svelte');
    const { default: ProvidersTab } = await import('../src/components/settings/ProvidersTab.svelte');
    let count = 0;
    const custom = (): ProviderView => ({ ...view(true), id: 'mine', name: 'Mine', custom: true, modelCount: count });
    installFakeGo({ SettingsService: { Providers: vi.fn(async () => [custom()]) } });
    models.progress = {};
    render(ProvidersTab);
    await vi.waitFor(() => expect(screen.getByTestId('provider-model-count').textContent).toContain('0'));
    count = 4; // the provider's /models answered
    models.list = [...models.list];
    await vi.waitFor(() => expect(screen.getByTestId('provider-model-count').textContent).toContain('4'));
    void settings;
    uninstallFakeGo();
  });
});
