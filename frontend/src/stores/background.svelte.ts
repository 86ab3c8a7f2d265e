import { backgroundApi, type UpdateView } from '../api';
import { settings } from './settings.svelte';

/**
 * Keep-running, start at login and the update check. Changes go through
 * BackgroundService (which also writes the login entry); the settings
 * store's copy is patched so its next save does not undo them.
 */
export class BackgroundStore {
  keepRunning = $state(true);
  startAtLogin = $state(false);
  update = $state<UpdateView>({ check: '', notice: null, error: '', feed: '', feedURL: '' });
  loaded = $state(false);
  /** the notice version the user dismissed this run */
  dismissed = $state('');
  checking = $state(false);
  private unsub: (() => void) | null = null;

  constructor(private api = backgroundApi) {}

  /** Loads the state; returns the view to restore ('chat' or 'settings'). */
  async load(): Promise<string> {
    const v = await this.api.get();
    this.keepRunning = v.keepRunning;
    this.startAtLogin = v.startAtLogin;
    this.update = v.update;
    this.loaded = true;
    this.unsub?.();
    this.unsub = this.api.onUpdateStatus((u) => (this.update = u));
    return v.view;
  }

  private patch(fn: (s: NonNullable<typeof settings.settings>) => void): void {
    if (settings.settings) fn(settings.settings);
  }

  async setKeepRunning(on: boolean): Promise<void> {
    await this.api.setKeepRunning(on);
    this.keepRunning = on;
    this.patch((s) => (s.background = { ...s.background, keepRunning: on }));
  }

  async setStartAtLogin(on: boolean): Promise<void> {
    await this.api.setStartAtLogin(on);
    this.startAtLogin = on;
    this.patch((s) => (s.background = { ...s.background, startAtLogin: on }));
  }

  async setUpdateCheck(on: boolean): Promise<void> {
    this.checking = on;
    try {
      this.update = await this.api.setUpdateCheck(on);
      this.patch((s) => (s.updates = { ...(s.updates ?? {}), check: on ? 'on' : 'off' }));
    } finally {
      this.checking = false;
    }
  }

  /** Names the release feed ('' goes back to the built-in one, if any). */
  async setFeedURL(url: string): Promise<void> {
    this.update = await this.api.setFeedURL(url);
    this.patch((s) => (s.updates = { ...(s.updates ?? {}), feedURL: this.update.feedURL }));
  }

  async checkNow(): Promise<void> {
    this.checking = true;
    try {
      this.update = await this.api.checkForUpdate();
    } catch (e) {
      this.update = { ...this.update, error: (e as Error).message };
    } finally {
      this.checking = false;
    }
  }

  /** The notice to show, unless dismissed. */
  get notice() {
    const n = this.update.check === 'on' ? this.update.notice : null;
    return n && n.version !== this.dismissed ? n : null;
  }
}

export const background = new BackgroundStore();
