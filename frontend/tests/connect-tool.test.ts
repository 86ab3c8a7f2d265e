import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ConnectTool from '../src/components/settings/ConnectTool.svelte';
import type { ModelInfo, Settings } from '../src/api';
import { settings } from '../src/stores/settings.svelte';
import { models } from '../src/stores/models.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const model = (id: string, available = true): ModelInfo => ({
  id,
  provider: 'deepseek',
  providerName: 'DeepSeek',
  upstream: id,
  contextWindow: 131072,
  reasoning: false,
  vision: false,
  tools: false,
  thinkingToggle: false,
  available,
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
});

const stored = (over: Partial<Settings['endpoint']> = {}): Settings =>
  ({
    providers: {},
    customProviders: [],
    endpoint: { enabled: true, host: '127.0.0.1', port: 8000, requireToken: false, rateLimitPerMinute: 0, ...over },
    lastModel: 'deepseek-v4-pro',
    theme: 'system',
    language: 'en',
    claudeModels: { opus: 'deepseek-v4-pro' },
  }) as unknown as Settings;

const blocks = () => screen.getAllByTestId('connect-block').map((b) => b.querySelector('code')!.textContent ?? '');

beforeEach(() => {
  setLocale('en');
  installFakeGo({});
  models.list = [model('deepseek-flash'), model('deepseek-v4-pro'), model('gpt-6-luna', false)];
  models.loaded = true;
  settings.settings = stored();
  settings.endpoint = { state: 'listening', addr: '127.0.0.1:8001', url: 'http://127.0.0.1:8001/v1' };
});
afterEach(() => {
  uninstallFakeGo();
  settings.settings = null;
  settings.endpoint = null;
  models.list = [];
});

describe('settings: connect a tool', () => {
  it('starts on Claude Code with the tier picker and the listening address without /v1', () => {
    render(ConnectTool, { props: { token: '' } });
    expect(screen.getByTestId('connect-tier')).toBeTruthy();
    expect(screen.queryByTestId('connect-model')).toBeNull();
    expect(blocks()[0]).toContain('ANTHROPIC_BASE_URL=http://127.0.0.1:8001 ');
    expect(blocks()[0]).toContain('ANTHROPIC_MODEL=opus');
    expect(blocks()[0]).toContain('ANTHROPIC_DEFAULT_OPUS_MODEL=deepseek-v4-pro');
    expect(blocks()[1]).toBe('thinkcloud launch claude');
    expect(screen.getByTestId('connect-token-note').textContent).toContain('any key works');
    expect(screen.queryByTestId('connect-not-listening')).toBeNull();
  });

  it('switching tools swaps the picker and the config; the model list holds only available models', async () => {
    const user = userEvent.setup();
    render(ConnectTool, { props: { token: '' } });
    await user.selectOptions(screen.getByTestId('connect-tier'), 'haiku');
    expect(blocks()[0]).toContain('ANTHROPIC_MODEL=haiku');

    await user.selectOptions(screen.getByTestId('connect-tool-select'), 'codex');
    expect(screen.queryByTestId('connect-tier')).toBeNull();
    const picker = screen.getByTestId('connect-model') as HTMLSelectElement;
    expect([...picker.options].map((o) => o.value)).toEqual(['deepseek-flash', 'deepseek-v4-pro']);
    expect(picker.value).toBe('deepseek-v4-pro'); // the last chat model
    expect(blocks()[0]).toContain('base_url = "http://127.0.0.1:8001/v1"');
    expect(blocks()[0]).toContain('model = "deepseek-v4-pro"');

    await user.selectOptions(picker, 'deepseek-flash');
    await user.selectOptions(screen.getByTestId('connect-tool-select'), 'opencode');
    const cfg = JSON.parse(blocks()[0]!) as { model: string };
    expect(cfg.model).toBe('thinkcloud/deepseek-flash'); // the choice survives a tool switch
  });

  it('with the token required: masked on screen, copied in full, and the note points at the field', async () => {
    const TOKEN = 'tc-0123456789abcdef';
    settings.settings = stored({ requireToken: true });
    const user = userEvent.setup();
    render(ConnectTool, { props: { token: TOKEN } });
    await user.selectOptions(screen.getByTestId('connect-tool-select'), 'qwen-code');
    expect(blocks()[0]).not.toContain(TOKEN);
    expect(blocks()[0]).toContain('OPENAI_API_KEY=•');
    expect(screen.getByTestId('connect-token-note').textContent).toContain('access token shown above');
    await user.click(screen.getByTestId('connect-copy-0'));
    const clip = (window as unknown as { runtime: { ClipboardSetText: ReturnType<typeof vi.fn> } }).runtime.ClipboardSetText;
    await vi.waitFor(() => expect(clip).toHaveBeenCalledWith(expect.stringContaining(`OPENAI_API_KEY=${TOKEN}`)));
  });

  it('says when the endpoint is not listening and falls back to the stored address', () => {
    settings.endpoint = { state: 'off', addr: '' };
    settings.settings = stored({ port: 9100 });
    render(ConnectTool, { props: { token: '' } });
    expect(screen.getByTestId('connect-not-listening')).toBeTruthy();
    expect(blocks()[0]).toContain('http://127.0.0.1:9100');
  });

  it('speaks Simplified Chinese', () => {
    setLocale('zh-CN');
    render(ConnectTool, { props: { token: '' } });
    expect(screen.getByTestId('connect-tool').textContent).toContain('连接工具');
  });
});
