import type { ConversationView } from '../api/types';
import type { Locale } from './i18n/index.svelte';

/** The words under an imported conversation's badge, or "" for one made here. */
export function importedText(
  conv: Pick<ConversationView, 'importedAt' | 'importedFrom'>,
  locale: Locale,
  tr: (key: 'conv.importedFrom' | 'conv.importedAt', vars: Record<string, string>) => string,
): string {
  if (!conv.importedAt) return '';
  const at = new Date(conv.importedAt);
  const date = Number.isNaN(at.getTime())
    ? conv.importedAt
    : at.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return conv.importedFrom ? tr('conv.importedFrom', { date, file: conv.importedFrom }) : tr('conv.importedAt', { date });
}
