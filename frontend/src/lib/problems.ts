import { setProblemWords } from '../api/bridge';
import type { Problem, ProblemCode } from '../api/types';
import { en } from './i18n/en';
import { t, type MessageKey } from './i18n/index.svelte';

/** The i18n key of a Problem code (problem.<code>); every code Go can send has one in both languages. */
export function problemKey(code: ProblemCode | string): MessageKey | undefined {
  const key = `problem.${code}`;
  return key in en ? (key as MessageKey) : undefined;
}

/** A Problem in the window's language; Go's English when this build has no words for its code. */
export function problemText(p: Problem): string {
  if (p.code === 'settings_invalid') return invalidSettingsText(p);
  const key = problemKey(p.code);
  if (!key) return p.message;
  // A settings file refused at start for a rule: its reason in this language too.
  const reason = ruleText(p);
  return t(key, reason ? { ...p.params, problem: reason } : (p.params ?? {}));
}

/** What is wrong with the field, in this language, or undefined for a rule this build has no words for. */
function ruleDetail(p: Problem): string | undefined {
  const key = `rule.${p.rule ?? ''}`;
  return p.rule && key in en ? t(key as MessageKey, p.params ?? {}) : undefined;
}

/** "field: what is wrong" for the rule a Problem names, and how many more fields are bad. */
function ruleText(p: Problem): string | undefined {
  const detail = ruleDetail(p);
  if (!detail) return undefined;
  const { field = '', more } = p.params ?? {};
  // No field: the whole file is at fault (a JSON syntax error names its line).
  const text = field ? `${field}: ${detail}` : detail;
  return more ? t('problem.rule_more', { text, more }) : text;
}

/**
 * Settings (or an assistant, or a token) Go refused: the first bad field
 * and the rule it breaks, worded here (rule.<code>), and how many more
 * fields are bad. A rule this build has no words for keeps Go's English.
 */
function invalidSettingsText(p: Problem): string {
  const detail = ruleDetail(p);
  if (!detail) return p.message;
  const { field = '', more } = p.params ?? {};
  const text = t('problem.settings_invalid', { field, detail });
  return more ? t('problem.settings_invalid_more', { text, more }) : text;
}

setProblemWords(problemText);
