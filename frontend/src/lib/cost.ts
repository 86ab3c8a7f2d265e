import type { CostView } from '../api/types';

const SYMBOLS: Record<string, string> = { USD: '$', CNY: '¥', EUR: '€', GBP: '£', JPY: '¥' };

/** One amount: enough digits that a cheap answer does not read as 0. */
export function amountText(c: CostView): string {
  const sym = SYMBOLS[c.currency] ?? c.currency + ' ';
  const a = c.amount;
  let digits = 2;
  if (a > 0 && a < 1) digits = Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(a)) + 1));
  return sym + a.toFixed(digits);
}

/**
 * What an answer (or a conversation) cost, per currency in Go's order,
 * "≈"-prefixed when Go priced estimated tokens. "" when there is no price.
 */
export function costText(costs: CostView[] | null | undefined, estimated = false): string {
  if (!costs || costs.length === 0) return '';
  return (estimated ? '≈ ' : '') + costs.map(amountText).join(' · ');
}

/**
 * The conversation's total per currency: a sum of what Go priced for each
 * shown answer, never adding one currency to another.
 */
export function sumCosts(messages: { cost?: CostView[] | null; costEstimated?: boolean }[]): { total: CostView[]; estimated: boolean } {
  const total: CostView[] = [];
  let estimated = false;
  for (const m of messages) {
    if (!m.cost?.length) continue;
    estimated ||= !!m.costEstimated;
    for (const c of m.cost) {
      const t = total.find((x) => x.currency === c.currency);
      if (t) t.amount += c.amount;
      else total.push({ currency: c.currency, amount: c.amount });
    }
  }
  return { total, estimated };
}
