import { call, subscribe } from './bridge';
import type { Conversation, ConversationWithMessages, HistoryStatus, Params, SearchHit } from './types';

const S = 'HistoryService';

export const historyApi = {
  /** Whether the history is open, being upgraded, or unavailable (and why). */
  status: (): Promise<HistoryStatus> => call<HistoryStatus>(S, 'Status'),
  onStatus: (cb: (s: HistoryStatus) => void): (() => void) => subscribe('history:status', cb),
  list: async (limit: number, offset: number): Promise<Conversation[]> =>
    (await call<Conversation[] | null>(S, 'List', limit, offset)) ?? [],
  get: async (id: string): Promise<ConversationWithMessages> => {
    const r = await call<ConversationWithMessages>(S, 'Get', id);
    return { conversation: r.conversation, messages: r.messages ?? [] };
  },
  search: async (query: string): Promise<SearchHit[]> => (await call<SearchHit[] | null>(S, 'Search', query)) ?? [],
  rename: (id: string, title: string): Promise<void> => call<void>(S, 'Rename', id, title),
  pin: (id: string, pinned: boolean): Promise<void> => call<void>(S, 'Pin', id, pinned),
  remove: (id: string): Promise<void> => call<void>(S, 'Delete', id),
  setModel: (id: string, model: string): Promise<void> => call<void>(S, 'SetModel', id, model),
  setSystem: (id: string, system: string, params: Params): Promise<void> => call<void>(S, 'SetSystem', id, system, params),
  exportMarkdown: (id: string): Promise<string> => call<string>(S, 'ExportMarkdown', id),
  exportJSON: (id: string): Promise<string> => call<string>(S, 'ExportJSON', id),
  /** Asks where to save (a native dialog titled dialogTitle) and writes the file; "" when the user cancelled. */
  exportFile: (id: string, format: 'markdown' | 'json', dialogTitle: string): Promise<string> =>
    call<string>(S, 'ExportFile', id, format, dialogTitle),
  /** Asks for an exported JSON file (a native dialog titled dialogTitle) and imports it; null when the user cancelled. */
  importFile: async (dialogTitle: string): Promise<Conversation | null> =>
    (await call<Conversation | null>(S, 'ImportFile', dialogTitle)) ?? null,
};
