import type { Theme } from '../api/types';

export type View = 'chat' | 'settings' | 'usage';
export type SettingsTab = 'providers' | 'endpoint' | 'appearance' | 'assistants';

function systemPrefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

class UiStore {
  view = $state<View>('chat');
  settingsTab = $state<SettingsTab>('providers');
  /** provider card to scroll to when Settings opens from an "Add key" link */
  focusProvider = $state('');
  pickerOpen = $state(false);
  /** bumped to ask the sidebar search box to take focus */
  searchFocusTick = $state(0);
  composerFocusTick = $state(0);
  /** transient confirmation text */
  toast = $state('');
  /** last error that is not attached to a specific control */
  error = $state('');
  systemDark = $state(systemPrefersDark());
  /** a message to scroll to after opening a conversation from search */
  scrollToMessage = $state('');
  private toastTimer: ReturnType<typeof setTimeout> | undefined;

  openSettings(tab: SettingsTab = 'providers', provider = ''): void {
    this.settingsTab = tab;
    this.focusProvider = provider;
    this.view = 'settings';
    this.pickerOpen = false;
  }

  openUsage(): void {
    this.view = 'usage';
    this.pickerOpen = false;
  }

  openChat(): void {
    this.view = 'chat';
  }

  focusSearch(): void {
    this.searchFocusTick++;
  }

  focusComposer(): void {
    this.composerFocusTick++;
  }

  showToast(text: string, ms = 2500): void {
    this.toast = text;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast = ''), ms);
  }

  showError(e: unknown): void {
    this.error = e instanceof Error ? e.message : String(e);
  }

  /** Theme setting → concrete theme, following prefers-color-scheme for "system". */
  resolveTheme(theme: Theme | undefined): 'light' | 'dark' {
    if (theme === 'light' || theme === 'dark') return theme;
    return this.systemDark ? 'dark' : 'light';
  }

  /** Tracks the OS colour scheme. Returns a cleanup function. */
  watchSystemTheme(): () => void {
    if (typeof matchMedia !== 'function') return () => {};
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const on = () => (this.systemDark = mq.matches);
    mq.addEventListener?.('change', on);
    return () => mq.removeEventListener?.('change', on);
  }
}

export const ui = new UiStore();
