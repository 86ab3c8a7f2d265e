// Development harness: a fake Go backend implementing the binding contract in
// memory, so the UI can be exercised in a plain browser (npm run dev, then open
// /dev.html). Not part of the production build (vite builds index.html only).
(function () {
  const listeners = {};
  const emit = (name, payload) => (listeners[name] || []).forEach((cb) => cb(payload));
  const uid = () => Math.random().toString(36).slice(2, 10);
  const now = () => new Date().toISOString();
  const daysAgo = (d) => new Date(Date.now() - d * 86400000).toISOString();

  const model = (id, provider, providerName, extra) =>
    Object.assign(
      { id, provider, providerName, upstream: id, contextWindow: 131072, reasoning: false, vision: false, tools: true,
        thinkingToggle: false, available: true, source: 'builtin', retired: false, defaults: null },
      extra || {},
    );
  const models = [
    model('deepseek-chat', 'deepseek', 'DeepSeek', { contextWindow: 65536 }),
    model('deepseek-reasoner', 'deepseek', 'DeepSeek', { contextWindow: 65536, reasoning: true, tools: false, defaults: { temperature: 0.6 } }),
    model('gpt-4o', 'openai', 'OpenAI', { vision: true, available: false, contextWindow: 128000 }),
    model('o3-mini', 'openai', 'OpenAI', { reasoning: true, available: false, contextWindow: 200000 }),
    model('qwen-max', 'dashscope', 'DashScope (Qwen)', { contextWindow: 32768 }),
    model('qwen3-235b-a22b', 'dashscope', 'DashScope (Qwen)', { reasoning: true, thinkingToggle: true }),
    model('qwen-vl-max', 'dashscope', 'DashScope (Qwen)', { vision: true }),
    model('kimi-k2', 'kimi', 'Kimi (Moonshot)', { available: false, contextWindow: 131072 }),
    model('llama-3.3-70b', 'cerebras', 'Cerebras'),
  ];
  const blankParams = () => ({ temperature: null, topP: null, maxTokens: null, frequencyPenalty: null, presencePenalty: null, reasoningEffort: '', thinking: null, system: '' });
  let settings = {
    version: 1,
    providers: {},
    customProviders: [],
    endpoint: { enabled: true, host: '127.0.0.1', port: 8000, requireToken: true, allowedOrigins: [], allowedHosts: [], rateLimitPerMinute: 0 },
    defaultModel: 'deepseek-chat',
    lastModel: '',
    theme: 'system',
    language: new URLSearchParams(location.search).get('lang') || '',
  };
  const keys = { deepseek: { source: 'keyring', hint: 'sk-…a1b2' }, dashscope: { source: 'environment', hint: 'sk-…99ff' }, cerebras: { source: 'dotenv', hint: 'csk-…0000' } };
  const envVars = { deepseek: 'DEEPSEEK_API_KEY', openai: 'OPENAI_API_KEY', dashscope: 'DASHSCOPE_API_KEY', kimi: 'KIMI_API_KEY', cerebras: 'CEREBRAS_API_KEY' };
  const providerMeta = [
    { id: 'deepseek', name: 'DeepSeek', url: 'https://api.deepseek.com/v1', regions: [] },
    { id: 'openai', name: 'OpenAI', url: 'https://api.openai.com/v1', regions: [] },
    { id: 'dashscope', name: 'DashScope (Qwen)', url: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
      regions: [{ id: 'cn', name: 'China (Beijing)', baseURL: 'https://dashscope.aliyuncs.com/compatible-mode/v1' }, { id: 'intl', name: 'International (Singapore)', baseURL: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1' }] },
    { id: 'kimi', name: 'Kimi (Moonshot)', url: 'https://api.moonshot.cn/v1', regions: [{ id: 'cn', name: 'China (moonshot.cn)', baseURL: 'https://api.moonshot.cn/v1' }, { id: 'intl', name: 'International (moonshot.ai)', baseURL: 'https://api.moonshot.ai/v1' }] },
    { id: 'cerebras', name: 'Cerebras', url: 'https://api.cerebras.ai/v1', regions: [] },
  ];
  const keyInfo = (p) => {
    const k = keys[p];
    return { provider: p, hasKey: !!k, source: k ? k.source : 'none', hint: k ? k.hint : '', envVar: envVars[p] || '', error: '' };
  };
  let token = 'tc-' + uid() + uid();

  const convs = [];
  const msgs = {};
  function addConv(title, ago, pinned, pairs) {
    const id = uid();
    const t = daysAgo(ago);
    convs.push({ id, title, model: 'deepseek-chat', provider: 'deepseek', system: '', params: null, pinned: !!pinned, createdAt: t, updatedAt: t });
    msgs[id] = [];
    for (const [q, a, extra] of pairs) {
      msgs[id].push({ id: uid(), conversationId: id, role: 'user', content: q, reasoning: '', images: null, model: 'deepseek-chat', provider: 'deepseek', status: 'complete', error: '', usage: null, stats: null, createdAt: t });
      msgs[id].push(Object.assign({ id: uid(), conversationId: id, role: 'assistant', content: a, reasoning: '', images: null, model: 'deepseek-chat', provider: 'deepseek', status: 'complete', error: '',
        usage: { promptTokens: 25, completionTokens: 180 }, stats: { ttftMs: 420, tokensPerSec: 48.3, reasoningMs: 0, totalMs: 4100 }, createdAt: t }, extra || {}));
    }
  }
  addConv('Go 并发模式', 0.01, true, [['讲讲 Go 的 worker pool', '可以用带缓冲的 channel：\n\n```go\nfunc worker(jobs <-chan int, results chan<- int) {\n\tfor j := range jobs {\n\t\tresults <- j * 2\n\t}\n}\n```\n\n| 模式 | 适用 |\n|---|---|\n| worker pool | CPU 密集 |\n| fan-out | IO 密集 |', { reasoning: '用户想了解 worker pool，我先给出代码。', stats: { ttftMs: 820, tokensPerSec: 31.2, reasoningMs: 3200, totalMs: 9000 } }]]);
  addConv('Interrupted answer', 0.2, false, [['Write a long essay', 'The history of computing begins', { status: 'interrupted', usage: null, stats: null }]]);
  addConv('Key problem', 1, false, [['hello', '', { status: 'error', error: 'invalid_key: 401 Unauthorized', usage: null, stats: null }]]);
  addConv('Travel plan for Kyoto', 3, false, [['Plan 3 days in Kyoto', '**Day 1**: Fushimi Inari…']]);
  addConv('Old SQL question', 40, false, [['How do I index JSON in SQLite?', 'Use a generated column and index it.']]);

  const delay = (ms) => new Promise((r) => setTimeout(r, ms));
  const streams = {};
  const LOREM = 'Here is a **streamed** answer. It has a list:\n\n- first item\n- second item with `inline code`\n\n```python\ndef hello(name):\n    return f"hi {name}"\n```\n\nAnd a final paragraph that keeps going for a while so that the renderer has something to chew on. ';

  function startStream(convId, msg, modelId, text) {
    const streamId = uid();
    const info = models.find((m) => m.id === modelId) || models[0];
    let seq = 0;
    const st = { stopped: false };
    streams[streamId] = st;
    (async () => {
      await delay(200);
      if (!info.available) {
        msg.status = 'error'; msg.error = 'no_key: missing key';
        emit('chat:stream', { streamId, conversationId: convId, messageId: msg.id, seq: ++seq, kind: 'error', text: '', error: { kind: 'no_key', message: 'no API key configured', provider: info.provider } });
        return;
      }
      if (/fail/i.test(text)) {
        emit('chat:stream', { streamId, conversationId: convId, messageId: msg.id, seq: ++seq, kind: 'error', text: '', error: { kind: 'rate_limited', message: '429 Too Many Requests', provider: info.provider } });
        return;
      }
      const t0 = Date.now();
      if (info.reasoning) {
        for (const w of 'Let me think about this step by step. First, the user asks something; second, I answer.'.split(' ')) {
          if (st.stopped) break;
          await delay(30);
          emit('chat:stream', { streamId, conversationId: convId, messageId: msg.id, seq: ++seq, kind: 'reasoning', text: w + ' ' });
        }
      }
      const reasoningMs = Date.now() - t0;
      const full = LOREM.repeat(/long/i.test(text) ? 100 : 2);
      let sent = 0;
      while (sent < full.length) {
        if (st.stopped) {
          msg.status = 'stopped';
          emit('chat:stream', { streamId, conversationId: convId, messageId: msg.id, seq: ++seq, kind: 'error', text: '', error: { kind: 'stopped', message: 'stopped by user', provider: info.provider } });
          return;
        }
        await delay(30);
        const chunk = full.slice(sent, sent + 40); // ~10 tokens per 30 ms ≈ 300 tok/s
        sent += chunk.length;
        msg.content += chunk;
        emit('chat:stream', { streamId, conversationId: convId, messageId: msg.id, seq: ++seq, kind: 'delta', text: chunk });
      }
      msg.status = 'complete';
      const totalMs = Date.now() - t0;
      msg.usage = { promptTokens: 30, completionTokens: Math.round(full.length / 4) };
      msg.stats = { ttftMs: 230, tokensPerSec: (full.length / 4) / (totalMs / 1000), reasoningMs, totalMs };
      emit('chat:stream', { streamId, conversationId: convId, messageId: msg.id, seq: ++seq, kind: 'done', text: '', usage: msg.usage, stats: msg.stats });
    })();
    return streamId;
  }

  function ensureConv(id, modelId, text, params) {
    if (id) return convs.find((c) => c.id === id);
    const c = { id: uid(), title: text.slice(0, 40), model: modelId, provider: 'deepseek', system: params.system, params, pinned: false, createdAt: now(), updatedAt: now() };
    convs.push(c);
    msgs[c.id] = [];
    return c;
  }
  const newMsg = (c, role, content, modelId, images) => ({ id: uid(), conversationId: c.id, role, content, reasoning: '', images: images || null, model: modelId, provider: 'deepseek', status: role === 'user' ? 'complete' : 'streaming', error: '', usage: null, stats: null, createdAt: now() });

  const ChatService = {
    async Send(req) {
      if (!req.model) throw 'model is required';
      const c = ensureConv(req.conversationId, req.model, req.text, req.params);
      c.updatedAt = now();
      const u = newMsg(c, 'user', req.text, req.model, req.images.length ? req.images : null);
      const a = newMsg(c, 'assistant', '', req.model);
      msgs[c.id].push(u, a);
      console.log('Send', JSON.stringify(req.params));
      return { streamId: startStream(c.id, a, req.model, req.text), conversationId: c.id, userMessageId: u.id, assistantMessageId: a.id };
    },
    async Regenerate(convId, assistantId, modelId) {
      const list = msgs[convId];
      const i = list.findIndex((m) => m.id === assistantId);
      list.splice(i);
      const c = convs.find((x) => x.id === convId);
      const a = newMsg(c, 'assistant', '', modelId);
      list.push(a);
      return { streamId: startStream(convId, a, modelId, list[i - 1]?.content || ''), conversationId: convId, userMessageId: list[i - 1]?.id || '', assistantMessageId: a.id };
    },
    async Edit(convId, userId, text, modelId) {
      const list = msgs[convId];
      const i = list.findIndex((m) => m.id === userId);
      list.splice(i);
      const c = convs.find((x) => x.id === convId);
      const u = newMsg(c, 'user', text, modelId);
      const a = newMsg(c, 'assistant', '', modelId);
      list.push(u, a);
      return { streamId: startStream(convId, a, modelId, text), conversationId: convId, userMessageId: u.id, assistantMessageId: a.id };
    },
    async Stop(streamId) {
      if (streams[streamId]) streams[streamId].stopped = true;
    },
  };

  const sorted = () => convs.slice().sort((a, b) => (b.pinned - a.pinned) || (b.updatedAt > a.updatedAt ? 1 : -1));
  const HistoryService = {
    async List(limit, offset) { return sorted().slice(offset, offset + limit); },
    async Get(id) {
      const c = convs.find((x) => x.id === id);
      if (!c) throw 'conversation not found';
      return { conversation: c, messages: msgs[id] };
    },
    async Search(q) {
      const hits = [];
      for (const c of convs) for (const m of msgs[c.id]) {
        const i = m.content.toLowerCase().indexOf(q.toLowerCase());
        if (i >= 0) hits.push({ conversationId: c.id, title: c.title, messageId: m.id, snippet: m.content.slice(Math.max(0, i - 15), i) + '\u0002' + m.content.slice(i, i + q.length) + '\u0003' + m.content.slice(i + q.length, i + q.length + 30) });
      }
      return hits;
    },
    async Rename(id, title) { convs.find((x) => x.id === id).title = title; },
    async Pin(id, p) { convs.find((x) => x.id === id).pinned = p; },
    async Delete(id) { convs.splice(convs.findIndex((x) => x.id === id), 1); },
    async SetModel(id, m) { convs.find((x) => x.id === id).model = m; },
    async SetSystem(id, s, p) { const c = convs.find((x) => x.id === id); c.system = s; c.params = p; },
    async ExportMarkdown(id) { return msgs[id].map((m) => `## ${m.role}\n\n${m.content}`).join('\n\n'); },
    async ExportJSON(id) { return JSON.stringify({ conversation: convs.find((x) => x.id === id), messages: msgs[id] }, null, 2); },
    async ImportJSON(json) { const d = JSON.parse(json); const c = Object.assign({}, d.conversation, { id: uid() }); convs.push(c); msgs[c.id] = d.messages; return c; },
  };

  const ModelsService = {
    async List() { return models.map((m) => Object.assign({}, m, { available: !!keys[m.provider] })); },
    async Refresh() {
      for (const p of providerMeta) {
        emit('models:changed', { kind: 'refreshing', provider: p.id });
        await delay(300);
        emit('models:changed', keys[p.id] ? { kind: 'done', provider: p.id } : { kind: 'error', provider: p.id, error: 'no key' });
      }
    },
  };

  let endpoint = { state: 'listening', addr: '127.0.0.1:8000', url: 'http://127.0.0.1:8000/v1', error: '' };
  const SettingsService = {
    async Get() { return { settings: JSON.parse(JSON.stringify(settings)), notice: new URLSearchParams(location.search).has('notice') ? 'settings.json was corrupt and has been moved to settings.json.bak; defaults are in use.' : '' }; },
    async Save(s) {
      settings = JSON.parse(JSON.stringify(s));
      const ep = settings.endpoint;
      endpoint = !ep.enabled ? { state: 'off', addr: '', url: '', error: '' }
        : ep.port === 8080 ? { state: 'port_in_use', addr: ep.host + ':' + ep.port, url: '', error: 'listen tcp: address already in use' }
        : { state: 'listening', addr: ep.host + ':' + ep.port, url: `http://${ep.host}:${ep.port}/v1`, error: '' };
      setTimeout(() => emit('endpoint:status', endpoint), 100);
    },
    async Providers() {
      const builtin = providerMeta.map((p) => {
        const s = settings.providers[p.id] || { enabled: true, baseURL: '', region: p.regions[0]?.id || '', proxy: { mode: 'system', url: '' } };
        return { id: p.id, name: p.name, custom: false, enabled: s.enabled, baseURL: s.baseURL || p.url, defaultBaseURL: p.url, region: s.region, regions: p.regions, proxy: s.proxy, key: keyInfo(p.id), modelCount: models.filter((m) => m.provider === p.id).length };
      });
      const custom = settings.customProviders.map((c) => ({ id: c.id, name: c.name, custom: true, enabled: c.enabled, baseURL: c.baseURL, defaultBaseURL: c.baseURL, region: '', regions: [], proxy: c.proxy, key: keyInfo(c.id), modelCount: c.models.length }));
      return builtin.concat(custom);
    },
    async SetKey(p, k) {
      if (k === 'fail') throw 'The system keyring is locked. Unlock "Login" in Passwords and Keys (seahorse), or set ' + (envVars[p] || 'the environment variable') + '.';
      keys[p] = { source: keys[p]?.source === 'environment' ? 'environment' : 'keyring', hint: k.slice(0, 3) + '…' + k.slice(-4) };
      return keyInfo(p);
    },
    async DeleteKey(p) { delete keys[p]; return keyInfo(p); },
    async TestKey(p) { await delay(400); return keys[p] ? { ok: true, latencyMs: 231, modelCount: 42, error: '' } : { ok: false, latencyMs: 0, modelCount: 0, error: '401 Unauthorized: invalid api key' }; },
    async EndpointStatus() { return endpoint; },
    async AccessToken() { return token; },
    async RegenerateToken() { token = 'tc-' + uid() + uid(); return token; },
  };

  window.go = { desktop: { ChatService, HistoryService, ModelsService, SettingsService } };
  window.runtime = {
    EventsOnMultiple(name, cb) { (listeners[name] = listeners[name] || []).push(cb); return () => { listeners[name] = listeners[name].filter((x) => x !== cb); }; },
    EventsOff(name) { delete listeners[name]; },
    BrowserOpenURL(url) { console.log('BrowserOpenURL', url); },
    async ClipboardSetText(text) { console.log('ClipboardSetText', text.length); return true; },
  };
})();
