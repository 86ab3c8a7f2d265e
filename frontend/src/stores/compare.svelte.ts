// Several models answering one question side by side. Go stores the
// answers as versions of one another under the question (the history's
// tree) and streams them at once, each on its own stream id; here they are
// shown as columns until the user picks the one to continue with, which is
// then made the active version like any other (‹ 1/3 › pages through the
// rest later).
import type { Attachment, Params, SendResult } from '../api';
import { paramsForSend } from '../lib/params';
import type { ChatDeps, ChatMessage, Started } from './chat.svelte';

/** How many models one question can go to at once (Go's MinCompare, MaxCompare). */
export const MIN_COMPARE = 2;
export const MAX_COMPARE = 4;

/** What a comparison needs of the chat store. */
export interface CompareHost {
  readonly conversationId: string;
  readonly messages: ChatMessage[];
  readonly params: Params;
  placeholder(conversationId: string, model?: string): ChatMessage;
  append(...msgs: ChatMessage[]): ChatMessage[];
  requestAll(
    answers: ChatMessage[],
    u: ChatMessage | undefined,
    streamIds: string[],
    call: () => Promise<Started>,
    again: () => Promise<void>,
  ): Promise<void>;
  stopMessage(m: ChatMessage): Promise<void>;
  showPath(load: () => Promise<import('../api').MessageView[]>): Promise<void>;
  setModel(id: string): void;
}

export type CompareDeps = Pick<ChatDeps, 'chat' | 'history' | 'modelInfo' | 'newStreamId' | 'onError'>;

/** Send's, Regenerate's and Edit's result as a request of one answer. */
export function startedOne(res: SendResult): Started {
  return { ...res, answers: [{ assistantMessageId: res.assistantMessageId, thinking: res.thinking }] };
}

export class Comparison {
  /** the models the next message goes to; it is a comparison from MIN_COMPARE on */
  picked = $state<string[]>([]);
  /** the answers of the comparison last sent, one per column, in the order asked */
  columns = $state<ChatMessage[]>([]);
  /** its question, as shown in the message list */
  private question = $state<ChatMessage | null>(null);

  constructor(
    private chat: CompareHost,
    private deps: CompareDeps,
  ) {}

  /** The next message goes to the picked models, not the chat's one. */
  get armed(): boolean {
    return this.picked.length >= MIN_COMPARE;
  }

  /** Adds model to the picks, or takes it out; no more than MAX_COMPARE. */
  toggle(model: string): void {
    if (this.picked.includes(model)) this.picked = this.picked.filter((m) => m !== model);
    else if (this.picked.length < MAX_COMPARE) this.picked = [...this.picked, model];
  }

  clearPicks(): void {
    this.picked = [];
  }

  /** The columns are on screen: their question is the last message of the path shown. */
  get open(): boolean {
    const last = this.chat.messages[this.chat.messages.length - 1];
    return this.columns.length > 0 && !!this.question && last?.id === this.question.id;
  }

  get streaming(): boolean {
    return this.open && this.columns.some((c) => c.status === 'streaming');
  }

  /** How much text the columns hold: the message list follows it to the bottom. */
  get progress(): number {
    return this.columns.reduce((n, c) => n + c.content.length + c.reasoning.length, 0);
  }

  column(id: string): ChatMessage | undefined {
    return this.open ? this.columns.find((c) => c.id === id) : undefined;
  }

  has(id: string): boolean {
    return this.column(id) !== undefined;
  }

  private paramsFor(model: string): Params {
    return paramsForSend($state.snapshot(this.chat.params) as Params, this.deps.modelInfo(model));
  }

  /** Sends the question to every picked model at once; the picks are for this one message. */
  async send(body: string, images: string[], files: Attachment[] = []): Promise<boolean> {
    const compare = this.deps.chat.compare;
    const models = [...this.picked];
    if (!compare || models.length < MIN_COMPARE) return false;
    this.picked = [];
    const convId = this.chat.conversationId;
    const question = { ...this.chat.placeholder(convId), role: 'user' as const, content: body, images: images.length ? [...images] : null, ...(files.length ? { attachments: [...files] } : {}), status: 'complete' as const };
    const [u] = this.chat.append(question);
    this.question = u!;
    this.columns = models.map((m) => this.chat.placeholder(convId, m));
    const cols = [...this.columns];
    const ids = models.map(() => this.deps.newStreamId());
    await this.chat.requestAll(
      cols,
      u,
      ids,
      () =>
        compare({
          conversationId: convId,
          text: body,
          images: [...images],
          ...(files.length ? { attachments: [...files] } : {}),
          answers: models.map((model, i) => ({ streamId: ids[i]!, model, params: this.paramsFor(model) })),
        }),
      async () => {
        // Go stored nothing: ask all of them again.
        const i = this.chat.messages.indexOf(u!);
        if (i >= 0) this.chat.messages.splice(i, 1);
        this.close();
        this.picked = models;
        await this.send(body, images, files);
      },
    );
    return true;
  }

  /** Asks the column's model again for a new answer in its place (its own Retry; the others go on). */
  async retry(id: string): Promise<void> {
    const i = this.columns.findIndex((c) => c.id === id);
    const old = this.columns[i];
    if (!old || old.status === 'streaming' || old.local) return;
    await this.regenerate(i, old.conversationId, id, old.model);
  }

  private async regenerate(i: number, convId: string, originalId: string, model: string): Promise<void> {
    this.columns[i] = this.chat.placeholder(convId, model);
    const a = this.columns[i]!;
    const streamId = this.deps.newStreamId();
    await this.chat.requestAll(
      [a],
      undefined,
      [streamId],
      async () => startedOne(await this.deps.chat.regenerate(streamId, convId, originalId, model, this.paramsFor(model))),
      () => this.regenerate(i, convId, originalId, model),
    );
  }

  /** Stops one column; the others go on. */
  stop(id: string): Promise<void> {
    const c = this.column(id);
    return c ? this.chat.stopMessage(c) : Promise.resolve();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.columns.filter((c) => c.status === 'streaming').map((c) => this.chat.stopMessage(c)));
  }

  /**
   * Continues the conversation with the column's answer: it becomes the
   * active version and its model the conversation's. Columns still
   * streaming go on and are kept as the other versions.
   */
  async choose(id: string): Promise<void> {
    const c = this.column(id);
    const select = this.deps.history.selectVersion;
    if (!c || c.local || id.startsWith('local-') || !select) return;
    const convId = this.chat.conversationId;
    try {
      await this.chat.showPath(async () => (await select(convId, id)).messages ?? []);
    } catch (e) {
      this.deps.onError(e);
      return;
    }
    this.close();
    this.chat.setModel(c.model);
  }

  /** Sending on without a pick continues with the first answer that completed (else the first). */
  async continueDefault(): Promise<void> {
    const c = this.columns.find((x) => x.status === 'complete') ?? this.columns.find((x) => !x.local);
    if (c) await this.choose(c.id);
    this.close();
  }

  close(): void {
    this.columns = [];
    this.question = null;
  }
}
