import { historyApi, type ConversationView, type ExportFormat, type HitView } from '../api';

const PAGE = 50;

export class ConversationsStore {
  list = $state<ConversationView[]>([]);
  hasMore = $state(false);
  loaded = $state(false);
  error = $state('');
  query = $state('');
  hits = $state<HitView[]>([]);
  searching = $state(false);
  private searchSeq = 0;

  constructor(private api = historyApi) {}

  /** Reloads the first page (or as many as are shown). */
  async load(): Promise<void> {
    const limit = Math.max(PAGE, this.list.length);
    try {
      const items = await this.api.list(limit, 0);
      this.list = items;
      this.hasMore = items.length >= limit;
      this.error = '';
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  async loadMore(): Promise<void> {
    const items = await this.api.list(PAGE, this.list.length);
    const seen = new Set(this.list.map((c) => c.id));
    this.list.push(...items.filter((c) => !seen.has(c.id)));
    this.hasMore = items.length >= PAGE;
  }

  byId(id: string): ConversationView | undefined {
    return this.list.find((c) => c.id === id);
  }

  async search(query: string): Promise<void> {
    this.query = query;
    const q = query.trim();
    const seq = ++this.searchSeq;
    if (!q) {
      this.hits = [];
      this.searching = false;
      return;
    }
    this.searching = true;
    try {
      const hits = await this.api.search(q);
      if (seq === this.searchSeq) this.hits = hits;
    } catch (e) {
      if (seq === this.searchSeq) {
        this.hits = [];
        this.error = (e as Error).message;
      }
    } finally {
      if (seq === this.searchSeq) this.searching = false;
    }
  }

  async rename(id: string, title: string): Promise<void> {
    await this.api.rename(id, title);
    const c = this.byId(id);
    if (c) c.title = title;
  }

  /** Follows titles a model writes for new conversations; returns the unsubscribe. */
  followTitles(): () => void {
    return this.api.onTitle(({ conversationId, title }) => {
      const c = this.byId(conversationId);
      if (c) c.title = title;
      // Go saved the title before telling: a reload still in flight from
      // before it may carry the old one, so read the list once more.
      void this.load();
    });
  }

  async pin(id: string, pinned: boolean): Promise<void> {
    await this.api.pin(id, pinned);
    await this.load();
  }

  async remove(id: string): Promise<void> {
    await this.api.remove(id);
    this.list = this.list.filter((c) => c.id !== id);
  }

  exportAs(id: string, format: ExportFormat): Promise<string> {
    return format === 'markdown' ? this.api.exportMarkdown(id) : this.api.exportJSON(id);
  }

  /** Saves an export where the user chooses; resolves to the path, or "" if cancelled. */
  saveAs(id: string, format: ExportFormat, dialogTitle: string): Promise<string> {
    return this.api.exportFile(id, format, dialogTitle);
  }

  /** Imports a file the user chooses; resolves to the new conversation, or null if cancelled. */
  async importFile(dialogTitle: string): Promise<ConversationView | null> {
    const conv = await this.api.importFile(dialogTitle);
    if (conv) await this.load();
    return conv;
  }
}

export const conversations = new ConversationsStore();
