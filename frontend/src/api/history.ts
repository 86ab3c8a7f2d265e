import { call, subscribe } from './bridge';
import type { ConversationDetail, ConversationView, CostsView, DeleteResult, ExportFormat, HistoryStatus, HitView, Params, TitleEvent } from './types';

const S = 'HistoryService';

export const historyApi = {
  /** Whether the history is open, being upgraded, or unavailable (and why). */
  status: (): Promise<HistoryStatus> => call(S, 'Status'),
  onStatus: (cb: (s: HistoryStatus) => void): (() => void) => subscribe('history:status', cb),
  /** A model named a conversation (Settings → titles). */
  onTitle: (cb: (e: TitleEvent) => void): (() => void) => subscribe('conversation:title', cb),
  list: async (limit: number, offset: number): Promise<ConversationView[]> => (await call(S, 'List', limit, offset)) ?? [],
  get: async (id: string): Promise<ConversationDetail & { messages: NonNullable<ConversationDetail['messages']> }> => {
    const r = await call(S, 'Get', id);
    return { conversation: r.conversation, messages: r.messages ?? [] };
  },
  /** Shows another version of a message: returns the conversation's new active path. */
  selectVersion: async (
    conversationId: string,
    messageId: string,
  ): Promise<ConversationDetail & { messages: NonNullable<ConversationDetail['messages']> }> => {
    const r = await call(S, 'SelectVersion', conversationId, messageId);
    return { conversation: r.conversation, messages: r.messages ?? [] };
  },
  /** Hides a message (branch: with its later turns) until purge; undoDelete(op) brings it back. */
  deleteMessage: (conversationId: string, messageId: string, branch: boolean): Promise<DeleteResult> =>
    call(S, 'DeleteMessage', conversationId, messageId, branch),
  undoDelete: (op: string): Promise<void> => call(S, 'UndoDelete', op),
  purge: (op: string): Promise<void> => call(S, 'Purge', op),
  search: async (query: string): Promise<HitView[]> => (await call(S, 'Search', query)) ?? [],
  rename: (id: string, title: string): Promise<void> => call(S, 'Rename', id, title),
  pin: (id: string, pinned: boolean): Promise<void> => call(S, 'Pin', id, pinned),
  remove: (id: string): Promise<void> => call(S, 'Delete', id),
  setModel: (id: string, model: string): Promise<void> => call(S, 'SetModel', id, model),
  setSystem: (id: string, system: string, params: Params): Promise<void> => call(S, 'SetSystem', id, system, params),
  /** The params of the newest conversation with model (its thinking choice is remembered per model); null for none. */
  lastParams: (model: string): Promise<Params | null> => call(S, 'LastParams', model),
  /** The cost Go prices for each answer on the shown path (the window does no pricing). */
  costs: (conversationId: string): Promise<CostsView> => call(S, 'Costs', conversationId),
  exportMarkdown: (id: string): Promise<string> => call(S, 'ExportMarkdown', id),
  exportJSON: (id: string): Promise<string> => call(S, 'ExportJSON', id),
  /** Asks where to save (a native dialog titled dialogTitle) and writes the file; "" when the user cancelled. */
  exportFile: (id: string, format: ExportFormat, dialogTitle: string): Promise<string> =>
    call(S, 'ExportFile', id, format, dialogTitle),
  /** Asks for an exported JSON file (a native dialog titled dialogTitle) and imports it; null when the user cancelled. */
  importFile: (dialogTitle: string): Promise<ConversationView | null> => call(S, 'ImportFile', dialogTitle),
};
