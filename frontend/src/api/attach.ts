import { call } from './bridge';
import type { AttachResult } from './types';

const S = 'AttachService';

/** Files attached to a message: Go reads text and code files and takes the text out of PDFs. */
export const attachApi = {
  /** Shows the open dialog (titled dialogTitle), where several files may be chosen: one result per file, none when cancelled. */
  pick: async (dialogTitle: string): Promise<AttachResult[]> => (await call(S, 'Pick', dialogTitle)) ?? [],
  /** A dropped or pasted file: its name and its bytes in base64. */
  fromData: (name: string, base64: string): Promise<AttachResult> => call(S, 'FromData', name, base64),
};
