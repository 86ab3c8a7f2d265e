import type { Assistant, Assistants, AssistantsView, Params, Prompt } from '../api/types';
import { normalizeParams } from '../lib/params';

/** What the store needs from Go (assistantsApi), injected so tests use a fake. */
export interface AssistantsDeps {
  list: (lang: string) => Promise<AssistantsView>;
  save: (a: Assistants) => Promise<void>;
}

/** The part of the chat an assistant is applied to (the chat store). */
export interface PresetTarget {
  params: Params;
  /** Whether the model can answer now (a key is set); a preset's model that cannot is not switched to. */
  usable?: (model: string) => boolean;
  setModel: (id: string) => void;
  setParams: (p: Params) => void;
}

function mine(a: Assistants | undefined): Required<Assistants> {
  return { presets: a?.presets ?? [], prompts: a?.prompts ?? [], default: a?.default ?? '' };
}

/** An id Go accepts (lower-case letters, digits, "-"), made from name and unique among taken. */
export function newId(name: string, taken: string[]): string {
  let base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  if (!base || base.startsWith('builtin')) base = 'item';
  let id = base;
  for (let i = 2; taken.includes(id); i++) id = `${base}-${i}`;
  return id;
}

/**
 * The chat presets and the prompt library. Every change is saved through
 * Go, which validates it; a change Go refuses leaves the store as it was
 * and is thrown, so the form that made it keeps what the user typed.
 */
export class AssistantsStore {
  builtins = $state<Assistant[]>([]);
  saved = $state<Required<Assistants>>(mine(undefined));
  loaded = $state(false);
  /** The id of the assistant last applied to the chat shown; "" for none (the toolbar picker shows it). */
  applied = $state('');

  constructor(private deps: AssistantsDeps) {}

  async load(lang: string): Promise<void> {
    const v = await this.deps.list(lang);
    this.builtins = v.builtins ?? [];
    this.saved = mine(v.mine);
    this.loaded = true;
  }

  /** Built-ins first, then the user's own. */
  get all(): Assistant[] {
    return [...this.builtins, ...this.saved.presets];
  }

  get prompts(): Prompt[] {
    return this.saved.prompts;
  }

  get defaultId(): string {
    return this.saved.default;
  }

  byId(id: string): Assistant | undefined {
    return this.all.find((a) => a.id === id);
  }

  private async commit(next: Required<Assistants>): Promise<void> {
    await this.deps.save(next); // throws: nothing changes here
    this.saved = next;
  }

  private snapshot(): Required<Assistants> {
    return $state.snapshot(this.saved) as Required<Assistants>;
  }

  /** Adds (empty id) or replaces an assistant of the user's; returns its id. */
  async saveAssistant(a: Assistant): Promise<string> {
    const next = this.snapshot();
    const id = a.id || newId(a.name, this.all.map((x) => x.id));
    const entry: Assistant = { ...a, id, builtin: undefined };
    const i = next.presets.findIndex((x) => x.id === id);
    if (i >= 0) next.presets[i] = entry;
    else next.presets.push(entry);
    await this.commit(next);
    return id;
  }

  /** A built-in copied into the user's list, to edit. */
  async copyBuiltin(id: string, copyName: string): Promise<string> {
    const b = this.builtins.find((x) => x.id === id);
    if (!b) throw new Error(`no built-in assistant ${id}`);
    return this.saveAssistant({ ...$state.snapshot(b), id: '', name: copyName, builtin: undefined });
  }

  async removeAssistant(id: string): Promise<void> {
    const next = this.snapshot();
    next.presets = next.presets.filter((x) => x.id !== id);
    if (next.default === id) next.default = '';
    await this.commit(next);
  }

  async setDefault(id: string): Promise<void> {
    await this.commit({ ...this.snapshot(), default: id });
  }

  async savePrompt(p: Prompt): Promise<string> {
    const next = this.snapshot();
    const id = p.id || newId(p.name, next.prompts.map((x) => x.id));
    const i = next.prompts.findIndex((x) => x.id === id);
    if (i >= 0) next.prompts[i] = { ...p, id };
    else next.prompts.push({ ...p, id });
    await this.commit(next);
    return id;
  }

  async removePrompt(id: string): Promise<void> {
    const next = this.snapshot();
    next.prompts = next.prompts.filter((x) => x.id !== id);
    await this.commit(next);
  }

  /** Takes Go's result of an import (already saved). */
  replace(a: Assistants): void {
    this.saved = mine(a);
  }

  /**
   * Applies a to the chat: its model (when it names one), its system
   * prompt and parameters; the context limit the user chose stays.
   */
  apply(a: Assistant, target: PresetTarget): void {
    this.applied = a.id;
    if (a.model && (target.usable?.(a.model) ?? true)) target.setModel(a.model);
    const p = a.params ?? {};
    target.setParams(
      normalizeParams(
        {
          temperature: p.temperature ?? null,
          topP: p.topP ?? null,
          maxTokens: p.maxTokens ?? null,
          frequencyPenalty: p.frequencyPenalty ?? null,
          presencePenalty: p.presencePenalty ?? null,
          reasoningEffort: (p.reasoningEffort ?? '') as Params['reasoningEffort'],
          thinking: p.thinking ?? null,
          thinkingBudget: p.thinkingBudget ?? null,
          system: a.system ?? '',
          context: target.params.context,
        },
        a.system ?? '',
      ),
    );
  }

  /** Applies the default assistant, if there is one, to a new chat. */
  applyDefault(target: PresetTarget): Assistant | undefined {
    this.applied = '';
    const a = this.defaultId ? this.byId(this.defaultId) : undefined;
    if (a) this.apply(a, target);
    return a;
  }
}

// ---------- app singleton ----------
import { assistantsApi } from '../api/assistants';

export const assistants = new AssistantsStore(assistantsApi);
