import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import UpdateBanner from '../src/components/common/UpdateBanner.svelte';
import BackgroundSection from '../src/components/settings/BackgroundSection.svelte';
import type { BackgroundView, UpdateView } from '../src/api';
import { background } from '../src/stores/background.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { matchShortcut } from '../src/lib/shortcuts';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const notice = { version: '0.9.0', date: '2026-12-01', notes: 'Faster start.', url: 'https://example.invalid/t.tar.gz', sha256: 'ab'.repeat(32), managed: '' };
const view = (update: Partial<UpdateView> = {}): BackgroundView => ({
  keepRunning: true,
  startAtLogin: false,
  update: { check: '', notice: null, error: '', feed: 'https://example.invalid/latest.json', feedURL: '', ...update },
  view: 'chat',
});

beforeEach(() => {
  setLocale('en');
  background.loaded = false;
  background.dismissed = '';
});
afterEach(() => uninstallFakeGo());

describe('update check', () => {
  it('asks at first run and makes no check until the answer is yes', async () => {
    const SetUpdateCheck = vi.fn(async (on: boolean) => ({ check: on ? 'on' : 'off', notice: on ? notice : null, error: '' }));
    installFakeGo({ BackgroundService: { Get: vi.fn(async () => view()), SetUpdateCheck } });
    await background.load();
    const user = userEvent.setup();
    render(UpdateBanner);
    expect(screen.getByTestId('update-ask').textContent).toContain('once a day');
    await user.click(screen.getByTestId('update-ask-yes'));
    expect(SetUpdateCheck).toHaveBeenCalledWith(true);
    const shown = await screen.findByTestId('update-notice');
    expect(shown.textContent).toContain('ThinkCloud 0.9.0 is available');
    expect(screen.queryByTestId('update-ask')).toBeNull();
  });

  it('shows a notice with notes and a link, opening nothing without a click', async () => {
    const fake = installFakeGo({ BackgroundService: { Get: vi.fn(async () => view({ check: 'on', notice })) } });
    await background.load();
    const user = userEvent.setup();
    render(UpdateBanner);
    const open = (window as unknown as { runtime: { BrowserOpenURL: ReturnType<typeof vi.fn> } }).runtime.BrowserOpenURL;
    expect(open).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('update-notes-toggle'));
    expect(screen.getByTestId('update-notes').textContent).toBe('Faster start.');
    await user.click(screen.getByTestId('update-link'));
    expect(open).toHaveBeenCalledWith(notice.url);
    await user.click(screen.getByTestId('update-dismiss'));
    expect(screen.queryByTestId('update-notice')).toBeNull();
    // A newer notice arriving later shows again.
    fake.emit('update:status', { check: 'on', notice: { ...notice, version: '0.9.1' }, error: '' });
    expect((await screen.findByTestId('update-notice')).textContent).toContain('0.9.1');
  });

  it('says to use the package manager for a managed install', async () => {
    installFakeGo({ BackgroundService: { Get: vi.fn(async () => view({ check: 'on', notice: { ...notice, managed: 'deb', sha256: '' } })) } });
    await background.load();
    render(UpdateBanner);
    expect(screen.getByTestId('update-notice').textContent).toContain('package manager (deb)');
    expect(screen.getByTestId('update-link').textContent).toContain('Release notes');
  });
});

describe('release feed', () => {
  it('says when no feed is set, offers no check, and saves a URL typed in Settings', async () => {
    const url = 'http://127.0.0.1:9/latest.json';
    const SetFeedURL = vi.fn(async (u: string) => ({ check: 'on', notice: null, error: '', feed: u, feedURL: u }));
    const CheckForUpdate = vi.fn();
    installFakeGo({ BackgroundService: { Get: vi.fn(async () => view({ check: 'on', feed: '' })), SetFeedURL, CheckForUpdate } });
    await background.load();
    const user = userEvent.setup();
    render(BackgroundSection);
    expect(screen.getByTestId('update-no-feed').textContent).toContain('no network call');
    expect(screen.queryByTestId('update-check-now')).toBeNull();
    await user.click(screen.getByTestId('update-feed-url'));
    await user.paste(url);
    await user.keyboard('{Enter}');
    expect(SetFeedURL).toHaveBeenCalledWith(url);
    await screen.findByTestId('update-check-now');
    expect(screen.queryByTestId('update-no-feed')).toBeNull();
    expect(CheckForUpdate).not.toHaveBeenCalled();
  });

  it('explains the missing feed in Chinese', async () => {
    installFakeGo({ BackgroundService: { Get: vi.fn(async () => view({ check: 'on', feed: '' })) } });
    await background.load();
    setLocale('zh-CN');
    render(BackgroundSection);
    expect(screen.getByTestId('update-no-feed').textContent).toContain('不会发出任何网络请求');
  });
});

describe('background settings', () => {
  it('toggles keep-running and start at login through the service, in Chinese too', async () => {
    const SetKeepRunning = vi.fn(async () => {});
    const SetStartAtLogin = vi.fn(async () => {});
    installFakeGo({ BackgroundService: { Get: vi.fn(async () => view()), SetKeepRunning, SetStartAtLogin } });
    await background.load();
    setLocale('zh-CN');
    const user = userEvent.setup();
    render(BackgroundSection);
    expect(screen.getByTestId('background-section').textContent).toContain('关闭窗口后保持本地接口运行');
    await user.click(screen.getByTestId('keep-running'));
    expect(SetKeepRunning).toHaveBeenCalledWith(false);
    await user.click(screen.getByTestId('start-at-login'));
    expect(SetStartAtLogin).toHaveBeenCalledWith(true);
    await vi.waitFor(() => expect(background.startAtLogin).toBe(true));
    expect(background.keepRunning).toBe(false);
  });

  it('keeps the switch where it was when the login entry cannot be written', async () => {
    installFakeGo({
      BackgroundService: { Get: vi.fn(async () => view()), SetStartAtLogin: vi.fn(() => Promise.reject('write autostart entry: read-only file system')) },
    });
    await background.load();
    await expect(background.setStartAtLogin(true)).rejects.toThrow('read-only');
    expect(background.startAtLogin).toBe(false);
  });

  it('maps Ctrl+Q to quit', () => {
    const k = { key: 'q', ctrlKey: true, metaKey: false, shiftKey: false, altKey: false };
    expect(matchShortcut(k)).toBe('quit');
    expect(matchShortcut({ ...k, ctrlKey: false })).toBeNull();
  });
});
