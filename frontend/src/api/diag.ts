import { call, serviceBound } from './bridge';
import type { DiagConfig, DiagReport } from './types';

const S = 'DiagService';

export const diagApi = {
  /** Go binds DiagService only when THINKCLOUD_DIAG_FILE is set. */
  enabled: (): boolean => serviceBound(S),
  config: (): Promise<DiagConfig> => call(S, 'Config'),
  write: (r: DiagReport): Promise<void> => call(S, 'Write', r),
};
