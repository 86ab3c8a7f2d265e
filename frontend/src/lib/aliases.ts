import type { Alias } from '../api/types';

/** Splits what the user typed for a chain ("a, b → c" or one per line) into model names, in order. */
export function parseChain(text: string): string[] {
  return text
    .split(/[,\n→]|->/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The chain as one line, first choice first. */
export function chainText(a: Alias): string {
  return (a.models ?? []).join(' → ');
}

/**
 * Adds or replaces alias name. Returns an error message key when the
 * input cannot be an alias (Go checks models, providers and cycles).
 */
export function upsertAlias(list: Alias[], name: string, text: string): { list: Alias[]; error?: 'aliases.errName' | 'aliases.errModels' } {
  const n = name.trim();
  if (!n || /[\s/]/.test(n)) return { list, error: 'aliases.errName' };
  const models = parseChain(text);
  if (models.length === 0) return { list, error: 'aliases.errModels' };
  const i = list.findIndex((a) => a.name === n);
  const next = list.map((a) => ({ ...a, models: [...(a.models ?? [])] }));
  if (i >= 0) next[i] = { name: n, models };
  else next.push({ name: n, models });
  return { list: next };
}
