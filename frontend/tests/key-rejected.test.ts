import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ProviderKey from '../src/components/settings/ProviderKey.svelte';
import type { KeyInfo, ProviderView } from '../src/api';
import { settings } from '../src/stores/settings.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';
import { providerView } from './fixtures';

const info = (hasKey: boolean): KeyInfo => ({
  provider: 'deepseek', hasKey, source: hasKey ? 'keyring' : 'none', hint: hasKey ? 'sk-…a1b2' : '', envVar: 'DEEPSEEK_API_KEY', error: '',
});
const pv = (): ProviderView => providerView({ key: info(false), modelCount: 2 });

beforeEach(() => setLocale('en'));
afterEach(() => uninstallFakeGo());

describe('saving a key the provider rejects', () => {
  async function save(testResult: { ok: boolean; error: string; kind?: string }) {
    installFakeGo({
      SettingsService: {
        SetKey: vi.fn(async () => info(true)),
        TestKey: vi.fn(async () => ({ latencyMs: 12, modelCount: testResult.ok ? 3 : 0, kind: '', ...testResult })),
      },
      ModelsService: { List: vi.fn(async () => []) },
    });
    settings.providers = [pv()];
    const user = userEvent.setup();
    render(ProviderKey, { props: { view: settings.providers[0]! } });
    await user.type(screen.getByTestId('key-input'), 'sk-wrong-0000');
    await user.click(screen.getByTestId('key-save'));
  }

  it('is not shown as "saved" in green', async () => {
    await save({ ok: false, error: '401 Authentication Fails (auth header format should be Bearer sk-...)' });
    await vi.waitFor(() => expect(screen.getByTestId('key-saved').dataset.ok).toBe('false'));
    const msg = screen.getByTestId('key-saved');
    expect(msg.classList.contains('ok-text')).toBe(false);
    expect(msg.textContent).toContain('rejected');
    expect(screen.getByTestId('key-test-result').textContent).toContain('401 Authentication Fails');
  });

  it('says what went wrong in the window\'s language, with the provider\'s words after it', async () => {
    setLocale('zh-CN');
    await save({ ok: false, kind: 'invalid_key', error: 'deepseek: Authentication Fails (401)' });
    await vi.waitFor(() => expect(screen.getByTestId('key-test-result').dataset.kind).toBe('invalid_key'));
    const text = screen.getByTestId('key-test-result').textContent ?? '';
    expect(text).toContain('拒绝了该 API 密钥');
    expect(text).toContain('详情：deepseek: Authentication Fails (401)');
  });

  it('a key the provider takes is shown as saved', async () => {
    await save({ ok: true, error: '' });
    await vi.waitFor(() => expect(screen.getByTestId('key-saved').classList.contains('ok-text')).toBe(true));
  });
});
