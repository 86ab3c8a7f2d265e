// Copy-ready snippets for the local OpenAI-compatible endpoint.

export interface SnippetInput {
  host: string;
  port: number;
  token: string;
  requireToken: boolean;
}

export interface EndpointSnippets {
  baseURL: string;
  env: string;
  curl: string;
  python: string;
  node: string;
}

/** A wildcard listen address is not something a client can connect to: use loopback. */
export function clientHost(host: string): string {
  const h = host.trim();
  if (!h || h === '0.0.0.0' || h === '::' || h === '[::]') return '127.0.0.1';
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

export function buildSnippets(input: SnippetInput, model = 'deepseek-flash'): EndpointSnippets {
  const baseURL = `http://${clientHost(input.host)}:${input.port}/v1`;
  const key = input.requireToken && input.token ? input.token : 'not-needed';
  const env = `OPENAI_BASE_URL=${baseURL}\nOPENAI_API_KEY=${key}`;
  const auth = input.requireToken ? ` \\\n  -H "Authorization: Bearer ${key}"` : '';
  const curl =
    `curl ${baseURL}/chat/completions \\\n  -H "Content-Type: application/json"${auth} \\\n` +
    `  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello"}]}'`;
  const python =
    `from openai import OpenAI\n\n` +
    `client = OpenAI(base_url="${baseURL}", api_key="${key}")\n` +
    `resp = client.chat.completions.create(\n    model="${model}",\n    messages=[{"role": "user", "content": "Hello"}],\n)\n` +
    `print(resp.choices[0].message.content)`;
  const node =
    `import OpenAI from "openai";\n\n` +
    `const client = new OpenAI({ baseURL: "${baseURL}", apiKey: "${key}" });\n` +
    `const resp = await client.chat.completions.create({\n  model: "${model}",\n  messages: [{ role: "user", content: "Hello" }],\n});\n` +
    `console.log(resp.choices[0].message.content);`;
  return { baseURL, env, curl, python, node };
}

/** Replaces the token with dots for display. */
export function maskToken(text: string, token: string): string {
  if (!token) return text;
  return text.split(token).join('•'.repeat(Math.min(token.length, 24)));
}
