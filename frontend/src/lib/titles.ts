import type { ModelInfo, Titles } from '../api/types';
import { money } from './models';

/** Models Settings offers for titles: Go marked them cheap or free, and they can be called now. */
export function titleCandidates(models: ModelInfo[]): ModelInfo[] {
  return models
    .filter((m) => !!m.titleCost && m.available && !m.retired && m.source !== 'alias')
    .sort((a, b) => (a.titleCost === b.titleCost ? 0 : a.titleCost === 'free' ? -1 : 1) || outputPrice(a) - outputPrice(b));
}

function outputPrice(m: ModelInfo): number {
  return m.prices?.[0]?.output ?? 0;
}

/** "$1.20" per million output tokens, "" for a free model. */
export function titlePrice(m: ModelInfo): string {
  const p = m.prices?.[0];
  return m.titleCost === 'cheap' && p ? money(p.output, p.currency) : '';
}

/** Choosing m asks first: it costs money and the user has not agreed to it. */
export function needsConsent(m: ModelInfo, titles: Titles | undefined): boolean {
  return m.titleCost !== 'free' && titles?.paidModel !== m.id;
}

/** The titles setting after choosing m (agreed: the user said yes to a paid one). */
export function chooseTitleModel(titles: Titles | undefined, m: ModelInfo, agreed: boolean): Titles {
  const next: Titles = { ...titles, model: m.id };
  if (m.titleCost === 'cheap' && agreed) next.paidModel = m.id;
  return next;
}
