import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import SettingsView from '../src/components/settings/SettingsView.svelte';
import type { ProviderView } from '../src/api';
import { reveal } from '../src/lib/reveal';
import { settings } from '../src/stores/settings.svelte';
import { ui } from '../src/stores/ui.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';
import { providerView } from './fixtures';

// jsdom has no layout: scrollTop is always 0 and scrollIntoView does nothing.
// This fake layout gives every element a writable scrollTop, a box read from
// data attributes, and a scrollIntoView that does what WebKitGTK's does:
// scroll every ancestor, the overflow:hidden app shell included.
const tops = new WeakMap<Element, number>();
let restore: (() => void)[] = [];
function fakeLayout(): void {
  const st = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTop')!;
  Object.defineProperty(Element.prototype, 'scrollTop', {
    configurable: true,
    get(this: Element) {
      return tops.get(this) ?? 0;
    },
    set(this: Element, v: number) {
      tops.set(this, v);
    },
  });
  const sh = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollHeight')!;
  Object.defineProperty(Element.prototype, 'scrollHeight', { configurable: true, get: () => 5000 });
  const ch = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight')!;
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 400 });
  const rect = vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const top = Number((this as HTMLElement).dataset?.fakeTop ?? 0) - (tops.get(this.parentElement!) ?? 0);
    const height = Number((this as HTMLElement).dataset?.fakeHeight ?? 400);
    return { top, bottom: top + height, height, left: 0, right: 0, width: 0, x: 0, y: top, toJSON: () => ({}) } as DOMRect;
  });
  const siv = Element.prototype.scrollIntoView;
  Element.prototype.scrollIntoView = function (this: Element) {
    for (let p = this.parentElement; p; p = p.parentElement) tops.set(p, 100);
    tops.set(document.documentElement, 100);
  };
  restore = [
    () => Object.defineProperty(Element.prototype, 'scrollTop', st),
    () => Object.defineProperty(Element.prototype, 'scrollHeight', sh),
    () => Object.defineProperty(Element.prototype, 'clientHeight', ch),
    () => rect.mockRestore(),
    () => (Element.prototype.scrollIntoView = siv),
  ];
}

const pv = (id: string): ProviderView =>
  providerView({ id, name: id, key: { provider: id, hasKey: false, source: 'none', hint: '', envVar: '', error: '' }, modelCount: 1 });

beforeEach(() => setLocale('en'));
afterEach(() => {
  restore.forEach((f) => f());
  restore = [];
  uninstallFakeGo();
  ui.view = 'chat';
  ui.focusProvider = '';
});

describe('reveal', () => {
  it('moves only the scroller it is given', () => {
    fakeLayout();
    const outer = document.createElement('div');
    const sc = document.createElement('div');
    const el = document.createElement('div');
    el.dataset.fakeTop = '1000';
    el.dataset.fakeHeight = '50';
    sc.append(el);
    outer.append(sc);
    document.body.append(outer);
    expect(reveal(el, 'start', sc)).toBe(true);
    expect(sc.scrollTop).toBe(1000);
    reveal(el, 'nearest', sc); // already visible: no move
    expect(sc.scrollTop).toBe(1000);
    sc.scrollTop = 0;
    reveal(el, 'nearest', sc); // below: bottom edge aligned
    expect(sc.scrollTop).toBe(1000 + 50 - 400);
    sc.scrollTop = 0;
    reveal(el, 'center', sc);
    expect(sc.scrollTop).toBe(1000 - (400 - 50) / 2);
    expect(outer.scrollTop).toBe(0);
    expect(document.body.scrollTop).toBe(0);
    outer.remove();
  });
});

describe('the app shell does not scroll away', () => {
  it('"Open settings" for a provider scrolls the settings panel, never the root', async () => {
    installFakeGo({
      SettingsService: {
        Providers: vi.fn(async () => [pv('deepseek'), pv('openai'), pv('kimi')]),
      },
    });
    fakeLayout();
    settings.providers = [pv('deepseek'), pv('openai'), pv('kimi')];
    ui.openSettings('providers', 'kimi');
    render(SettingsView);
    expect(screen.getByTestId('settings-view')).toBeTruthy();
    const panel = document.querySelector<HTMLElement>('[role=tabpanel]')!;
    await vi.waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe('key-input'));
    expect(document.documentElement.scrollTop).toBe(0);
    expect(document.body.scrollTop).toBe(0);
    for (let p = panel.parentElement; p; p = p.parentElement) expect(p.scrollTop).toBe(0);
  });
});
