// Every code Go can send the window has words in English and Chinese. The
// codes are read from the generated contract (src/api/types.ts, written by
// `go generate ./backend/desktop/...` from Go's own lists), not copied here,
// so a code added in Go without a translation fails this test.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { en } from '../src/lib/i18n/en';
import { zhCN } from '../src/lib/i18n/zh-CN';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { problemKey, problemText } from '../src/lib/problems';
import { settingsApi } from '../src/api';
import type { BackendError } from '../src/api/bridge';
import { installFakeGo, uninstallFakeGo } from './fakeGo';
// The generated file's text, as Vite reads it.
import typesTs from '../src/api/types.ts?raw';


/** The literals of `export type Name = 'a' | 'b';` in types.ts. */
function union(name: string): string[] {
  const m = new RegExp(`export type ${name} = ([^;]+);`).exec(typesTs);
  if (!m) throw new Error(`types.ts has no union ${name}`);
  return [...m[1]!.matchAll(/'([^']*)'/g)].map((x) => x[1]!);
}

const dicts = { en, 'zh-CN': zhCN } as Record<string, Record<string, string>>;

describe('codes Go sends have words in both languages', () => {
  for (const [union_, prefix] of [
    ['ProblemCode', 'problem.'],
    ['ErrorKind', 'error.'],
  ] as const) {
    it(`${union_}: every value has ${prefix}<code> in en and zh-CN`, () => {
      const codes = union(union_);
      expect(codes.length).toBeGreaterThan(5);
      const missing: string[] = [];
      for (const code of codes) {
        for (const [lang, dict] of Object.entries(dicts)) {
          if (!dict[prefix + code]?.trim()) missing.push(`${lang}: ${prefix}${code}`);
        }
      }
      expect(missing).toEqual([]);
    });
  }

  it('the Chinese words are not the English ones', () => {
    const same = union('ProblemCode').filter((c) => zhCN[`problem.${c}` as keyof typeof zhCN] === en[`problem.${c}` as keyof typeof en]);
    expect(same).toEqual([]);
  });
});

describe('a Problem from Go reads in the window language', () => {
  afterEach(() => {
    uninstallFakeGo();
    setLocale('en');
  });

  it('words a rejected call by its code and params', async () => {
    const problem = {
      code: 'no_permission',
      params: { path: '/srv/a.md', dir: '/srv' },
      message: 'export conversation: cannot save /srv/a.md: no permission to write in /srv: permission denied',
    };
    installFakeGo({ SettingsService: { Save: vi.fn(() => Promise.reject(problem)) } });
    setLocale('zh-CN');
    const err = (await settingsApi.save({} as never).catch((e: BackendError) => e)) as BackendError;
    expect(err.message).toBe('无法保存 /srv/a.md：没有写入 /srv 的权限。');
    expect(err.code).toBe('no_permission');
    setLocale('en');
    expect(problemText(problem as never)).toBe('Cannot save /srv/a.md: no permission to write in /srv.');
  });

  it("keeps Go's English for a code this window does not know", () => {
    expect(problemKey('from_a_newer_go')).toBeUndefined();
    expect(problemText({ code: 'from_a_newer_go' as never, message: 'newer words' })).toBe('newer words');
  });
});
