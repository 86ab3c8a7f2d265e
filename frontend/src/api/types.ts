// Hand-written mirror of the Go binding contract. JSON field names are exact.
// contract_test.go (go test) compares it with Go: every Go field needs one here,
// every field here needs one in Go, and every declaration must be reachable
// from a bound method or an event.

// ---------- models ----------
export type ModelSource = 'builtin' | 'live' | 'custom';

export interface ModelInfo {
  id: string;
  provider: string;
  providerName: string;
  upstream: string;
  /** 0 = unknown */
  contextWindow: number;
  reasoning: boolean;
  vision: boolean;
  tools: boolean;
  thinkingToggle: boolean;
  /** the provider has a key */
  available: boolean;
  source: ModelSource;
  retired: boolean;
  defaults: Record<string, number> | null;
}

export interface ModelsChangedEvent {
  kind: 'refreshing' | 'done' | 'error';
  provider: string;
  /** models fetched, on a 'done' after a fetch; absent otherwise */
  count?: number;
  error?: string;
}

// ---------- chat ----------
export type ReasoningEffort = '' | 'low' | 'medium' | 'high';

/** null means "not sent". 0 is a real value and must be sent. */
export interface Params {
  temperature: number | null;
  topP: number | null;
  maxTokens: number | null;
  frequencyPenalty: number | null;
  presencePenalty: number | null;
  reasoningEffort: ReasoningEffort;
  /** null = model default */
  thinking: boolean | null;
  system: string;
}

export interface SendRequest {
  /** "" = new conversation */
  conversationId: string;
  model: string;
  text: string;
  /** data URLs */
  images: string[];
  params: Params;
}

export interface SendResult {
  streamId: string;
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface Stats {
  ttftMs: number;
  tokensPerSec: number;
  reasoningMs: number;
  totalMs: number;
}

export type ErrorKind =
  | 'no_key'
  | 'invalid_key'
  | 'insufficient_balance'
  | 'rate_limited'
  | 'unreachable'
  | 'timeout'
  | 'bad_request'
  | 'stopped'
  | 'other';

export interface StreamError {
  kind: ErrorKind;
  message: string;
  provider: string;
}

export type StreamKind = 'delta' | 'reasoning' | 'done' | 'error';

export interface StreamEvent {
  streamId: string;
  conversationId: string;
  messageId: string;
  /** increasing within a stream */
  seq: number;
  kind: StreamKind;
  /** new text since the last event of that kind */
  text: string;
  usage?: Usage;
  stats?: Stats;
  error?: StreamError;
  /** on the last event: the answer could not be saved to the history (a full disk, say) */
  saveError?: string;
}

// ---------- history ----------
export interface Conversation {
  id: string;
  title: string;
  model: string;
  provider: string;
  system: string;
  params: Params | null;
  pinned: boolean;
  /** RFC3339 */
  createdAt: string;
  /** RFC3339 */
  updatedAt: string;
}

export type Role = 'user' | 'assistant' | 'system';
export type MessageStatus = 'complete' | 'streaming' | 'interrupted' | 'error' | 'stopped';

export interface Message {
  id: string;
  conversationId: string;
  role: Role;
  content: string;
  reasoning: string;
  images: string[] | null;
  model: string;
  provider: string;
  status: MessageStatus;
  error: string;
  /** the kind of `error`; '' when there is none or it was saved before history kept kinds */
  errorKind: ErrorKind | '';
  usage: Usage | null;
  stats: Stats | null;
  createdAt: string;
}

export interface ConversationWithMessages {
  conversation: Conversation;
  messages: Message[];
}

export interface SearchHit {
  conversationId: string;
  title: string;
  messageId: string;
  /** matched text wrapped in \u0002 … \u0003 */
  snippet: string;
}

// ---------- settings ----------
export type ProxyMode = 'system' | 'none' | 'custom';

export interface ProxySettings {
  mode: ProxyMode;
  /** absent when empty */
  url?: string;
}

export interface ProviderSettings {
  enabled: boolean;
  /** absent when empty: the catalog's URL */
  baseURL?: string;
  /** absent when empty: the default region */
  region?: string;
  proxy: ProxySettings;
}

export interface CustomProvider {
  id: string;
  name: string;
  baseURL: string;
  /** absent when empty */
  models?: string[];
  fetchModels: boolean;
  enabled: boolean;
  proxy: ProxySettings;
}

export interface EndpointSettings {
  enabled: boolean;
  host: string;
  port: number;
  requireToken: boolean;
  /** absent when empty */
  allowedOrigins?: string[];
  /** absent when empty */
  allowedHosts?: string[];
  rateLimitPerMinute: number;
}

export type Theme = 'system' | 'light' | 'dark';
export type LanguageSetting = '' | 'en' | 'zh-CN';

export interface Settings {
  version: number;
  /** absent when no provider has overrides */
  providers?: Record<string, ProviderSettings>;
  /** absent when there are none */
  customProviders?: CustomProvider[];
  endpoint: EndpointSettings;
  /** absent when empty: the catalog's choice */
  defaultModel?: string;
  /** absent when empty */
  lastModel?: string;
  theme: Theme;
  language: LanguageSetting;
  /** absent when 0: wait 300 s for a provider to start answering (settings.json only) */
  providerTimeoutSeconds?: number;
}

export interface SettingsView {
  settings: Settings;
  notice: string;
}

export type KeySource = 'environment' | 'dotenv' | 'keyring' | 'none';

export interface KeyInfo {
  provider: string;
  hasKey: boolean;
  source: KeySource;
  /** e.g. "sk-…a1b2" — the key itself is never returned */
  hint: string;
  /** the variable that supplied the key, or the one to set; absent when none applies */
  envVar?: string;
  /** a keyring problem; absent when there was none */
  error?: string;
}

export interface Region {
  id: string;
  name: string;
  baseURL: string;
}

export interface ProviderView {
  id: string;
  name: string;
  custom: boolean;
  enabled: boolean;
  /** effective base URL */
  baseURL: string;
  defaultBaseURL: string;
  region: string;
  /** null for providers without regional variants */
  regions: Region[] | null;
  proxy: ProxySettings;
  key: KeyInfo;
  modelCount: number;
}

export interface TestResult {
  ok: boolean;
  latencyMs: number;
  modelCount: number;
  error: string;
}

/** The chat history opens (and after an update upgrades) while the window comes up. */
export type HistoryState = 'opening' | 'upgrading' | 'ready' | 'error';

export interface HistoryStatus {
  state: HistoryState;
  path: string;
  /** schema versions of an upgrade */
  from?: number;
  to?: number;
  error?: string;
}

export type EndpointState = 'listening' | 'port_in_use' | 'off' | 'error';

export interface EndpointStatus {
  state: EndpointState;
  addr: string;
  /** absent unless listening */
  url?: string;
  /** absent when there is no error */
  error?: string;
}

// ---------- diagnostics (bound only when THINKCLOUD_DIAG_FILE is set) ----------
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
