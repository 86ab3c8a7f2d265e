import { call, subscribe } from './bridge';
import type { ModelEvent, ModelInfo } from './types';

const S = 'ModelsService';

export const modelsApi = {
  list: async (): Promise<ModelInfo[]> => (await call(S, 'List')) ?? [],
  refresh: (): Promise<void> => call(S, 'Refresh'),
  onChanged: (cb: (e: ModelEvent) => void): (() => void) => subscribe('models:changed', cb),
};
