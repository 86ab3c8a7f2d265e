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
  const key = problemKey(p.code);
  return key ? t(key, p.params ?? {}) : p.message;
}

setProblemWords(problemText);
