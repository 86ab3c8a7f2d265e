import { call } from './bridge';
import type { Assistants, AssistantsView } from './types';

const S = 'AssistantsService';

/** Chat presets ("assistants") and the prompt library, kept in settings.json by Go. */
export const assistantsApi = {
  /** Built-ins worded in lang ("zh-CN" or English), then the user's own. */
  list: (lang: string): Promise<AssistantsView> => call(S, 'List', lang),
  /** Replaces the user's assistants, prompts and default; Go validates and names a bad field. */
  save: (a: Assistants): Promise<void> => call(S, 'Save', a),
  /** Asks where to save (a native dialog titled dialogTitle); "" when cancelled. */
  exportFile: (dialogTitle: string): Promise<string> => call(S, 'ExportFile', dialogTitle),
  /** Asks for an exported file and merges it in; null when cancelled. */
  importFile: (dialogTitle: string): Promise<Assistants | null> => call(S, 'ImportFile', dialogTitle),
  importJSON: (data: string): Promise<Assistants> => call(S, 'ImportJSON', data),
  exportJSON: (): Promise<string> => call(S, 'ExportJSON'),
};
