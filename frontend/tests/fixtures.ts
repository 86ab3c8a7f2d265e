// Test values of the window's contract types, built in one place: a new
// field Go adds to ModelInfo or ProviderView is then filled here once
// instead of in every test file.
import type { ModelInfo, ProviderView } from '../src/api';

/** A model with every field filled; extra overrides any of them. */
export function modelInfo(id: string, extra: Partial<ModelInfo> = {}): ModelInfo {
  return {
    id,
    provider: 'p',
    providerName: 'P',
    upstream: id,
    contextWindow: 0,
    reasoning: false,
    vision: false,
    tools: false,
    thinkingToggle: false,
    available: true,
    source: 'builtin',
    retired: false,
    defaults: null,
    name: '',
    maxOutput: 0,
    prices: null,
    shutdown: '',
    successors: null,
    unavailable: false,
    ...extra,
    think: extra.think ?? null,
    chain: extra.chain ?? null,
  };
}

/** A built-in provider's card with every field filled; over overrides any of them. */
export function providerView(over: Partial<ProviderView> = {}): ProviderView {
  return {
    id: 'deepseek',
    name: 'DeepSeek',
    custom: false,
    enabled: true,
    baseURL: '',
    defaultBaseURL: '',
    region: '',
    regions: [],
    proxy: { mode: 'system', url: '' },
    key: { provider: 'deepseek', hasKey: false, source: 'none', hint: '', envVar: 'DEEPSEEK_API_KEY', error: '' },
    modelCount: 0,
    anthropicAPI: false,
    anthropicURL: '',
    circuit: 'closed',
    failures: 0,
    restingUntil: 0,
    keys: null,
    hasBalance: false,
    ...over,
  };
}
