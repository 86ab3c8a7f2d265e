export * from './types';
export { BackendError } from './bridge';
export { modelsApi } from './models';
export { chatApi } from './chat';
export { historyApi } from './history';
export { settingsApi } from './settings';
export { diagApi } from './diag';
export { backgroundApi } from './background';
export { copyText, openExternal, backendAvailable } from './system';
