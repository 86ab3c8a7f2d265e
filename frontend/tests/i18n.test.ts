import { describe, expect, it } from 'vitest';
import { en } from '../src/lib/i18n/en';
import { zhCN } from '../src/lib/i18n/zh-CN';
import { detectSystemLocale, format, i18n, resolveLocale, setLocale, t } from '../src/lib/i18n/index.svelte';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n dictionaries', () => {
  it('en and zh-CN have exactly the same keys', () => {
    const a = Object.keys(en).sort();
    const b = Object.keys(zhCN).sort();
    expect(b.filter((k) => !a.includes(k))).toEqual([]); // extra in zh-CN
    expect(a.filter((k) => !b.includes(k))).toEqual([]); // missing in zh-CN
    expect(b).toEqual(a);
  });

  it('every translation uses the same placeholders and is non-empty', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
      expect(zhCN[key].trim(), key).not.toBe('');
    }
  });

  it('the thinking label reads naturally in both languages', () => {
    setLocale('en');
    expect(t('chat.thoughtFor', { s: '3.2' })).toBe('Thought for 3.2s');
    setLocale('zh-CN');
    expect(t('chat.thoughtFor', { s: '3.2' })).toBe('已思考 3.2 秒');
    expect(i18n.locale).toBe('zh-CN');
    setLocale('en');
  });
});

describe('locale selection', () => {
  it('"" follows the system locale; explicit settings win', () => {
    expect(resolveLocale('', ['zh-TW', 'en-US'])).toBe('zh-CN');
    expect(resolveLocale('', ['en-GB', 'zh-CN'])).toBe('en');
    expect(resolveLocale('', ['de-DE'])).toBe('en');
    expect(resolveLocale('en', ['zh-CN'])).toBe('en');
    expect(resolveLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(detectSystemLocale(['zh'])).toBe('zh-CN');
  });

  it('format leaves unknown placeholders alone', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
