import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ProviderKeys from '../src/components/settings/ProviderKeys.svelte';
import AliasesSection from '../src/components/settings/AliasesSection.svelte';
import MessageStats from '../src/components/chat/MessageStats.svelte';
import type { ModelInfo, ProviderView, Settings } from '../src/api';
import { ALIAS_GROUP, groupModels } from '../src/lib/models';
import { parseChain, upsertAlias } from '../src/lib/aliases';
import { settings } from '../src/stores/settings.svelte';
import type { ChatMessage } from '../src/stores/chat.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';
import { modelInfo, providerView } from './fixtures';

const view = (over: Partial<ProviderView> = {}): ProviderView =>
  providerView({
    key: { provider: 'deepseek', hasKey: true, source: 'keyring', hint: 'sk-…aaaa', envVar: 'DEEPSEEK_API_KEY', error: '' },
    modelCount: 2,
    keys: [{ label: 'default', hint: 'sk-…aaaa', source: 'keyring', state: 'ok', until: 0, reason: '' }],
    ...over,
  });

const model = (id: string, provider: string, extra: Partial<ModelInfo> = {}): ModelInfo =>
  modelInfo(id, { provider, providerName: provider, ...extra });

beforeEach(() => setLocale('en'));
afterEach(() => uninstallFakeGo());

describe('aliases: parsing', () => {
  it('splits a chain on commas, arrows and lines, in order', () => {
    expect(parseChain('kimi/kimi-k2.7-code, deepseek/deepseek-v4-pro → dashscope/qwen3-coder-plus\n  fast ')).toEqual([
      'kimi/kimi-k2.7-code',
      'deepseek/deepseek-v4-pro',
      'dashscope/qwen3-coder-plus',
      'fast',
    ]);
  });
  it('refuses a name with a slash or no models, and replaces an alias of the same name', () => {
    expect(upsertAlias([], 'a/b', 'x').error).toBe('aliases.errName');
    expect(upsertAlias([], 'a', ' , ').error).toBe('aliases.errModels');
    const r = upsertAlias([{ name: 'fast', models: ['cerebras/gpt-oss-120b'] }], 'fast', 'openai/gpt-6-luna');
    expect(r.list).toEqual([{ name: 'fast', models: ['openai/gpt-6-luna'] }]);
  });
  it('groups aliases first, apart from the provider their chain starts at', () => {
    const groups = groupModels([model('kimi-k2.6', 'kimi'), model('coder', 'kimi', { source: 'alias', chain: ['kimi/kimi-k2.7-code'] })]);
    expect(groups.map((g) => g.provider)).toEqual([ALIAS_GROUP, 'kimi']);
    expect(groups[0]!.models.map((m) => m.id)).toEqual(['coder']);
  });
});

describe('settings: provider health and keys', () => {
  it('says a resting provider rests, until when and after how many failures', () => {
    const until = new Date(2026, 11, 2, 14, 35).getTime();
    render(ProviderKeys, { props: { view: view({ circuit: 'open', failures: 5, restingUntil: until }) } });
    const text = screen.getByTestId('provider-resting').textContent ?? '';
    expect(text).toContain('after 5 failures');
    expect(text).toMatch(/14:35|2:35/);
  });
  it('lists several keys with their states, the refused one flagged', () => {
    render(ProviderKeys, {
      props: {
        view: view({
          keys: [
            { label: 'default', hint: 'sk-…aaaa', source: 'keyring', state: 'ok', until: 0, reason: '' },
            { label: 'work', hint: 'sk-…bbbb', source: 'keyring', state: 'invalid', until: 0, reason: 'Authentication Fails' },
          ],
        }),
      },
    });
    const rows = screen.getAllByTestId('provider-key-row');
    expect(rows).toHaveLength(2);
    expect(rows[1]!.dataset.state).toBe('invalid');
    expect(within(rows[1]!).getByText(/Invalid/)).toBeTruthy();
    expect(screen.queryByTestId('provider-resting')).toBeNull();
  });
  it('adds a labelled key through AddKey and never shows it', async () => {
    const SECRET = 'sk-work-0123456789';
    const AddKey = vi.fn(async () => undefined);
    installFakeGo({ SettingsService: { AddKey, Providers: async () => [view()] } });
    const user = userEvent.setup();
    render(ProviderKeys, { props: { view: view() } });
    await user.click(screen.getByTestId('key-add'));
    await user.type(screen.getByTestId('key-label'), 'work');
    await user.type(screen.getByTestId('key-labeled-input'), SECRET);
    await user.click(screen.getByTestId('key-add-save'));
    expect(AddKey).toHaveBeenCalledWith('deepseek', 'work', SECRET);
    await vi.waitFor(() => expect(screen.queryByTestId('key-label')).toBeNull());
    expect(document.body.innerHTML).not.toContain(SECRET);
  });
});

describe('settings: aliases', () => {
  it('saves a chain through Save and shows Go’s refusal', async () => {
    const Save = vi.fn(async (s: Settings) => {
      if (s.aliases?.some((a) => a.name === 'loop')) throw 'aliases: invalid alias "loop": cycle loop → loop';
    });
    installFakeGo({ SettingsService: { Save }, ModelsService: { List: async () => [] } });
    settings.settings = { version: 1, endpoint: { enabled: true, host: '127.0.0.1', port: 8000 }, theme: 'system', language: 'en' } as Settings;
    const user = userEvent.setup();
    render(AliasesSection);
    await user.type(screen.getByTestId('alias-name'), 'coder');
    await user.type(screen.getByTestId('alias-models'), 'kimi/kimi-k2.7-code, deepseek/deepseek-v4-pro');
    await user.click(screen.getByTestId('alias-save'));
    await vi.waitFor(() => expect(screen.getAllByTestId('alias-row')).toHaveLength(1));
    expect(Save.mock.calls[0]![0].aliases).toEqual([{ name: 'coder', models: ['kimi/kimi-k2.7-code', 'deepseek/deepseek-v4-pro'] }]);

    await user.type(screen.getByTestId('alias-name'), 'loop');
    await user.type(screen.getByTestId('alias-models'), 'loop');
    await user.click(screen.getByTestId('alias-save'));
    await vi.waitFor(() => expect(screen.getByTestId('alias-error').textContent).toContain('cycle'));
    expect(screen.getAllByTestId('alias-row')).toHaveLength(1); // nothing lost
    expect((screen.getByTestId('alias-name') as HTMLInputElement).value).toBe('loop');
  });
});

describe('settings: routing tunables', () => {
  it('saves the breaker threshold and shows Go’s range error, keeping the old value', async () => {
    const Save = vi.fn(async (s: Settings) => {
      if ((s.routing?.breakerFailures ?? 0) > 100) throw 'routing.breakerFailures: must be -1 (off), 0 (the default, 5) or 1..100';
    });
    installFakeGo({ SettingsService: { Save }, ModelsService: { List: async () => [] } });
    settings.settings = { version: 1, endpoint: { enabled: true, host: '127.0.0.1', port: 8000 }, theme: 'system', language: 'en' } as Settings;
    const user = userEvent.setup();
    render(AliasesSection);
    const input = screen.getByTestId('routing-failures') as HTMLInputElement;
    await user.type(input, '3');
    input.blur();
    await vi.waitFor(() => expect(Save).toHaveBeenCalled());
    expect(Save.mock.calls[0]![0].routing).toEqual({ breakerFailures: 3 });
    await user.clear(input);
    await user.type(input, '500');
    input.blur();
    await vi.waitFor(() => expect(screen.getByTestId('routing-error').textContent).toContain('1..100'));
    expect(settings.settings?.routing?.breakerFailures).toBe(3);
  });
});

describe('chat: the model that answered', () => {
  const msg = (over: Partial<ChatMessage>): ChatMessage =>
    ({ id: 'm', role: 'assistant', content: 'hi', reasoning: '', status: 'complete', model: 'coder', provider: 'deepseek', ...over }) as ChatMessage;
  it('names it under an alias answer', () => {
    render(MessageStats, { props: { msg: msg({ ranModel: 'deepseek/deepseek-v4-pro' }) } });
    expect(screen.getByTestId('stat-ran').textContent).toBe('answered by deepseek/deepseek-v4-pro');
  });
  it('says nothing more when the model asked is the one that ran', () => {
    render(MessageStats, { props: { msg: msg({ model: 'deepseek-flash', ranModel: 'deepseek/deepseek-flash' }) } });
    expect(screen.queryByTestId('stat-ran')).toBeNull();
  });
});
