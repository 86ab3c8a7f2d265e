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
    ['SettingsRule', 'rule.'],
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
    const sameRule = union('SettingsRule').filter((c) => zhCN[`rule.${c}` as keyof typeof zhCN] === en[`rule.${c}` as keyof typeof en]);
    expect(sameRule).toEqual([]);
  });

  it("a rule's words use exactly the parameters of Go's English", () => {
    // en.ts carries Go's sentences (config/rules.go); zh-CN must name the same {params}.
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const differ = union('SettingsRule').filter(
      (c) => names(zhCN[`rule.${c}` as keyof typeof zhCN]).join() !== names(en[`rule.${c}` as keyof typeof en]).join(),
    );
    expect(differ).toEqual([]);
  });
});

describe('a Problem from Go reads in the window language', () => {
  afterEach(() => {
    uninstallFakeGo();
    setLocale('en');
  });

  /** The error a Save that Go rejects with problem becomes, in locale. */
  async function rejectedSaveIn(locale: 'en' | 'zh-CN', problem: object): Promise<BackendError> {
    installFakeGo({ SettingsService: { Save: vi.fn(() => Promise.reject(problem)) } });
    setLocale(locale);
    return (await settingsApi.save({} as never).catch((e: BackendError) => e)) as BackendError;
  }

  it('words a rejected call by its code and params', async () => {
    const problem = {
      code: 'no_permission',
      params: { path: '/srv/a.md', dir: '/srv' },
      message: 'export conversation: cannot save /srv/a.md: no permission to write in /srv: permission denied',
    };
    const err = await rejectedSaveIn('zh-CN', problem);
    expect(err.message).toBe('无法保存 /srv/a.md：没有写入 /srv 的权限。');
    expect(err.code).toBe('no_permission');
    setLocale('en');
    expect(problemText(problem as never)).toBe('Cannot save /srv/a.md: no permission to write in /srv.');
  });

  it('words refused settings by the first bad field and its rule, and counts the rest', async () => {
    // What desktop.FormatError sends for config.Settings.Validate's joined FieldErrors.
    const problem = {
      code: 'settings_invalid',
      rule: 'default_or_range',
      params: { field: 'routing.keyRestSeconds', default: '60', max: '3600', more: '2' },
      message: 'routing.keyRestSeconds: must be 0 (the default, 60) or 1..3600\ntheme: must be "system", "light" or "dark"\nlanguage: …',
    };
    const err = await rejectedSaveIn('zh-CN', problem);
    expect(err.message).toBe('未保存：routing.keyRestSeconds 必须为 0（默认，60）或 1 到 3600。（另有 2 项设置也无效。）');
    expect(err.code).toBe('settings_invalid');
    setLocale('en');
    expect(problemText(problem as never)).toBe(
      'Not saved: routing.keyRestSeconds must be 0 (the default, 60) or 1..3600. (2 more fields are not valid either.)',
    );
    const one = { ...problem, params: { field: 'endpoint.port' }, rule: 'port' };
    expect(problemText(one as never)).toBe('Not saved: endpoint.port must be 1..65535.');
    // A rule from a newer Go: its English, whole.
    expect(problemText({ ...problem, rule: 'from_a_newer_go' } as never)).toBe(problem.message);
  });

  it('words the reason a settings file was refused at start, when Go names its rule', () => {
    const moved = {
      code: 'settings_moved',
      rule: 'port',
      params: { problem: 'endpoint.port: must be 1..65535; theme: must be …', movedTo: '/c/settings.json.corrupt-1', field: 'endpoint.port', more: '1' },
      message: 'Your settings file could not be used (…), so ThinkCloud started with default settings. The old file was moved to /c/settings.json.corrupt-1.',
    };
    setLocale('zh-CN');
    expect(problemText(moved as never)).toBe(
      '设置文件无法使用（endpoint.port: 必须在 1 到 65535 之间，另有 1 项），ThinkCloud 已使用默认设置启动。旧文件已移到 /c/settings.json.corrupt-1。',
    );
    setLocale('en');
    expect(problemText(moved as never)).toBe(
      'Your settings file could not be used (endpoint.port: must be 1..65535, and 1 more), so ThinkCloud started with default settings. The old file was moved to /c/settings.json.corrupt-1.',
    );
    setLocale('zh-CN');
    // Bad JSON names its line and no field: no "field: " before the reason;
    // encoding/json's own words (detail) stay English.
    const detail = "invalid character 'o' looking for beginning of object key string";
    const json = { ...moved, rule: 'json_syntax', params: { problem: `invalid JSON on line 3: ${detail}`, movedTo: '/c/x', field: '', line: '3', detail } };
    expect(problemText(json as never)).toBe(`设置文件无法使用（第 3 行不是有效的 JSON：${detail}），ThinkCloud 已使用默认设置启动。旧文件已移到 /c/x。`);
    setLocale('en');
    expect(problemText(json as never)).toBe(
      `Your settings file could not be used (invalid JSON on line 3: ${detail}), so ThinkCloud started with default settings. The old file was moved to /c/x.`,
    );
    setLocale('zh-CN');
    // A rule this build has no words for keeps Go's English reason, in the Chinese sentence.
    const unknown = { ...moved, rule: 'from_a_newer_go', params: { problem: 'some newer reason', movedTo: '/c/x' } };
    expect(problemText(unknown as never)).toBe('设置文件无法使用（some newer reason），ThinkCloud 已使用默认设置启动。旧文件已移到 /c/x。');
    setLocale('en');
  });

  it("keeps Go's English for a code this window does not know", () => {
    expect(problemKey('from_a_newer_go')).toBeUndefined();
    expect(problemText({ code: 'from_a_newer_go' as never, message: 'newer words' })).toBe('newer words');
  });
});
