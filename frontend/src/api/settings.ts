import { call, subscribe } from './bridge';
import type { EndpointStatus, KeyInfo, ProviderView, Settings, SettingsView, TestResult } from './types';

const S = 'SettingsService';

export const settingsApi = {
  get: (): Promise<SettingsView> => call<SettingsView>(S, 'Get'),
  save: (s: Settings): Promise<void> => call<void>(S, 'Save', s),
  providers: async (): Promise<ProviderView[]> => (await call<ProviderView[] | null>(S, 'Providers')) ?? [],
  setKey: (provider: string, key: string): Promise<KeyInfo> => call<KeyInfo>(S, 'SetKey', provider, key),
  deleteKey: (provider: string): Promise<KeyInfo> => call<KeyInfo>(S, 'DeleteKey', provider),
  testKey: (provider: string): Promise<TestResult> => call<TestResult>(S, 'TestKey', provider),
  endpointStatus: (): Promise<EndpointStatus> => call<EndpointStatus>(S, 'EndpointStatus'),
  onEndpointStatus: (cb: (s: EndpointStatus) => void): (() => void) => subscribe('endpoint:status', cb),
  accessToken: (): Promise<string> => call<string>(S, 'AccessToken'),
  regenerateToken: (): Promise<string> => call<string>(S, 'RegenerateToken'),
};
