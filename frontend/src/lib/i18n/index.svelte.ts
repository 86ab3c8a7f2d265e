import type { LanguageSetting } from '../../api/types';
import { en, type Dictionary, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey } from './en';
export type Locale = 'en' | 'zh-CN';

export const dictionaries: Record<Locale, Dictionary> = { en, 'zh-CN': zhCN };

/** The locale the OS/webview prefers: any Chinese variant → zh-CN, otherwise English. */
export function detectSystemLocale(languages?: readonly string[]): Locale {
  const langs = languages ?? (typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : []);
  for (const l of langs) {
    const lower = (l ?? '').toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Settings.language "" means "follow the system". */
export function resolveLocale(setting: LanguageSetting | string, languages?: readonly string[]): Locale {
  if (setting === 'en' || setting === 'zh-CN') return setting;
  return detectSystemLocale(languages);
}

class I18nState {
  locale = $state<Locale>(detectSystemLocale());
}

export const i18n = new I18nState();

export function setLocale(l: Locale): void {
  i18n.locale = l;
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}

export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Translate. Reactive inside components because it reads i18n.locale. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const dict = dictionaries[i18n.locale] ?? en;
  return format(dict[key] ?? en[key] ?? key, vars);
}
