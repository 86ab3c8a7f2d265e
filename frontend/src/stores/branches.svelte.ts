// Versions of a message, deletes and their undo: the chat store's branch
// actions, kept apart from its streaming. Go holds the tree; the window
// shows one path of it and asks Go for another.
import type { historyApi, MessageView } from '../api';
import type { ChatMessage } from './chat.svelte';

/** How long a delete can be undone before it is purged for good. */
export const UNDO_MS = 8000;

/** The last delete, undoable until it is purged. */
export interface PendingDelete {
  op: string;
  conversationId: string;
  branch: boolean;
}

/** What the branch actions need of the chat store. */
export interface BranchHost {
  readonly conversationId: string;
  readonly messages: ChatMessage[];
  readonly isStreaming: boolean;
  showPath(load: () => Promise<MessageView[]>): Promise<void>;
}

export type BranchHistory = Pick<typeof historyApi, 'get'> &
  Partial<Pick<typeof historyApi, 'selectVersion' | 'deleteMessage' | 'undoDelete' | 'purge'>>;

export class Branches {
  /** the last delete, while it can be undone */
  undo = $state<PendingDelete | null>(null);
  private undoTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private chat: BranchHost,
    private history: BranchHistory,
    private onError: (e: unknown) => void,
  ) {}

  /** Shows the previous (step -1) or next (+1) version of a message, with that version's later turns. */
  async showVersion(messageId: string, step: -1 | 1): Promise<void> {
    const versions = this.chat.messages.find((x) => x.id === messageId)?.versions ?? [];
    const at = versions.indexOf(messageId);
    const target = versions[at + step];
    if (at < 0 || !target) return;
    await this.select(target);
  }

  /** Makes sure messageId is on screen: a search hit in another branch switches to that branch. */
  async reveal(messageId: string): Promise<void> {
    if (!messageId || this.chat.messages.some((m) => m.id === messageId)) return;
    await this.select(messageId);
  }

  private async select(messageId: string): Promise<void> {
    const select = this.history.selectVersion;
    const convId = this.chat.conversationId;
    if (!select || !convId || this.chat.isStreaming) return;
    try {
      await this.chat.showPath(async () => (await select(convId, messageId)).messages);
    } catch (e) {
      this.onError(e);
    }
  }

  /**
   * Deletes one message, or with branch the message and everything after it
   * (in every version). It can be undone until UNDO_MS pass or the next delete.
   */
  async deleteMessage(messageId: string, branch: boolean): Promise<void> {
    const idx = this.chat.messages.findIndex((x) => x.id === messageId);
    const del = this.history.deleteMessage;
    if (idx < 0 || this.chat.isStreaming || !del) return;
    if (this.chat.messages[idx]!.local) {
      // Go never saw it: there is nothing to keep or undo.
      this.chat.messages.splice(idx, branch ? this.chat.messages.length - idx : 1);
      return;
    }
    const convId = this.chat.conversationId;
    try {
      const { op } = await del(convId, messageId, branch);
      this.settleUndo();
      this.undo = { op, conversationId: convId, branch };
      this.undoTimer = setTimeout(() => this.settleUndo(), UNDO_MS);
      await this.reload(convId);
    } catch (e) {
      this.onError(e);
    }
  }

  /** Brings back what the last delete hid. */
  async undoDelete(): Promise<void> {
    const u = this.undo;
    if (!u || !this.history.undoDelete) return;
    clearTimeout(this.undoTimer);
    this.undo = null;
    try {
      await this.history.undoDelete(u.op);
      await this.reload(u.conversationId);
    } catch (e) {
      this.onError(e);
    }
  }

  /** Ends the last delete's undo: it is purged for good (the next start would purge it too). */
  settleUndo(): void {
    const u = this.undo;
    if (!u) return;
    clearTimeout(this.undoTimer);
    this.undo = null;
    this.history.purge?.(u.op).catch(this.onError);
  }

  private async reload(convId: string): Promise<void> {
    if (this.chat.conversationId !== convId) return;
    await this.chat.showPath(async () => (await this.history.get(convId)).messages);
  }
}
