import { modelsApi, type ModelInfo, type ModelEvent } from '../api';

export type RefreshState = { kind: ModelEvent['kind']; error?: string; errorKind?: ModelEvent['errorKind'] };

export class ModelsStore {
  list = $state<ModelInfo[]>([]);
  loaded = $state(false);
  error = $state('');
  refreshing = $state(false);
  /** per provider: last models:changed event */
  progress = $state<Record<string, RefreshState>>({});
  private unsub: (() => void) | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private api = modelsApi) {}

  byId(id: string): ModelInfo | undefined {
    return this.list.find((m) => m.id === id);
  }

  async load(): Promise<void> {
    try {
      this.list = await this.api.list();
      this.error = '';
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  start(): void {
    this.unsub ??= this.api.onChanged((ev) => this.onEvent(ev));
  }

  stop(): void {
    this.unsub?.();
    this.unsub = null;
  }

  onEvent(ev: ModelEvent): void {
    if (!ev || typeof ev !== 'object') return;
    const key = ev.provider || '*';
    this.progress[key] = { kind: ev.kind, error: ev.error, errorKind: ev.errorKind };
    if (ev.kind !== 'refreshing') {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.load(), 150);
    }
  }

  async refresh(): Promise<void> {
    this.refreshing = true;
    try {
      await this.api.refresh();
      await this.load();
    } finally {
      this.refreshing = false;
    }
  }
}

export const models = new ModelsStore();
