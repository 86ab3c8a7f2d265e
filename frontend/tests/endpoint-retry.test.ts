import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../src/App.svelte';
import EndpointTab from '../src/components/settings/EndpointTab.svelte';
import type { EndpointStatus, Settings } from '../src/api';
import { settings } from '../src/stores/settings.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const kept: EndpointStatus = {
  state: 'listening',
  addr: '127.0.0.1:8000',
  url: 'http://127.0.0.1:8000/v1',
  error: '127.0.0.1:9000 is already in use by another program',
  wanted: '127.0.0.1:9000',
};

function freshStore(): void {
  (settings as unknown as { unsub?: () => void }).unsub = undefined;
  settings.endpoint = null;
}

beforeEach(() => {
  setLocale('en');
  freshStore();
});
afterEach(() => {
  uninstallFakeGo();
  freshStore();
});

describe('endpoint port in use', () => {
  it('the banner says the endpoint kept its port and Retry moves it once the port is free', async () => {
    let free = false;
    const RetryEndpoint = vi.fn(async () => {
      if (!free) throw new Error('127.0.0.1:9000 is already in use by another program');
      return { state: 'listening', addr: '127.0.0.1:9000', url: 'http://127.0.0.1:9000/v1', error: '' };
    });
    installFakeGo({
      SettingsService: {
        Get: async () => ({ settings: null, notice: '' }),
        EndpointStatus: async () => (free ? { state: 'listening', addr: '127.0.0.1:9000', url: '', error: '' } : kept),
        RetryEndpoint,
      },
    });
    const user = userEvent.setup();
    render(App);
    const banner = await vi.waitFor(() => screen.getByTestId('endpoint-banner'));
    expect(banner.textContent).toContain('127.0.0.1:9000');
    expect(banner.textContent).toContain('keeps running on 127.0.0.1:8000');
    await user.click(screen.getByTestId('endpoint-banner-action'));
    expect(RetryEndpoint).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('endpoint-banner')).toBeTruthy(); // still taken: still there
    await vi.waitFor(() => expect(screen.getByTestId('toast').textContent).toContain('Still could not start'));
    free = true;
    await user.click(screen.getByTestId('endpoint-banner-action'));
    await vi.waitFor(() => expect(screen.queryByTestId('endpoint-banner')).toBeNull());
  });

  it('a failed Apply says it was not applied and keeps the typed port', async () => {
    const stored = { enabled: true, host: '127.0.0.1', port: 8000, requireToken: false, allowedOrigins: [], allowedHosts: [], rateLimitPerMinute: 0, dropHostedTools: [] };
    const current = { version: 1, endpoint: stored } as unknown as Settings;
    installFakeGo({
      SettingsService: {
        Get: async () => ({ settings: structuredClone(current), notice: '' }),
        Save: async () => {
          throw new Error('127.0.0.1:9000 is already in use by another program');
        },
        EndpointStatus: async () => kept,
        AccessToken: async () => 'tok',
      },
    });
    await settings.load();
    const user = userEvent.setup();
    render(EndpointTab);
    const port = screen.getByTestId('endpoint-port') as HTMLInputElement;
    await user.clear(port);
    await user.type(port, '9000');
    await user.click(screen.getByTestId('endpoint-apply'));
    await vi.waitFor(() => expect(screen.getByText(/Not applied: 127.0.0.1:9000 is already in use/)).toBeTruthy());
    expect(screen.queryByText(/Could not save settings/)).toBeNull();
    expect((screen.getByTestId('endpoint-port') as HTMLInputElement).value).toBe('9000');
    expect(settings.settings?.endpoint.port).toBe(8000);
  });
});
