import {
  settingsApi,
  type Alias,
  type CustomProvider,
  type EndpointStatus,
  type KeyInfo,
  type Problem,
  type ProviderSettings,
  type ProviderView,
  type Settings,
  type TestResult,
  type Balance,
  type NewToken,
  type TokenInfo,
  type TokenLimits,
} from '../api';
import { resolveLocale, setLocale } from '../lib/i18n/index.svelte';

export function defaultProviderSettings(view?: ProviderView): ProviderSettings {
  return {
    enabled: view?.enabled ?? true,
    baseURL: '',
    region: view?.region ?? '',
    proxy: { mode: view?.proxy?.mode ?? 'system', url: view?.proxy?.url ?? '' },
  };
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export class SettingsStore {
  settings = $state<Settings | null>(null);
  notice = $state('');
  /** The notice as a code and its parts, for the window's language (null: none, or an older Go). */
  noticeProblem = $state<Problem | null>(null);
  /** Tool types only OpenAI runs, which endpoint.dropHostedTools may list. */
  hostedTools = $state<string[]>([]);
  providers = $state<ProviderView[]>([]);
  endpoint = $state<EndpointStatus | null>(null);
  error = $state('');
  private queue: Promise<unknown> = Promise.resolve();
  private unsub: (() => void) | null = null;
  private modelTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private api = settingsApi) {}

  async load(): Promise<void> {
    try {
      const view = await this.api.get();
      this.settings = view.settings;
      this.notice = view.notice ?? '';
      this.noticeProblem = view.problem ?? null;
      this.hostedTools = view.hostedTools ?? [];
      this.error = '';
      this.applyLanguage();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  applyLanguage(): void {
    setLocale(resolveLocale(this.settings?.language ?? ''));
  }

  /**
   * Applies a change and saves the whole Settings object. Saves are serialized;
   * on failure the previous settings are restored and the error is rethrown.
   */
  save(mutate: (s: Settings) => void): Promise<void> {
    const run = async () => {
      if (!this.settings) throw new Error('settings not loaded');
      const before = clone($state.snapshot(this.settings) as Settings);
      const next = clone(before);
      mutate(next);
      this.settings = next;
      this.applyLanguage();
      try {
        await this.api.save(next);
      } catch (e) {
        // Go saves what worked (a taken port is not saved, the rest is):
        // show what it holds now, or the previous settings if it cannot say.
        this.settings = before;
        try {
          this.settings = (await this.api.get()).settings;
        } catch {
          // keep before
        }
        this.applyLanguage();
        throw e;
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => {});
    return p;
  }

  /** Remembers the last chosen model (debounced, errors are not fatal). */
  rememberModel(id: string): void {
    if (!id || !this.settings || this.settings.lastModel === id) return;
    clearTimeout(this.modelTimer);
    this.modelTimer = setTimeout(() => {
      this.save((s) => (s.lastModel = id)).catch((e) => console.warn('saving lastModel failed', e));
    }, 400);
  }

  providerSettings(id: string): ProviderSettings {
    const view = this.providers.find((p) => p.id === id);
    const stored = this.settings?.providers?.[id];
    return stored ? clone($state.snapshot(stored) as ProviderSettings) : defaultProviderSettings(view);
  }

  async updateProvider(id: string, patch: Partial<ProviderSettings>): Promise<void> {
    const current = this.providerSettings(id);
    await this.save((s) => {
      s.providers ??= {};
      s.providers[id] = { ...current, ...patch, proxy: { ...current.proxy, ...(patch.proxy ?? {}) } };
    });
    await this.loadProviders();
  }

  async saveCustomProvider(cp: CustomProvider, originalId?: string): Promise<void> {
    await this.save((s) => {
      s.customProviders ??= [];
      const idx = s.customProviders.findIndex((c) => c.id === (originalId ?? cp.id));
      if (idx >= 0) s.customProviders[idx] = cp;
      else s.customProviders.push(cp);
    });
    await this.loadProviders();
  }

  async removeCustomProvider(id: string): Promise<void> {
    await this.save((s) => {
      s.customProviders = (s.customProviders ?? []).filter((c) => c.id !== id);
    });
    try {
      await this.api.deleteKey(id);
    } catch {
      /* there may be no key */
    }
    await this.loadProviders();
  }

  async loadProviders(): Promise<void> {
    try {
      this.providers = await this.api.providers();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private setKeyInfo(info: KeyInfo): void {
    const p = this.providers.find((x) => x.id === info.provider);
    if (p) p.key = info;
  }

  async setKey(provider: string, key: string): Promise<KeyInfo> {
    const info = await this.api.setKey(provider, key);
    this.setKeyInfo(info);
    return info;
  }

  async deleteKey(provider: string): Promise<KeyInfo> {
    const info = await this.api.deleteKey(provider);
    this.setKeyInfo(info);
    return info;
  }

  /** Stores one more key for provider under label; requests rotate over a provider's keys. */
  async addKey(provider: string, label: string, key: string): Promise<void> {
    await this.api.addKey(provider, label, key);
    await this.loadProviders();
  }

  async deleteLabeledKey(provider: string, label: string): Promise<void> {
    await this.api.deleteLabeledKey(provider, label);
    await this.loadProviders();
  }

  /** Replaces the aliases; Go refuses cycles, unknown providers and models no provider serves. */
  saveAliases(aliases: Alias[]): Promise<void> {
    return this.save((s) => {
      s.aliases = aliases;
    });
  }

  testKey(provider: string): Promise<TestResult> {
    return this.api.testKey(provider);
  }

  async loadEndpoint(): Promise<void> {
    this.unsub ??= this.api.onEndpointStatus((s) => (this.endpoint = s));
    try {
      this.endpoint = await this.api.endpointStatus();
    } catch (e) {
      this.endpoint = { state: 'error', addr: '', url: '', error: (e as Error).message };
    }
  }

  /** Tries again to start the endpoint whose port was taken; rejects with why if it still cannot. */
  async retryEndpoint(): Promise<void> {
    try {
      this.endpoint = await this.api.retryEndpoint();
    } finally {
      await this.load();
      await this.loadEndpoint();
    }
  }

  accessToken(): Promise<string> {
    return this.api.accessToken();
  }

  regenerateToken(): Promise<string> {
    return this.api.regenerateToken();
  }

  // Named access tokens of local tools (Settings → Local endpoint). The
  // list is read fresh each time: its counters change with every request.
  tokens(): Promise<TokenInfo[]> {
    return this.api.tokens();
  }

  createToken(name: string, limits: TokenLimits): Promise<NewToken> {
    return this.api.createToken(name, limits);
  }

  renameToken(old: string, name: string): Promise<void> {
    return this.api.renameToken(old, name);
  }

  setTokenLimits(name: string, limits: TokenLimits): Promise<void> {
    return this.api.setTokenLimits(name, limits);
  }

  revokeToken(name: string): Promise<void> {
    return this.api.revokeToken(name);
  }

  // A provider's account balance, asked on demand (DeepSeek, Kimi).
  balance(provider: string): Promise<Balance[]> {
    return this.api.balance(provider);
  }
}

export const settings = new SettingsStore();
