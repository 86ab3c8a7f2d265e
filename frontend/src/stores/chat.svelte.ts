import {
  chatApi,
  type Attachment,
  historyApi,
  type ContextCount,
  type ConversationView,
  type MessageView,
  type ModelInfo,
  type Params,
  type SendRequest,
  type SendResult,
  type StreamEvent,
} from '../api';
import { frameBatcher, rafScheduler, type Scheduler } from '../lib/frame';
import { Branches } from './branches.svelte';
import { emptyParams, hasOverrides, normalizeParams, paramsForSend, thinkingChoice } from '../lib/params';
import { storedError } from '../lib/errors';
import { SeqOrder } from '../lib/seqOrder';
import { newStreamId } from '../lib/streamId';
import { Comparison, startedOne } from './compare.svelte';

/** A message as shown in the UI: the wire MessageView plus structured error info. */
export interface ChatMessage extends MessageView {
  errorProvider?: string;
  /** the model that answered, as provider/upstream-id (an alias's chain may fall back) */
  ranModel?: string;
  /** the answer is on screen but could not be saved (Go said why) */
  saveError?: string;
  /** created locally, never acknowledged by Go (its Send failed) */
  local?: boolean;
}

/** What a request that starts answers returned: Send's, Regenerate's and Edit's one, Compare's several. */
export interface Started {
  conversationId: string;
  userMessageId: string;
  answers: { assistantMessageId: string; thinking?: string }[] | null;
}

interface StreamRec {
  streamId: string;
  messageId: string;
  order: SeqOrder<StreamEvent>;
  finished: boolean;
  msg: ChatMessage;
  pendingContent: string;
  pendingReasoning: string;
  /** the request that starts it has not returned: Go may not know the id yet */
  inFlight: boolean;
  /** Stop was pressed while inFlight */
  stopRequested: boolean;
}

export interface ChatDeps {
  chat: Pick<typeof chatApi, 'send' | 'regenerate' | 'edit' | 'stop' | 'onStream'> & Partial<Pick<typeof chatApi, 'contextCount' | 'compare'>>;
  history: Pick<typeof historyApi, 'get' | 'setModel' | 'setSystem'> &
    Partial<Pick<typeof historyApi, 'selectVersion' | 'deleteMessage' | 'undoDelete' | 'purge' | 'lastParams' | 'costs'>>;
  modelInfo: (id: string) => ModelInfo | undefined;
  /** the list in the sidebar should be reloaded (new conversation, new title, …) */
  onConversationsChanged: () => void;
  onModelChosen: (id: string) => void;
  onError: (e: unknown) => void;
  schedule: Scheduler;
  /** the id of the next answer's stream, sent with the request that starts it */
  newStreamId: () => string;
}

let tmpCounter = 0;
const tmpId = (p: string) => `local-${p}-${Date.now().toString(36)}-${++tmpCounter}`;

export class ChatStore {
  conversationId = $state('');
  messages = $state<ChatMessage[]>([]);
  model = $state('');
  /** the conversation's own parameter overrides (nulls = not set) */
  params = $state<Params>(emptyParams());
  loading = $state(false);
  loadError = $state('');
  /** how many earlier turns the next question carries (null until Go said) */
  context = $state<ContextCount | null>(null);
  /** versions, deletes and undo (stores/branches.svelte.ts) */
  readonly branches: Branches;
  /** several models answering one question side by side (stores/compare.svelte.ts) */
  readonly compare: Comparison;

  private streams = new Map<string, StreamRec>();
  private byMessage = new Map<string, StreamRec>();
  private finishedStreams = new Set<string>();
  /** how to repeat a request that Go rejected (keyed by the failed placeholder) */
  private retryActions = new WeakMap<ChatMessage, () => Promise<void>>();
  private scheduleFlush: () => void;
  private unsub: (() => void) | null = null;
  private paramsTimer: ReturnType<typeof setTimeout> | undefined;
  private openSeq = 0;
  private contextSeq = 0;

  constructor(private deps: ChatDeps) {
    this.scheduleFlush = frameBatcher(() => this.flush(), deps.schedule);
    this.branches = new Branches(this, deps.history, deps.onError);
    this.compare = new Comparison(this, deps);
  }

  start(): void {
    this.unsub ??= this.deps.chat.onStream((ev) => this.handleEvent(ev));
  }

  stopListening(): void {
    this.unsub?.();
    this.unsub = null;
  }

  /** False for a model the catalog lists as not answerable now (no key); an unknown name is left to Go. */
  usable(model: string): boolean {
    const info = this.deps.modelInfo(model);
    return !info || info.available;
  }

  get modelInfo(): ModelInfo | undefined {
    return this.deps.modelInfo(this.model);
  }

  /** The assistant message streaming in the open conversation, if any. */
  get streamingMessage(): ChatMessage | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const m = this.messages[i]!;
      if (m.role === 'assistant' && m.status === 'streaming') return m;
    }
    return undefined;
  }

  get isStreaming(): boolean {
    return this.streamingMessage !== undefined || this.compare.streaming;
  }

  // ---------- navigation ----------

  newChat(model: string): void {
    this.openSeq++;
    this.conversationId = '';
    this.messages = [];
    this.params = emptyParams();
    this.loadError = '';
    this.loading = false;
    if (model) this.model = model;
    this.refreshContext();
    void this.recallThinking(this.model);
  }

  /**
   * A new conversation starts from the thinking choice last made for its
   * model (kept in the history): unless the user already chose one here.
   */
  private async recallThinking(model: string): Promise<void> {
    const lastParams = this.deps.history.lastParams;
    if (!model || !lastParams || this.conversationId) return;
    const seq = this.openSeq;
    let last: Params | null;
    try {
      last = await lastParams(model);
    } catch {
      return; // nothing remembered is no error: the model's defaults apply
    }
    if (!last || seq !== this.openSeq || this.conversationId || this.model !== model) return;
    const now = this.params;
    if (now.thinking !== null || now.reasoningEffort !== '' || now.thinkingBudget !== null) return;
    this.params = normalizeParams({ ...$state.snapshot(now), ...thinkingChoice(normalizeParams(last)) }, now.system);
  }

  async open(id: string): Promise<void> {
    const seq = ++this.openSeq;
    this.conversationId = id;
    this.loading = true;
    this.loadError = '';
    try {
      const { conversation, messages } = await this.deps.history.get(id);
      if (seq !== this.openSeq) return;
      this.applyConversation(conversation);
      this.messages = messages.map((m) => this.fromWire(m));
      this.refreshContext();
    } catch (e) {
      if (seq !== this.openSeq) return;
      this.messages = [];
      this.loadError = (e as Error).message;
    } finally {
      if (seq === this.openSeq) this.loading = false;
    }
  }

  private applyConversation(c: ConversationView): void {
    if (c.model) this.model = c.model;
    this.params = normalizeParams(c.params, c.system ?? '');
  }

  /** History message → UI message; a message still streaming here keeps its live object. */
  private fromWire(m: MessageView): ChatMessage {
    const live = this.byMessage.get(m.id);
    if (live && !live.finished) return live.msg;
    const msg: ChatMessage = { ...m, images: m.images ?? null };
    // A stream this window is not following (e.g. the page reloaded): show it as
    // interrupted; if its events do arrive, handleEvent adopts it again.
    if (m.status === 'streaming') msg.status = 'interrupted';
    if (m.status === 'error') {
      const stored = storedError(m.error, m.errorKind);
      msg.errorKind = stored.kind;
      msg.error = stored.message;
    }
    return msg;
  }

  /** Puts the cost Go priced on each shown answer (after one ended: Go saved its usage). */
  private async fillCosts(conversationId: string): Promise<void> {
    const costs = this.deps.history.costs;
    if (!costs || !conversationId) return;
    try {
      const v = await costs(conversationId);
      if (conversationId !== this.conversationId) return;
      for (const m of [...this.messages, ...this.compare.columns]) {
        const a = v.answers?.[m.id];
        if (a) {
          m.cost = a.cost ?? [];
          m.costEstimated = a.estimated;
        }
      }
    } catch {
      // No price shown is no error: the tokens are still there.
    }
  }

  // ---------- versions, deletes, context ----------

  /**
   * Shows the path Go returns from load (another version, a hit in another
   * branch, the path after a delete) unless another conversation or path
   * was asked for meanwhile. Used by branches (stores/branches.svelte.ts).
   */
  async showPath(load: () => Promise<MessageView[]>): Promise<void> {
    const convId = this.conversationId;
    const seq = ++this.openSeq;
    const messages = await load();
    if (seq !== this.openSeq || this.conversationId !== convId) return;
    this.messages = messages.map((x) => this.fromWire(x));
    this.refreshContext();
  }

  /** Asks Go how much of the conversation the next question would carry (the composer shows it). */
  refreshContext(): void {
    const count = this.deps.chat.contextCount;
    const seq = ++this.contextSeq;
    if (!count || !this.model) {
      this.context = null;
      return;
    }
    count(this.conversationId, this.model, this.wireParams()).then(
      (c) => {
        if (seq === this.contextSeq) this.context = c;
      },
      () => {
        if (seq === this.contextSeq) this.context = null;
      },
    );
  }

  // ---------- model & params ----------

  setModel(id: string): void {
    if (!id || id === this.model) return;
    this.model = id;
    this.deps.onModelChosen(id);
    this.refreshContext();
    if (this.conversationId) this.deps.history.setModel(this.conversationId, id).catch(this.deps.onError);
    else if (this.messages.length === 0) {
      // A fresh draft takes the new model's remembered choice, not the old one's.
      this.params = normalizeParams({ ...$state.snapshot(this.params), thinking: null, reasoningEffort: '', thinkingBudget: null }, this.params.system);
      void this.recallThinking(id);
    }
  }

  setParams(p: Params): void {
    this.params = normalizeParams(p, p.system);
    this.refreshContext();
    if (!this.conversationId) return;
    const id = this.conversationId;
    const snapshot = $state.snapshot(this.params) as Params;
    clearTimeout(this.paramsTimer);
    this.paramsTimer = setTimeout(() => {
      this.deps.history.setSystem(id, snapshot.system, snapshot).catch(this.deps.onError);
    }, 300);
  }

  /** Params for the next request: overrides + current model defaults, unsupported options cleared. */
  wireParams(): Params {
    return paramsForSend($state.snapshot(this.params) as Params, this.modelInfo);
  }

  // ---------- sending ----------

  /** A streaming answer from model (the chosen one unless given) not yet known to Go. */
  placeholder(conversationId: string, model = this.model): ChatMessage {
    const info = this.deps.modelInfo(model);
    return {
      id: tmpId('a'),
      conversationId,
      role: 'assistant',
      content: '',
      reasoning: '',
      images: null,
      model,
      provider: info?.provider ?? '',
      status: 'streaming',
      error: '',
      errorKind: '',
      usage: null,
      stats: null,
      createdAt: new Date().toISOString(),
      parentId: '',
      versions: null,
    };
  }

  /** Appends messages and returns their reactive proxies. */
  append(...msgs: ChatMessage[]): ChatMessage[] {
    this.messages.push(...msgs);
    return this.messages.slice(-msgs.length);
  }

  /** files are text attachments (AttachService read them); they go to Go beside the images. */
  async send(text: string, images: string[] = [], files: Attachment[] = []): Promise<boolean> {
    const body = text.trim();
    if ((!body && images.length === 0 && files.length === 0) || !this.model || this.isStreaming) return false;
    if (this.compare.armed) return this.compare.send(body, images, files);
    // Sending on past an open comparison continues with the answer it shows first.
    if (this.compare.open) await this.compare.continueDefault();
    const convId = this.conversationId;
    const user: ChatMessage = {
      ...this.placeholder(convId),
      id: tmpId('u'),
      role: 'user',
      content: body,
      images: images.length ? [...images] : null,
      ...(files.length ? { attachments: [...files] } : {}),
      status: 'complete',
    };
    const [u, a] = this.append(user, this.placeholder(convId));
    const req: SendRequest = {
      streamId: this.deps.newStreamId(),
      conversationId: convId,
      model: this.model,
      text: body,
      images: [...images],
      ...(files.length ? { attachments: [...files] } : {}),
      params: this.wireParams(),
    };
    await this.request(a!, u!, req.streamId, () => this.deps.chat.send(req), () => {
      this.remove(u!);
      return this.send(body, images, files).then(() => {});
    });
    return true;
  }

  /**
   * Asks for a new version of an answer. The old one stays in the history,
   * with its later turns, as another version (see showVersion).
   */
  async regenerate(assistantMessageId: string): Promise<void> {
    if (this.compare.has(assistantMessageId)) return this.compare.retry(assistantMessageId);
    const idx = this.messages.findIndex((m) => m.id === assistantMessageId);
    if (idx < 0 || this.isStreaming) return;
    const old = this.messages[idx]!;
    if (this.retryActions.has(old)) return this.retry(assistantMessageId);
    const prev = this.messages[idx - 1];
    if (prev?.local) {
      // Go never saw this exchange: ask again from scratch.
      this.messages.splice(idx - 1);
      await this.send(prev.content, prev.images ?? [], prev.attachments ?? []);
      return;
    }
    const versions = old.versions?.length ? [...old.versions] : [old.id];
    this.messages.splice(idx);
    await this.runRegenerate(this.conversationId, assistantMessageId, versions);
  }

  private async runRegenerate(convId: string, originalId: string, versions: string[]): Promise<void> {
    const [a] = this.append({ ...this.placeholder(convId), versions });
    const streamId = this.deps.newStreamId();
    await this.request(
      a!,
      undefined,
      streamId,
      () => this.deps.chat.regenerate(streamId, convId, originalId, this.model, this.wireParams()),
      () => this.runRegenerate(convId, originalId, versions),
    );
    if (!a!.local) a!.versions = [...versions, a!.id];
  }

  /** Asks again with a new version of a user message; the old one keeps its later turns. */
  async edit(userMessageId: string, text: string): Promise<void> {
    const idx = this.messages.findIndex((m) => m.id === userMessageId);
    const body = text.trim();
    if (idx < 0 || !body || this.isStreaming) return;
    const old = $state.snapshot(this.messages[idx]!) as ChatMessage;
    this.messages.splice(idx);
    if (old.local) {
      await this.send(body, old.images ?? [], old.attachments ?? []);
      return;
    }
    await this.runEdit(this.conversationId, userMessageId, body, old);
  }

  private async runEdit(convId: string, originalId: string, body: string, old: ChatMessage): Promise<void> {
    const versions = old.versions?.length ? [...old.versions] : [old.id];
    const [u, a] = this.append({ ...old, content: body, versions }, this.placeholder(convId));
    const streamId = this.deps.newStreamId();
    await this.request(
      a!,
      u!,
      streamId,
      () => this.deps.chat.edit(streamId, convId, originalId, body, this.model, this.wireParams()),
      () => {
        this.remove(u!);
        return this.runEdit(convId, originalId, body, old);
      },
    );
    if (!u!.local) u!.versions = [...versions, u!.id];
  }

  /** Retry after an error: repeats a request that failed, or regenerates the answer. */
  async retry(assistantMessageId: string): Promise<void> {
    const column = this.compare.column(assistantMessageId);
    if (column) {
      // A column's own Retry, while the others stream on; or the whole comparison again when Go refused it.
      const whole = this.retryActions.get(column);
      this.retryActions.delete(column);
      return whole ? whole() : this.compare.retry(assistantMessageId);
    }
    const idx = this.messages.findIndex((m) => m.id === assistantMessageId);
    if (idx < 0 || this.isStreaming) return;
    const msg = this.messages[idx]!;
    const again = this.retryActions.get(msg);
    if (!again) return this.regenerate(assistantMessageId);
    this.retryActions.delete(msg);
    this.messages.splice(idx);
    await again();
  }

  private remove(m: ChatMessage): void {
    const i = this.messages.indexOf(m);
    if (i >= 0) this.messages.splice(i, 1);
  }

  /**
   * Sends a request that starts the answer a, streamed as streamId. The
   * stream is followed before Go hears of it, so events that arrive before
   * the request returns land in a at once.
   */
  private async request(
    a: ChatMessage,
    u: ChatMessage | undefined,
    streamId: string,
    call: () => Promise<SendResult>,
    again: () => Promise<void>,
  ): Promise<void> {
    await this.requestAll([a], u, [streamId], async () => startedOne(await call()), again);
  }

  /**
   * request for several answers to one question at once (a comparison:
   * stores/compare.svelte.ts), answers[i] streamed as streamIds[i].
   */
  async requestAll(
    answers: ChatMessage[],
    u: ChatMessage | undefined,
    streamIds: string[],
    call: () => Promise<Started>,
    again: () => Promise<void>,
  ): Promise<void> {
    const startedIn = this.conversationId;
    const recs = answers.map((a, i) => this.attach(streamIds[i]!, a));
    for (const rec of recs) rec.inFlight = true;
    let res: Started;
    try {
      res = await call();
    } catch (e) {
      // Go started nothing: no event will come.
      for (const rec of recs) {
        this.streams.delete(rec.streamId);
        this.byMessage.delete(rec.messageId);
        const a = rec.msg;
        a.status = 'error';
        a.errorKind = 'other';
        a.error = (e as Error).message;
        a.local = true;
        this.retryActions.set(a, again);
      }
      if (u) u.local = true; // Go gave it no id
      return;
    }
    if (u) {
      u.id = res.userMessageId || u.id;
      u.conversationId = res.conversationId;
      u.local = false;
    }
    recs.forEach((rec, i) => {
      rec.inFlight = false;
      const a = rec.msg;
      const started = res.answers?.[i];
      a.id = started?.assistantMessageId ?? a.id;
      a.conversationId = res.conversationId;
      if (started?.thinking) a.thinking = started.thinking;
      if (!rec.finished) {
        this.byMessage.delete(rec.messageId);
        rec.messageId = a.id;
        this.byMessage.set(a.id, rec);
      }
    });
    if (!startedIn && this.conversationId === '' && this.messages.includes(u ?? answers[0]!)) {
      this.conversationId = res.conversationId;
      this.openSeq++; // a pending open() is now stale
      if (hasOverrides(this.params)) this.setParams(this.params); // keep the draft's parameters
    }
    this.deps.onConversationsChanged();
    for (const rec of recs) if (rec.stopRequested && !rec.finished) void this.stopStream(rec.streamId, rec.msg);
  }

  private attach(streamId: string, msg: ChatMessage): StreamRec {
    const rec: StreamRec = {
      streamId,
      messageId: msg.id,
      order: new SeqOrder<StreamEvent>(),
      finished: false,
      msg,
      pendingContent: '',
      pendingReasoning: '',
      inFlight: false,
      stopRequested: false,
    };
    this.streams.set(streamId, rec);
    this.byMessage.set(msg.id, rec);
    return rec;
  }

  // ---------- stopping ----------

  async stop(): Promise<void> {
    if (this.compare.streaming) return this.compare.stopAll();
    const m = this.streamingMessage;
    if (m) await this.stopMessage(m);
  }

  /** Stops the answer m streams into (one column of a comparison, say). */
  async stopMessage(m: ChatMessage): Promise<void> {
    const rec = this.byMessage.get(m.id);
    if (!rec) return;
    if (rec.inFlight) {
      rec.stopRequested = true; // Go may not know the id yet: stop once the request returns
      return;
    }
    await this.stopStream(rec.streamId, m);
  }

  private async stopStream(streamId: string, msg: ChatMessage): Promise<void> {
    try {
      await this.deps.chat.stop(streamId);
    } catch (e) {
      this.deps.onError(e);
    }
    // Go ends the stream with a final event; if it never comes, do not spin forever.
    setTimeout(() => {
      const rec = this.streams.get(streamId);
      if (rec && !rec.finished) this.finish(rec, 'stopped');
      else if (!rec && msg.status === 'streaming') msg.status = 'stopped';
    }, 3000);
  }

  // ---------- stream events ----------

  /** Entry point for every chat:stream event. */
  handleEvent(ev: StreamEvent): void {
    if (!ev || typeof ev.streamId !== 'string') return;
    if (this.finishedStreams.has(ev.streamId)) return;
    const rec = this.streams.get(ev.streamId) ?? this.adopt(ev);
    if (rec) this.apply(rec, ev);
  }

  /** Follows a stream for a message on screen that this window did not start. */
  private adopt(ev: StreamEvent): StreamRec | undefined {
    if (!ev.messageId || ev.messageId.startsWith('local-') || this.byMessage.has(ev.messageId)) return undefined;
    const msg = this.messages.find((m) => m.id === ev.messageId && m.role === 'assistant');
    if (!msg || msg.status === 'complete' || this.isStreaming) return undefined;
    msg.status = 'streaming';
    const rec = this.attach(ev.streamId, msg);
    // Joined mid-stream: what came before is already in the saved text.
    if (typeof ev.seq === 'number') rec.order.last = ev.seq - 1;
    return rec;
  }

  /** Applies events in seq order (see SeqOrder). */
  private apply(rec: StreamRec, ev: StreamEvent): void {
    if (rec.finished) return;
    for (const next of rec.order.push(ev)) {
      if (rec.finished) return;
      this.applyInOrder(rec, next);
    }
  }

  private applyInOrder(rec: StreamRec, ev: StreamEvent): void {
    switch (ev.kind) {
      case 'delta':
        rec.pendingContent += ev.text ?? '';
        this.scheduleFlush();
        break;
      case 'reasoning':
        rec.pendingReasoning += ev.text ?? '';
        this.scheduleFlush();
        break;
      case 'done':
        if (ev.text) rec.pendingContent += ev.text;
        // Go ends a stopped answer with "done" carrying an error of kind "stopped".
        this.finish(rec, ev.error?.kind === 'stopped' ? 'stopped' : 'complete', ev);
        break;
      case 'error':
        this.finish(rec, ev.error?.kind === 'stopped' ? 'stopped' : 'error', ev);
        break;
    }
  }

  private flushRec(rec: StreamRec): void {
    if (rec.pendingContent) {
      rec.msg.content += rec.pendingContent;
      rec.pendingContent = '';
    }
    if (rec.pendingReasoning) {
      rec.msg.reasoning += rec.pendingReasoning;
      rec.pendingReasoning = '';
    }
  }

  /** Moves buffered text into the reactive messages. Runs at most once per frame. */
  flush(): void {
    for (const rec of this.streams.values()) this.flushRec(rec);
  }

  private finish(rec: StreamRec, status: ChatMessage['status'], ev?: StreamEvent): void {
    this.flushRec(rec);
    rec.finished = true;
    const m = rec.msg;
    if (ev?.usage) m.usage = ev.usage;
    if (ev?.stats) m.stats = ev.stats;
    if (ev?.saveError) m.saveError = ev.saveError;
    if (ev?.model) {
      m.ranModel = ev.model;
      m.provider = ev.model.split('/')[0] ?? m.provider;
    }
    if (ev?.error) {
      m.errorKind = ev.error.kind;
      m.errorProvider = ev.error.provider;
      m.error = ev.error.message ?? '';
    }
    m.status = status;
    this.refreshContext();
    void this.fillCosts(m.conversationId);
    this.streams.delete(rec.streamId);
    this.byMessage.delete(rec.messageId);
    this.finishedStreams.add(rec.streamId);
    if (this.finishedStreams.size > 500) this.finishedStreams.delete(this.finishedStreams.values().next().value!);
    this.deps.onConversationsChanged();
  }
}

// ---------- app singleton ----------
import { models } from './models.svelte';
import { settings } from './settings.svelte';
import { conversations } from './conversations.svelte';
import { ui } from './ui.svelte';

export const chat = new ChatStore({
  chat: chatApi,
  history: historyApi,
  modelInfo: (id) => models.byId(id),
  onConversationsChanged: () => void conversations.load(),
  onModelChosen: (id) => settings.rememberModel(id),
  onError: (e) => ui.showError(e),
  schedule: rafScheduler,
  newStreamId,
});
