import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import UsageSettings from '../src/components/settings/UsageSettings.svelte';
import type { Settings } from '../src/api';
import { settings } from '../src/stores/settings.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { parseUsageDraft, usageDraft } from '../src/lib/usageSettings';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

async function mount(usage: Settings['usage']) {
  const saved: Settings[] = [];
  const Save = vi.fn(async (s: Settings) => {
    saved.push(structuredClone(s));
  });
  installFakeGo({ SettingsService: { Get: async () => ({ settings: { version: 1, usage } as unknown as Settings, notice: '' }), Save } });
  await settings.load();
  render(UsageSettings);
  return { Save, saved, user: userEvent.setup() };
}

beforeEach(() => setLocale('en'));
afterEach(() => uninstallFakeGo());

describe('usage settings', () => {
  it('shows the defaults as placeholders and saves a change of every field', async () => {
    const { saved, user } = await mount(undefined);
    const retention = screen.getByTestId('usage-retention') as HTMLInputElement;
    expect(retention.value).toBe('');
    expect(retention.placeholder).toBe('90');
    expect((screen.getByTestId('usage-size') as HTMLInputElement).placeholder).toBe('512');
    await user.type(retention, '30');
    await user.type(screen.getByTestId('usage-size'), '64');
    await user.click(screen.getByTestId('usage-logging'));
    await user.click(screen.getByTestId('usage-metrics'));
    await user.click(screen.getByTestId('usage-settings-apply'));
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0].usage).toEqual({ disabled: true, metrics: true, retentionDays: 30, maxMB: 64 });
  });

  it('refuses out-of-range values without saving, and says so in Chinese too', async () => {
    const { Save, user } = await mount({ retentionDays: 7 });
    const retention = screen.getByTestId('usage-retention') as HTMLInputElement;
    expect(retention.value).toBe('7');
    await user.clear(retention);
    await user.type(retention, '0.5');
    await user.click(screen.getByTestId('usage-settings-apply'));
    expect(screen.getByTestId('usage-settings-error').textContent).toContain('1 to 3650 days');
    setLocale('zh-CN');
    await user.clear(retention);
    await user.type(screen.getByTestId('usage-size'), '8');
    await user.click(screen.getByTestId('usage-settings-apply'));
    expect(screen.getByTestId('usage-settings-error').textContent).toContain('16 到 1048576 MB');
    expect(screen.getByTestId('usage-settings').textContent).toContain('请求日志');
    expect(Save).not.toHaveBeenCalled();
  });
});

describe('parseUsageDraft', () => {
  it('round-trips stored settings and reads empty fields as the defaults', () => {
    for (const u of [{}, { disabled: true }, { retentionDays: 3650, maxMB: 16, metrics: true }]) {
      expect(parseUsageDraft(usageDraft(u))).toEqual({ usage: u });
    }
    const d = usageDraft(undefined);
    expect(parseUsageDraft({ ...d, retention: '3651' })).toEqual({ error: 'usage.badRetention' });
    expect(parseUsageDraft({ ...d, retention: '-1' })).toEqual({ error: 'usage.badRetention' });
    expect(parseUsageDraft({ ...d, size: '15' })).toEqual({ error: 'usage.badSize' });
    expect(parseUsageDraft({ ...d, size: 'lots' })).toEqual({ error: 'usage.badSize' });
  });
});
