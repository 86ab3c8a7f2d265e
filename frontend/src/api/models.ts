import { call, subscribe } from './bridge';
import type { ModelInfo, ModelsChangedEvent } from './types';

const S = 'ModelsService';

export const modelsApi = {
  list: async (): Promise<ModelInfo[]> => (await call<ModelInfo[] | null>(S, 'List')) ?? [],
  refresh: (): Promise<void> => call<void>(S, 'Refresh'),
  onChanged: (cb: (e: ModelsChangedEvent) => void): (() => void) => subscribe('models:changed', cb),
};
