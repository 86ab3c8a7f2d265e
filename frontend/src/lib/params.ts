import type { ContextLimit, ModelInfo, Params, ReasoningEffort } from '../api/types';

export type NumericParam = 'temperature' | 'topP' | 'maxTokens' | 'frequencyPenalty' | 'presencePenalty';

export interface NumericSpec {
  key: NumericParam;
  min: number;
  max: number;
  step: number;
  integer: boolean;
  /** names the Go side may use in ModelInfo.defaults */
  aliases: string[];
}

export const NUMERIC_PARAMS: NumericSpec[] = [
  { key: 'temperature', min: 0, max: 2, step: 0.1, integer: false, aliases: ['temperature'] },
  { key: 'topP', min: 0, max: 1, step: 0.05, integer: false, aliases: ['topP', 'top_p'] },
  { key: 'maxTokens', min: 1, max: 1_000_000, step: 1, integer: true, aliases: ['maxTokens', 'max_tokens'] },
  { key: 'frequencyPenalty', min: -2, max: 2, step: 0.1, integer: false, aliases: ['frequencyPenalty', 'frequency_penalty'] },
  { key: 'presencePenalty', min: -2, max: 2, step: 0.1, integer: false, aliases: ['presencePenalty', 'presence_penalty'] },
];

/** Every effort level, weakest first (catalog.Efforts). */
export const EFFORTS: ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

/** The body name of each numeric parameter, as ModelInfo.fixed lists them. */
const WIRE_NAMES: Record<NumericParam, string> = {
  temperature: 'temperature',
  topP: 'top_p',
  maxTokens: 'max_tokens',
  frequencyPenalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
};

/** True when the model fixes the parameter: its control is disabled and it is never sent. */
export function isFixed(model: ModelInfo | undefined, key: NumericParam): boolean {
  return !!model?.fixed?.includes(WIRE_NAMES[key]);
}

/** The thinking controls a model accepts: exactly these are offered. */
export interface ThinkingControls {
  /** an on/off switch (thinking is optional) */
  toggle: boolean;
  /** effort levels, weakest first; empty when it takes none */
  efforts: ReasoningEffort[];
  /** the largest token budget; 0 when it takes none */
  budgetMax: number;
}

const LEGACY_EFFORTS: ReasoningEffort[] = ['low', 'medium', 'high'];

/**
 * What the popover offers for a model. The catalog's thinking data decides
 * (Model.Think); a model it knows nothing about falls back to its flags, and
 * with no model at all every legacy control shows.
 */
export function thinkingControls(model: ModelInfo | undefined): ThinkingControls {
  if (!model) return { toggle: true, efforts: LEGACY_EFFORTS, budgetMax: 0 };
  const th = model.think;
  if (!th) return { toggle: model.thinkingToggle, efforts: model.reasoning ? LEGACY_EFFORTS : [], budgetMax: 0 };
  if (th.mode === 'none') return { toggle: false, efforts: [], budgetMax: 0 };
  return {
    toggle: th.mode === 'optional',
    efforts: EFFORTS.filter((e) => th.efforts?.includes(e)),
    budgetMax: th.budgetMax ?? 0,
  };
}

/** The thinking part of params: what is remembered per model. */
export function thinkingChoice(p: Params): Pick<Params, 'thinking' | 'reasoningEffort' | 'thinkingBudget'> {
  return { thinking: p.thinking, reasoningEffort: p.reasoningEffort, thinkingBudget: p.thinkingBudget };
}


export function emptyParams(system = ''): Params {
  return {
    temperature: null,
    topP: null,
    maxTokens: null,
    frequencyPenalty: null,
    presencePenalty: null,
    reasoningEffort: '',
    thinking: null,
    thinkingBudget: null,
    system,
    context: { mode: 'all', turns: 0 },
  };
}

function budget(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}

/** Coerces a stored context limit ("" and unknown modes mean all; turns a whole number ≥ 0). */
export function normalizeContext(c: Partial<ContextLimit> | null | undefined): ContextLimit {
  const mode = c?.mode === 'turns' || c?.mode === 'budget' ? c.mode : 'all';
  const turns = typeof c?.turns === 'number' && Number.isFinite(c.turns) ? Math.max(0, Math.round(c.turns)) : 0;
  return { mode, turns };
}

function num(v: unknown): number | null {
  // 0 is a real value: only null/undefined/NaN/non-numbers become null.
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Coerces whatever came from Go (or null) into a complete Params object. */
export function normalizeParams(p: Partial<Params> | null | undefined, system?: string): Params {
  const src = p ?? {};
  return {
    temperature: num(src.temperature),
    topP: num(src.topP),
    maxTokens: num(src.maxTokens),
    frequencyPenalty: num(src.frequencyPenalty),
    presencePenalty: num(src.presencePenalty),
    reasoningEffort: EFFORTS.includes(src.reasoningEffort as ReasoningEffort) ? (src.reasoningEffort as ReasoningEffort) : '',
    thinking: typeof src.thinking === 'boolean' ? src.thinking : null,
    thinkingBudget: budget(src.thinkingBudget),
    system: typeof src.system === 'string' && src.system !== '' ? src.system : (system ?? src.system ?? ''),
    context: normalizeContext(src.context),
  };
}

/** The model's default for a parameter, or null when it has none. */
export function modelDefault(model: ModelInfo | undefined, key: NumericParam): number | null {
  const d = model?.defaults;
  if (!d) return null;
  const spec = NUMERIC_PARAMS.find((s) => s.key === key)!;
  for (const a of spec.aliases) {
    const v = num(d[a]);
    if (v !== null) return v;
  }
  return null;
}

/**
 * What goes over the wire for one request. The conversation stores only the
 * user's overrides; unset numbers fall back to the current model's defaults
 * (so switching models mid-conversation picks up the new model's defaults),
 * parameters the model fixes are never sent (not even its own default), and
 * thinking controls the model does not accept are cleared. Zero stays zero.
 */
export function paramsForSend(user: Params, model: ModelInfo | undefined): Params {
  const out = normalizeParams(user, user.system);
  for (const spec of NUMERIC_PARAMS) {
    if (out[spec.key] === null) out[spec.key] = modelDefault(model, spec.key);
    if (isFixed(model, spec.key)) out[spec.key] = null;
  }
  if (model) {
    const c = thinkingControls(model);
    if (!c.toggle) out.thinking = null;
    if (out.reasoningEffort && !c.efforts.includes(out.reasoningEffort)) out.reasoningEffort = '';
    if (out.thinkingBudget !== null) out.thinkingBudget = c.budgetMax > 0 ? Math.min(out.thinkingBudget, c.budgetMax) : null;
  }
  if (out.thinking === false) {
    out.reasoningEffort = '';
    out.thinkingBudget = null;
  }
  return out;
}

/** Text from a number input → number or null ("" → null, "0" → 0). Out-of-range values are clamped. */
export function parseParamInput(text: string, spec: NumericSpec): number | null {
  const s = text.trim();
  if (s === '') return null;
  let v = Number(s);
  if (!Number.isFinite(v)) return null;
  if (spec.integer) v = Math.round(v);
  return Math.min(spec.max, Math.max(spec.min, v));
}

/** True when the user changed anything from "all defaults". */
export function hasOverrides(p: Params): boolean {
  return (
    NUMERIC_PARAMS.some((s) => p[s.key] !== null) ||
    p.reasoningEffort !== '' ||
    p.thinking !== null ||
    p.thinkingBudget !== null ||
    p.system.trim() !== '' ||
    (p.context?.mode ?? 'all') !== 'all'
  );
}
