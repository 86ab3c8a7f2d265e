import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { tick } from 'svelte';
import ProviderKey from '../src/components/settings/ProviderKey.svelte';
import ModelPicker from '../src/components/chat/ModelPicker.svelte';
import Composer from '../src/components/chat/Composer.svelte';
import Markdown from '../src/components/chat/Markdown.svelte';
import App from '../src/App.svelte';
import type { KeyInfo, ModelInfo, ProviderView } from '../src/api';
import { settings } from '../src/stores/settings.svelte';
import { models } from '../src/stores/models.svelte';
import { chat } from '../src/stores/chat.svelte';
import { ui } from '../src/stores/ui.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const keyInfo = (over: Partial<KeyInfo> = {}): KeyInfo => ({
  provider: 'deepseek',
  hasKey: false,
  source: 'none',
  hint: '',
  envVar: 'DEEPSEEK_API_KEY',
  error: '',
  ...over,
});

const providerView = (over: Partial<ProviderView> = {}): ProviderView => ({
  id: 'deepseek',
  name: 'DeepSeek',
  custom: false,
  enabled: true,
  baseURL: 'https://api.deepseek.com/v1',
  defaultBaseURL: 'https://api.deepseek.com/v1',
  region: '',
  regions: [],
  proxy: { mode: 'system', url: '' },
  key: keyInfo(),
  modelCount: 2,
  anthropicAPI: false,
  anthropicURL: '',
  circuit: 'closed',
  failures: 0,
  restingUntil: 0,
  keys: [],
  hasBalance: false,
  ...over,
});

const model = (id: string, provider: string, extra: Partial<ModelInfo> = {}): ModelInfo => ({
  id,
  provider,
  providerName: provider === 'openai' ? 'OpenAI' : 'DeepSeek',
  upstream: id,
  contextWindow: 131072,
  reasoning: false,
  vision: false,
  tools: false,
  thinkingToggle: false,
  available: true,
  source: 'builtin',
  retired: false,
  defaults: null,
  name: '',
  maxOutput: 0,
  think: null,
  prices: null,
  shutdown: '',
  successors: null,
  unavailable: false,
  chain: null,
  ...extra,
});

beforeEach(() => setLocale('en'));
afterEach(() => {
  uninstallFakeGo();
  ui.pickerOpen = false;
  ui.view = 'chat';
});

describe('settings: provider key form', () => {
  it('Save calls SetKey, clears the field and shows only the hint', async () => {
    const SECRET = 'sk-live-0123456789abcdefa1b2';
    const SetKey = vi.fn(async (provider: string) => keyInfo({ provider, hasKey: true, source: 'keyring', hint: 'sk-…a1b2' }));
    installFakeGo({ SettingsService: { SetKey } });
    settings.providers = [providerView()];
    const user = userEvent.setup();
    render(ProviderKey, { props: { view: settings.providers[0]! } });

    const input = screen.getByTestId('key-input') as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(screen.getByTestId('key-status').textContent).toContain('No key');
    await user.type(input, SECRET);
    await user.click(screen.getByTestId('key-save'));

    expect(SetKey).toHaveBeenCalledWith('deepseek', SECRET);
    await vi.waitFor(() => expect(input.value).toBe(''));
    expect(screen.getByTestId('key-saved').textContent).toContain('sk-…a1b2');
    expect(screen.getByTestId('key-status').textContent).toContain('sk-…a1b2');
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(screen.getByTestId('key-delete')).toBeTruthy();
  });

  it('shows keyring errors plainly and keeps the typed key for another try', async () => {
    installFakeGo({
      SettingsService: { SetKey: vi.fn(() => Promise.reject('no secret service: install gnome-keyring or set DEEPSEEK_API_KEY')) },
    });
    settings.providers = [providerView()];
    const user = userEvent.setup();
    render(ProviderKey, { props: { view: settings.providers[0]! } });
    const input = screen.getByTestId('key-input') as HTMLInputElement;
    await user.type(input, 'sk-abc');
    await user.click(screen.getByTestId('key-save'));
    await vi.waitFor(() => expect(screen.getByTestId('key-error').textContent).toContain('install gnome-keyring'));
    expect(input.value).toBe('sk-abc');
  });

  it('explains that an environment variable wins', () => {
    const view = providerView({ key: keyInfo({ hasKey: true, source: 'environment', hint: 'sk-…zz' }) });
    render(ProviderKey, { props: { view } });
    expect(screen.getByTestId('key-status').textContent).toContain('from environment (DEEPSEEK_API_KEY)'.replace('from', 'From'));
    expect(screen.getByTestId('key-env-note').textContent).toContain('DEEPSEEK_API_KEY');
    expect(screen.queryByTestId('key-delete')).toBeNull();
  });

  it('Test shows latency and model count, or the provider error', async () => {
    const TestKey = vi
      .fn()
      .mockResolvedValueOnce({ ok: true, latencyMs: 231, modelCount: 42, error: '' })
      .mockResolvedValueOnce({ ok: false, latencyMs: 0, modelCount: 0, error: '401 invalid api key' });
    installFakeGo({ SettingsService: { TestKey } });
    const view = providerView({ key: keyInfo({ hasKey: true, source: 'keyring', hint: 'sk-…1' }) });
    render(ProviderKey, { props: { view } });
    await fireEvent.click(screen.getByTestId('key-test'));
    await vi.waitFor(() => expect(screen.getByTestId('key-test-result').textContent).toContain('231 ms, 42 models'));
    await fireEvent.click(screen.getByTestId('key-test'));
    await vi.waitFor(() => expect(screen.getByTestId('key-test-result').textContent).toContain('401 invalid api key'));
  });
});

describe('model picker', () => {
  beforeEach(() => {
    models.list = [
      model('deepseek-flash', 'deepseek'),
      model('deepseek-v4-pro', 'deepseek', { reasoning: true, contextWindow: 65536 }),
      model('gpt-6-luna', 'openai', { available: false, vision: true, tools: true }),
    ];
    chat.newChat('deepseek-flash');
  });

  it('groups by provider, filters as you type and selects with the keyboard', async () => {
    const user = userEvent.setup();
    render(ModelPicker);
    expect(screen.getByTestId('model-picker').textContent).toContain('deepseek-flash');
    await user.click(screen.getByTestId('model-picker'));
    const groups = screen.getAllByTestId('model-group');
    expect(groups.map((g) => g.dataset.provider)).toEqual(['deepseek', 'openai']);
    expect(screen.getAllByTestId('model-context')[0]!.textContent).toBe('128K');

    await user.type(screen.getByTestId('model-filter'), 'reason');
    const opts = screen.getAllByTestId('model-option');
    expect(opts.map((o) => o.dataset.modelId)).toEqual(['deepseek-v4-pro']);
    expect(within(opts[0]!).getByTestId('badge-reasoning')).toBeTruthy();
    await user.keyboard('{Enter}');
    expect(chat.model).toBe('deepseek-v4-pro');
    expect(screen.queryByTestId('model-picker-popover')).toBeNull();
  });

  it('shows price, reasoning efforts and context badges', async () => {
    const user = userEvent.setup();
    models.list = [
      model('deepseek-flash', 'deepseek', {
        reasoning: true,
        vision: true,
        tools: true,
        contextWindow: 1048576,
        think: { mode: 'optional', efforts: ['low', 'high', 'max'], default: 'high' },
        prices: [{ currency: 'USD', input: 0.3, output: 1.2, offPeak: { input: 0.15, output: 0.6 }, peakHours: ['Mon-Fri 01:00-04:00'] }],
      }),
    ];
    render(ModelPicker);
    await user.click(screen.getByTestId('model-picker'));
    const opt = screen.getByTestId('model-option');
    for (const id of ['badge-reasoning', 'badge-vision', 'badge-tools']) expect(within(opt).getByTestId(id)).toBeTruthy();
    expect(within(opt).getByTestId('model-context').textContent).toBe('1M');
    const price = within(opt).getByTestId('model-price');
    expect(price.textContent).toBe('$0.30/$1.20');
    expect(price.title).toBe('Per million tokens: $0.30 in, $1.20 out; off-peak $0.15 in, $0.60 out');
    expect(within(opt).getByTestId('badge-reasoning').title).toBe('reasoning effort: low, high, max');
  });

  it('lists retired models only under the Retired heading, with their successor', async () => {
    const user = userEvent.setup();
    models.list = [
      model('deepseek-flash', 'deepseek'),
      model('deepseek-flash', 'deepseek', { retired: true, shutdown: '2026-07-24', successors: ['deepseek-flash'] }),
      model('gpt-4-turbo', 'openai', { retired: true, shutdown: '2026-10-23', successors: ['gpt-6.1-sol'] }),
    ];
    setLocale('zh-CN');
    render(ModelPicker);
    await user.click(screen.getByTestId('model-picker'));
    // Retired ids are never options of a provider group.
    expect(screen.getAllByTestId('model-option').map((o) => o.dataset.modelId)).toEqual(['deepseek-flash']);
    const heading = screen.getByTestId('model-retired-heading');
    expect(heading.textContent?.trim()).toBe('已停用 (2)');
    expect(screen.queryAllByTestId('model-retired')).toHaveLength(0); // folded
    await user.click(heading);
    const rows = screen.getAllByTestId('model-retired');
    expect(rows.map((r) => r.dataset.modelId)).toEqual(['deepseek-flash', 'gpt-4-turbo']);
    expect(rows[0]!.textContent).toContain('已于 2026-07-24 停用');
    const next = within(rows[0]!).getByTestId('model-successor') as HTMLButtonElement;
    expect(next.textContent?.trim()).toBe('改用 deepseek-flash');
    // gpt-6.1-sol is not in the list (no key): its button cannot be used.
    expect((within(rows[1]!).getByTestId('model-successor') as HTMLButtonElement).disabled).toBe(true);
    chat.newChat('deepseek-flash');
    await user.click(next);
    expect(chat.model).toBe('deepseek-flash');
  });

  it('shows keyless models disabled with an "Add key" link to settings', async () => {
    const user = userEvent.setup();
    render(ModelPicker);
    await user.click(screen.getByTestId('model-picker'));
    const gpt = screen.getAllByTestId('model-option').find((o) => o.dataset.modelId === 'gpt-6-luna')!;
    expect((gpt as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByTestId('model-add-key'));
    expect(ui.view).toBe('settings');
    expect(ui.focusProvider).toBe('openai');
  });
});

describe('composer', () => {
  beforeEach(() => {
    models.list = [model('deepseek-flash', 'deepseek')];
    chat.newChat('deepseek-flash');
  });

  it('Enter sends, Shift+Enter inserts a newline, IME composition never sends', async () => {
    const send = vi.spyOn(chat, 'send').mockResolvedValue(true);
    render(Composer);
    const ta = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    await fireEvent.input(ta, { target: { value: '你好' } });
    await fireEvent.keyDown(ta, { key: 'Enter', isComposing: true });
    await fireEvent.keyDown(ta, { key: 'Enter', keyCode: 229 });
    await fireEvent.keyDown(ta, { key: 'Enter', shiftKey: true });
    expect(send).not.toHaveBeenCalled();
    await fireEvent.keyDown(ta, { key: 'Enter' });
    expect(send).toHaveBeenCalledWith('你好', []);
    await tick();
    expect(ta.value).toBe('');
  });

  it('attach is enabled for every model (text files); the tooltip says when images cannot be read', async () => {
    render(Composer);
    const attach = screen.getByTestId('attach') as HTMLButtonElement;
    expect(attach.disabled).toBe(false);
    expect(attach.title).toContain('This model cannot read images');
    models.list = [model('deepseek-flash', 'deepseek', { vision: true })];
    await tick();
    expect(attach.disabled).toBe(false);
    expect(attach.title).not.toContain('cannot read images');
  });
});

describe('markdown component', () => {
  it('never runs model HTML and keeps links from navigating the app', async () => {
    const fake = installFakeGo({});
    const w = window as unknown as { pwned?: number };
    render(Markdown, { props: { source: '<img src=x onerror="window.pwned=1"> [x](https://example.com) <script>window.pwned=2</script>' } });
    const md = screen.getByTestId('markdown');
    expect(md.querySelector('img, script')).toBeNull();
    expect(w.pwned).toBeUndefined();
    await fireEvent.click(md.querySelector('a')!);
    const rt = (window as unknown as { runtime: { BrowserOpenURL: ReturnType<typeof vi.fn> } }).runtime;
    expect(rt.BrowserOpenURL).toHaveBeenCalledWith('https://example.com');
    void fake;
  });
});

describe('app shell', () => {
  it('renders the name and an empty state even when Go is missing', async () => {
    uninstallFakeGo();
    render(App);
    expect(screen.getByTestId('sidebar')).toBeTruthy();
    expect(screen.getByTestId('app-title').textContent).toBe('ThinkCloud');
    expect(screen.getByTestId('new-chat')).toBeTruthy();
    expect(screen.getByTestId('settings-nav')).toBeTruthy();
    expect(screen.getByTestId('empty-state')).toBeTruthy();
    expect(screen.getByTestId('composer')).toBeTruthy();
    await vi.waitFor(() => expect(screen.getByTestId('backend-banner')).toBeTruthy());
  });

  it('says up front when the local endpoint could not start, and chat stays usable', async () => {
    const fake = installFakeGo({
      SettingsService: {
        Get: async () => ({ settings: null, notice: '' }),
        EndpointStatus: async () => ({ state: 'port_in_use', addr: '127.0.0.1:8000', url: '', error: '127.0.0.1:8000 is already in use by another program' }),
      },
    });
    // The store is a singleton: drop the subscription an earlier test made
    // on its own fake bridge, as a fresh page would not have one.
    (settings as unknown as { unsub?: () => void }).unsub = undefined;
    render(App);
    await vi.waitFor(() => expect(screen.getByTestId('endpoint-banner').textContent).toContain('127.0.0.1:8000 is already in use'));
    expect(screen.getByTestId('composer')).toBeTruthy();
    fake.emit('endpoint:status', { state: 'listening', addr: '127.0.0.1:8001', url: 'http://127.0.0.1:8001/v1', error: '' });
    await vi.waitFor(() => expect(screen.queryByTestId('endpoint-banner')).toBeNull());
  });
});
