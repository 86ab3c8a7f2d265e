import { call, serviceBound } from './bridge';

const S = 'DiagService';

/** What the window should record (see backend/desktop/diag.go). */
export interface DiagConfig {
  /** how long to record the idle window first; 0 = not at all */
  idleMs: number;
}

/** Numbers under short names, nothing else: Go refuses any other shape. */
export interface DiagReport {
  phase: string;
  metrics: Record<string, number>;
}

export const diagApi = {
  /** Go binds DiagService only when THINKCLOUD_DIAG_FILE is set. */
  enabled: (): boolean => serviceBound(S),
  config: (): Promise<DiagConfig> => call<DiagConfig>(S, 'Config'),
  write: (r: DiagReport): Promise<void> => call<void>(S, 'Write', r),
};
