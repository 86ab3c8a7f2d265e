// "Connect a tool": the exact configuration each coding agent or SDK needs to
// use the local endpoint on this machine. Pure functions, so every snippet is
// unit-tested without rendering anything.
import type { ClaudeModels, Endpoint, EndpointStatus } from '../api';
import { clientHost } from './snippets';

/** The tools the section knows, in the order they are offered. */
export const TOOL_IDS = [
  'claude-code',
  'codex',
  'opencode',
  'qwen-code',
  'continue',
  'cline',
  'openai-python',
  'openai-js',
  'anthropic-js',
] as const;
export type ToolId = (typeof TOOL_IDS)[number];

/** Claude Code picks one of ThinkCloud's three Claude tiers; the rest pick a model id. */
export type ClaudeTier = 'opus' | 'sonnet' | 'haiku';
export const CLAUDE_TIERS: readonly ClaudeTier[] = ['opus', 'sonnet', 'haiku'];

/** Product names are not translated. */
export const TOOL_LABELS: Record<ToolId, string> = {
  'claude-code': 'Claude Code',
  codex: 'Codex CLI',
  opencode: 'OpenCode',
  'qwen-code': 'Qwen Code',
  continue: 'Continue',
  cline: 'Cline',
  'openai-python': 'OpenAI SDK (Python)',
  'openai-js': 'OpenAI SDK (JavaScript)',
  'anthropic-js': 'Anthropic SDK (JavaScript)',
};

/** What the tool's picker chooses. */
export function pickerKind(tool: ToolId): 'tier' | 'model' {
  return tool === 'claude-code' ? 'tier' : 'model';
}

/** The key any client may send when the endpoint does not require the token. */
export const ANY_KEY = 'thinkcloud';
/** Stands in for the token when it is required but the page does not have it. */
export const TOKEN_PLACEHOLDER = '<access-token>';

export type SnippetLang = 'sh' | 'toml' | 'json' | 'yaml' | 'python' | 'js' | 'text';

/** One copyable block; `file` names where it goes when it is a config file. */
export interface SnippetBlock {
  lang: SnippetLang;
  code: string;
  file?: string;
}

export interface ConnectInput {
  host: string;
  port: number;
  requireToken: boolean;
  /** The access token as the page already holds it (EndpointTab); '' if unknown. */
  token: string;
  /** A ThinkCloud model id, for every tool but Claude Code. */
  model: string;
  /** Claude Code's tier. */
  tier: ClaudeTier;
  /** settings.json → claudeModels: the model behind each tier, where set. */
  tiers?: ClaudeModels;
}

export interface EndpointAddress {
  host: string;
  port: number;
  listening: boolean;
}

/**
 * Where clients should connect: the address the endpoint reports while it
 * listens (it may differ from settings until an apply takes effect), else the
 * stored settings. A wildcard listen address becomes loopback.
 */
export function endpointAddress(status: EndpointStatus | null, ep: Endpoint | undefined): EndpointAddress {
  const listening = status?.state === 'listening';
  if (listening && status.addr) {
    const i = status.addr.lastIndexOf(':');
    const port = Number(status.addr.slice(i + 1));
    const host = status.addr.slice(0, i).replace(/^\[|\]$/g, '');
    if (i > 0 && Number.isInteger(port) && port > 0) return { host: clientHost(host), port, listening };
  }
  return { host: clientHost(ep?.host ?? '127.0.0.1'), port: ep?.port || 8000, listening };
}

/** The key to put in a snippet. */
export function apiKey(input: Pick<ConnectInput, 'requireToken' | 'token'>): string {
  if (!input.requireToken) return ANY_KEY;
  return input.token || TOKEN_PLACEHOLDER;
}

/** http://host:port — the Anthropic clients add /v1/messages themselves. */
export function rootURL(input: Pick<ConnectInput, 'host' | 'port'>): string {
  return `http://${clientHost(input.host)}:${input.port || 8000}`;
}

/** http://host:port/v1 — what OpenAI-style clients want. */
export function v1URL(input: Pick<ConnectInput, 'host' | 'port'>): string {
  return `${rootURL(input)}/v1`;
}

function claudeCode(i: ConnectInput): SnippetBlock[] {
  const lines = [
    `export ANTHROPIC_BASE_URL=${rootURL(i)}   # no /v1: Claude Code adds /v1/messages`,
    `export ANTHROPIC_AUTH_TOKEN=${apiKey(i)}`,
    `export ANTHROPIC_MODEL=${i.tier}`,
  ];
  // The tier aliases resolve to the models set in ThinkCloud's settings; where a
  // tier is unset, Claude Code's own claude-* name reaches ThinkCloud, which maps it.
  for (const tier of CLAUDE_TIERS) {
    const id = i.tiers?.[tier];
    if (id) lines.push(`export ANTHROPIC_DEFAULT_${tier.toUpperCase()}_MODEL=${id}`);
  }
  lines.push('export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1', 'claude');
  return [
    { lang: 'sh', code: lines.join('\n') },
    { lang: 'sh', code: 'thinkcloud launch claude' },
  ];
}

function codex(i: ConnectInput): SnippetBlock[] {
  // Keys and comments as in docs/AGENTS.md (tested against Codex 0.171). Top-level
  // keys must come before the first [table] in TOML.
  const toml = [
    `model = ${JSON.stringify(i.model)}`,
    'model_provider = "thinkcloud"',
    '# Codex sends its hosted web_search tool every turn, which ThinkCloud refuses (400);',
    '# or add "web_search" to endpoint.dropHostedTools in ThinkCloud\'s settings.json.',
    'web_search = "disabled"',
    '',
    '[model_providers.thinkcloud]',
    'name = "ThinkCloud"',
    `base_url = ${JSON.stringify(v1URL(i))}`,
    'env_key = "THINKCLOUD_API_KEY"',
    'wire_api = "responses"',
  ].join('\n');
  return [
    { lang: 'toml', code: toml, file: '~/.codex/config.toml' },
    { lang: 'sh', code: `export THINKCLOUD_API_KEY=${apiKey(i)}\ncodex` },
    { lang: 'sh', code: 'thinkcloud launch codex' },
  ];
}

function opencode(i: ConnectInput): SnippetBlock[] {
  // Verified (search tool, OpenCode's config schema as summarised from
  // packages/opencode/src/config/config.ts, plus published opencode.json examples):
  // a custom provider under "provider" with "npm": "@ai-sdk/openai-compatible",
  // "options.baseURL"/"options.apiKey", its models under "models", and the top-level
  // "model" as "provider/model".
  const config = {
    $schema: 'https://opencode.ai/config.json',
    provider: {
      thinkcloud: {
        npm: '@ai-sdk/openai-compatible',
        name: 'ThinkCloud',
        options: { baseURL: v1URL(i), apiKey: apiKey(i) },
        models: { [i.model]: { name: i.model } },
      },
    },
    model: `thinkcloud/${i.model}`,
  };
  return [{ lang: 'json', code: JSON.stringify(config, null, 2), file: 'opencode.json' }];
}

function qwenCode(i: ConnectInput): SnippetBlock[] {
  const code = [`export OPENAI_BASE_URL=${v1URL(i)}`, `export OPENAI_API_KEY=${apiKey(i)}`, `export OPENAI_MODEL=${i.model}`, 'qwen'];
  return [{ lang: 'sh', code: code.join('\n') }];
}

function yamlString(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
}

function continueDev(i: ConnectInput): SnippetBlock[] {
  const code = [
    'models:',
    `  - name: ${yamlString(`ThinkCloud ${i.model}`)}`,
    '    provider: openai',
    `    model: ${yamlString(i.model)}`,
    `    apiBase: ${yamlString(v1URL(i))}`,
    `    apiKey: ${yamlString(apiKey(i))}`,
  ];
  return [{ lang: 'yaml', code: code.join('\n'), file: '~/.continue/config.yaml' }];
}

function cline(i: ConnectInput): SnippetBlock[] {
  // Field names as Cline's settings panel shows them.
  const code = ['API Provider: OpenAI Compatible', `Base URL: ${v1URL(i)}`, `API Key: ${apiKey(i)}`, `Model ID: ${i.model}`];
  return [{ lang: 'text', code: code.join('\n') }];
}

function openaiPython(i: ConnectInput): SnippetBlock[] {
  const code =
    `from openai import OpenAI\n\n` +
    `client = OpenAI(base_url=${JSON.stringify(v1URL(i))}, api_key=${JSON.stringify(apiKey(i))})\n` +
    `resp = client.chat.completions.create(\n    model=${JSON.stringify(i.model)},\n    messages=[{"role": "user", "content": "Hello"}],\n)\n` +
    `print(resp.choices[0].message.content)`;
  return [{ lang: 'python', code }];
}

function openaiJS(i: ConnectInput): SnippetBlock[] {
  const code =
    `import OpenAI from "openai";\n\n` +
    `const client = new OpenAI({ baseURL: ${JSON.stringify(v1URL(i))}, apiKey: ${JSON.stringify(apiKey(i))} });\n` +
    `const resp = await client.chat.completions.create({\n  model: ${JSON.stringify(i.model)},\n  messages: [{ role: "user", content: "Hello" }],\n});\n` +
    `console.log(resp.choices[0].message.content);`;
  return [{ lang: 'js', code }];
}

function anthropicJS(i: ConnectInput): SnippetBlock[] {
  const code =
    `import Anthropic from "@anthropic-ai/sdk";\n\n` +
    `const client = new Anthropic({ baseURL: ${JSON.stringify(rootURL(i))}, apiKey: ${JSON.stringify(apiKey(i))} });\n` +
    `const msg = await client.messages.create({\n  model: ${JSON.stringify(i.model)},\n  max_tokens: 1024,\n  messages: [{ role: "user", content: "Hello" }],\n});\n` +
    `console.log(msg.content);`;
  return [{ lang: 'js', code }];
}

const BUILDERS: Record<ToolId, (i: ConnectInput) => SnippetBlock[]> = {
  'claude-code': claudeCode,
  codex,
  opencode,
  'qwen-code': qwenCode,
  continue: continueDev,
  cline,
  'openai-python': openaiPython,
  'openai-js': openaiJS,
  'anthropic-js': anthropicJS,
};

/** The blocks to show (and copy) for a tool. */
export function connectSnippets(tool: ToolId, input: ConnectInput): SnippetBlock[] {
  return BUILDERS[tool](input);
}

/**
 * The model a picker starts on: the last or default chat model when it is
 * available, else the first available one, else a well-known id.
 */
export function initialModel(available: readonly string[], preferred: readonly (string | undefined)[]): string {
  for (const id of preferred) if (id && available.includes(id)) return id;
  return available[0] ?? 'deepseek-flash';
}
