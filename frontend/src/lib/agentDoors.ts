// Settings of the agent doors (/v1/messages and /v1/responses) that the
// window edits: which model answers each Claude tier, and which hosted
// tools /v1/responses drops instead of refusing.

import type { ClaudeModels } from '../api';
import type { ClaudeTier } from './connect';

/** The drop list's "every hosted tool" entry (responses.DropAll in Go). */
export const DROP_ALL = '*';

/** Whether the drop list drops tool type typ. */
export function drops(list: readonly string[] | null | undefined, typ: string): boolean {
  return !!list && (list.includes(DROP_ALL) || list.includes(typ));
}

/**
 * The drop list after switching typ on or off. Switching one tool off while
 * the list says "all" keeps every other known tool dropped, spelled out.
 */
export function toggleDrop(list: readonly string[] | null | undefined, typ: string, on: boolean, known: readonly string[]): string[] {
  if (typ === DROP_ALL) return on ? [DROP_ALL] : [];
  let next = list?.includes(DROP_ALL) ? [...known] : [...(list ?? [])];
  next = next.filter((t) => t !== typ);
  if (on) next.push(typ);
  return known.filter((t) => next.includes(t));
}

/** Tier settings with one tier set to model ("" goes back to the catalog's pick). */
export function setTier(tiers: ClaudeModels | null | undefined, tier: ClaudeTier, model: string): ClaudeModels {
  const next: ClaudeModels = { ...(tiers ?? {}) };
  if (model.trim()) next[tier] = model.trim();
  else delete next[tier];
  return next;
}
