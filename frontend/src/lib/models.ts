import type { ModelInfo, Price } from '../api/types';

export interface ModelGroup {
  provider: string;
  providerName: string;
  /** the provider has a key */
  available: boolean;
  models: ModelInfo[];
}

/** The group key of the user's aliases in groupModels. */
export const ALIAS_GROUP = '@aliases';

/** Case-insensitive match on every whitespace-separated term (id, upstream, provider, capabilities). */
export function filterModels(models: ModelInfo[], query: string, opts: { includeRetired?: boolean } = {}): ModelInfo[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  return models.filter((m) => {
    if (m.retired && !opts.includeRetired) return false;
    if (terms.length === 0) return true;
    const hay = [
      m.id,
      m.name,
      m.upstream,
      m.provider,
      m.providerName,
      m.reasoning ? 'reasoning' : '',
      m.vision ? 'vision' : '',
      m.tools ? 'tools' : '',
    ]
      .join(' ')
      .toLowerCase();
    return terms.every((t) => hay.includes(t));
  });
}

/**
 * Groups by provider. Providers with a key come first, then alphabetical;
 * models inside a group keep the catalog's order.
 */
export function groupModels(models: ModelInfo[]): ModelGroup[] {
  const groups = new Map<string, ModelGroup>();
  for (const m of models) {
    // Aliases are the user's own names: one group of their own, whatever provider their chain starts at.
    const key = m.source === 'alias' ? ALIAS_GROUP : m.provider;
    let g = groups.get(key);
    if (!g) {
      g = { provider: key, providerName: m.source === 'alias' ? '' : m.providerName || m.provider, available: false, models: [] };
      groups.set(key, g);
    }
    g.available ||= m.available;
    g.models.push(m);
  }
  return [...groups.values()].sort(
    (a, b) =>
      Number(b.provider === ALIAS_GROUP) - Number(a.provider === ALIAS_GROUP) ||
      Number(b.available) - Number(a.available) ||
      a.providerName.localeCompare(b.providerName),
  );
}

/** The model to start a new chat with. */
export function pickInitialModel(models: ModelInfo[], lastModel: string, defaultModel: string): string {
  const usable = (id: string) => models.some((m) => m.id === id && m.available && !m.retired);
  if (lastModel && usable(lastModel)) return lastModel;
  if (defaultModel && usable(defaultModel)) return defaultModel;
  const first = models.find((m) => m.available && !m.retired);
  return first?.id || lastModel || defaultModel || "";
}

/** Retired models matching query, for the picker's "Retired" heading (catalog order). */
export function retiredModels(models: ModelInfo[], query: string): ModelInfo[] {
  return filterModels(models, query, { includeRetired: true }).filter((m) => m.retired);
}

const SYMBOLS: Record<string, string> = { USD: '$', CNY: '¥' };

/** 0.3 → "$0.30", 15 → "$15", in a currency ("¥2", "0.5 EUR"). */
export function money(amount: number, currency: string): string {
  const n = Number.isInteger(amount) ? String(amount) : amount < 0.01 ? String(amount) : amount.toFixed(2);
  const sym = SYMBOLS[currency];
  return sym ? `${sym}${n}` : `${n} ${currency}`;
}

/** The main price per million tokens as "$0.30/$1.20" (input/output), or "" when unknown. */
export function priceText(prices: Price[] | null): string {
  const p = prices?.[0];
  if (!p) return '';
  return `${money(p.input, p.currency)}/${money(p.output, p.currency)}`;
}
