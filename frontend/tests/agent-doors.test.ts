import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import AgentDoors from '../src/components/settings/AgentDoors.svelte';
import ProviderConnection from '../src/components/settings/ProviderConnection.svelte';
import type { ModelInfo, ProviderView, Settings } from '../src/api';
import { DROP_ALL, drops, setTier, toggleDrop } from '../src/lib/agentDoors';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { models } from '../src/stores/models.svelte';
import { settings } from '../src/stores/settings.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const KNOWN = ['web_search', 'file_search', 'code_interpreter'];

describe('agent doors: the drop list', () => {
  it('reads "*" as every tool', () => {
    expect(drops(['*'], 'web_search')).toBe(true);
    expect(drops(['file_search'], 'web_search')).toBe(false);
    expect(drops(null, 'web_search')).toBe(false);
  });
  it('switches one tool, keeping the known order and no duplicates', () => {
    expect(toggleDrop(['file_search'], 'web_search', true, KNOWN)).toEqual(['web_search', 'file_search']);
    expect(toggleDrop(['web_search', 'web_search'], 'web_search', false, KNOWN)).toEqual([]);
    expect(toggleDrop([], DROP_ALL, true, KNOWN)).toEqual([DROP_ALL]);
    expect(toggleDrop([DROP_ALL], DROP_ALL, false, KNOWN)).toEqual([]);
  });
  it('spells "all" out when one tool is switched off from it', () => {
    expect(toggleDrop([DROP_ALL], 'file_search', false, KNOWN)).toEqual(['web_search', 'code_interpreter']);
  });
  it('sets and clears a tier', () => {
    expect(setTier({ opus: 'a' }, 'haiku', ' b ')).toEqual({ opus: 'a', haiku: 'b' });
    expect(setTier({ opus: 'a', haiku: 'b' }, 'opus', '')).toEqual({ haiku: 'b' });
  });
});

const model = (id: string): ModelInfo =>
  ({ id, provider: 'deepseek', providerName: 'DeepSeek', upstream: id, contextWindow: 0, reasoning: false, vision: false, tools: false,
    thinkingToggle: false, available: true, source: 'builtin', retired: false, defaults: null }) as ModelInfo;

const stored = (): Settings =>
  ({
    providers: {},
    customProviders: [],
    endpoint: { enabled: true, host: '127.0.0.1', port: 8000, requireToken: false, rateLimitPerMinute: 0, dropHostedTools: ['file_search'] },
    theme: 'system',
    language: 'en',
    claudeModels: { opus: 'deepseek-v4-pro' },
  }) as unknown as Settings;

let saved: Settings[];

beforeEach(() => {
  setLocale('en');
  saved = [];
  installFakeGo({
    SettingsService: {
      Save: vi.fn(async (s: Settings) => void saved.push(s)),
      Providers: vi.fn(async () => []),
    },
  });
  models.list = [model('deepseek-flash'), model('deepseek-v4-pro')];
  models.loaded = true;
  settings.settings = stored();
  settings.hostedTools = KNOWN;
});
afterEach(() => {
  uninstallFakeGo();
  settings.settings = null;
  settings.hostedTools = [];
  models.list = [];
});

describe('agent doors: settings', () => {
  it('saves the model chosen for a tier, and Automatic clears it', async () => {
    render(AgentDoors);
    const haiku = screen.getByTestId('doors-tier-haiku') as HTMLSelectElement;
    expect((screen.getByTestId('doors-tier-opus') as HTMLSelectElement).value).toBe('deepseek-v4-pro');
    await userEvent.selectOptions(haiku, 'deepseek-flash');
    await waitFor(() => expect(saved.at(-1)?.claudeModels).toEqual({ opus: 'deepseek-v4-pro', haiku: 'deepseek-flash' }));
    await userEvent.selectOptions(screen.getByTestId('doors-tier-opus'), '');
    await waitFor(() => expect(saved.at(-1)?.claudeModels).toEqual({ haiku: 'deepseek-flash' }));
  });

  it('ticks a hosted tool into endpoint.dropHostedTools', async () => {
    render(AgentDoors);
    expect((screen.getByTestId('doors-drop-file_search') as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByTestId('doors-drop-web_search'));
    await waitFor(() => expect(saved.at(-1)?.endpoint.dropHostedTools).toEqual(['web_search', 'file_search']));
    await userEvent.click(screen.getByTestId('doors-drop-all'));
    await waitFor(() => expect(saved.at(-1)?.endpoint.dropHostedTools).toEqual(['*']));
    expect((screen.getByTestId('doors-drop-code_interpreter') as HTMLInputElement).checked).toBe(true);
  });

  it("switches a provider between its own Anthropic API and translation", async () => {
    const view = {
      id: 'deepseek', name: 'DeepSeek', custom: false, enabled: true, baseURL: '', defaultBaseURL: 'https://api.deepseek.com/v1',
      region: '', regions: [], proxy: { mode: 'system', url: '' }, key: { hasKey: true }, modelCount: 2,
      anthropicAPI: true, anthropicURL: 'https://api.deepseek.com/anthropic',
    } as unknown as ProviderView;
    render(ProviderConnection, { props: { view, onerror: () => {} } });
    expect(screen.getByTestId('provider-anthropic-url').textContent).toContain('https://api.deepseek.com/anthropic');
    await userEvent.selectOptions(screen.getByTestId('provider-anthropic-api'), 'translate');
    await waitFor(() => expect(saved.at(-1)?.providers?.deepseek?.anthropicAPI).toBe('translate'));
  });

  it('offers no Anthropic choice for a provider without its own Anthropic API', () => {
    const view = { id: 'cerebras', name: 'Cerebras', regions: [], proxy: { mode: 'system' }, anthropicAPI: false, anthropicURL: '' } as unknown as ProviderView;
    render(ProviderConnection, { props: { view, onerror: () => {} } });
    expect(screen.queryByTestId('provider-anthropic-api')).toBeNull();
  });
});
