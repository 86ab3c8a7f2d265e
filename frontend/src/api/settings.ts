import { call, subscribe } from './bridge';
import type { Balance, EndpointStatus, KeyInfo, NewToken, ProviderView, Settings, SettingsView, TestResult, TokenInfo, TokenLimits } from './types';

const S = 'SettingsService';

export const settingsApi = {
  get: (): Promise<SettingsView> => call(S, 'Get'),
  save: (s: Settings): Promise<void> => call(S, 'Save', s),
  providers: async (): Promise<ProviderView[]> => (await call(S, 'Providers')) ?? [],
  setKey: (provider: string, key: string): Promise<KeyInfo> => call(S, 'SetKey', provider, key),
  deleteKey: (provider: string): Promise<KeyInfo> => call(S, 'DeleteKey', provider),
  addKey: (provider: string, label: string, key: string): Promise<void> => call(S, 'AddKey', provider, label, key),
  deleteLabeledKey: (provider: string, label: string): Promise<void> => call(S, 'DeleteLabeledKey', provider, label),
  testKey: (provider: string): Promise<TestResult> => call(S, 'TestKey', provider),
  endpointStatus: (): Promise<EndpointStatus> => call(S, 'EndpointStatus'),
  retryEndpoint: (): Promise<EndpointStatus> => call(S, 'RetryEndpoint'),
  onEndpointStatus: (cb: (s: EndpointStatus) => void): (() => void) => subscribe('endpoint:status', cb),
  accessToken: (): Promise<string> => call(S, 'AccessToken'),
  regenerateToken: (): Promise<string> => call(S, 'RegenerateToken'),
  tokens: async (): Promise<TokenInfo[]> => (await call(S, 'Tokens')) ?? [],
  createToken: (name: string, limits: TokenLimits): Promise<NewToken> => call(S, 'CreateToken', name, limits),
  renameToken: (old: string, name: string): Promise<void> => call(S, 'RenameToken', old, name),
  setTokenLimits: (name: string, limits: TokenLimits): Promise<void> => call(S, 'SetTokenLimits', name, limits),
  revokeToken: (name: string): Promise<void> => call(S, 'RevokeToken', name),
  balance: async (provider: string): Promise<Balance[]> => (await call(S, 'Balance', provider)) ?? [],
};
