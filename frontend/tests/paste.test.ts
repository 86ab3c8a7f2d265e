import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEvent, fireEvent, render, screen } from '@testing-library/svelte';
import Composer from '../src/components/chat/Composer.svelte';
import type { ModelInfo } from '../src/api';
import { models } from '../src/stores/models.svelte';
import { chat } from '../src/stores/chat.svelte';
import { pasteMayHoldImage } from '../src/stores/clipboard';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const vision: ModelInfo = {
  id: 'vis', provider: 'openai', providerName: 'OpenAI', upstream: 'vis', contextWindow: 1000, reasoning: false, vision: true,
  tools: false, thinkingToggle: false, available: true, source: 'builtin', retired: false, defaults: null,
} as ModelInfo;

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

/** A paste event as WebKitGTK delivers one for a copied image: no files, no types. */
function paste(el: Element, types: string[] = []) {
  const ev = createEvent.paste(el);
  Object.defineProperty(ev, 'clipboardData', { value: { items: [], types, getData: () => '' } });
  return fireEvent(el, ev);
}

beforeEach(() => {
  setLocale('en');
  models.list = [vision];
  chat.newChat('vis');
});
afterEach(() => uninstallFakeGo());

describe('pasting an image WebKitGTK gives the page no file for', () => {
  it('asks Go for the clipboard image and attaches it', async () => {
    const ClipboardImage = vi.fn(async () => PNG);
    installFakeGo({ ChatService: { ClipboardImage } });
    render(Composer);
    await paste(screen.getByTestId('composer-input'));
    await vi.waitFor(() => expect(ClipboardImage).toHaveBeenCalledTimes(1));
    await vi.waitFor(() => expect(document.querySelector(`img[src="${PNG}"]`)).not.toBeNull());
  });

  it('a text paste is left to the browser', async () => {
    const ClipboardImage = vi.fn(async () => PNG);
    installFakeGo({ ChatService: { ClipboardImage } });
    render(Composer);
    await paste(screen.getByTestId('composer-input'), ['text/plain']);
    expect(ClipboardImage).not.toHaveBeenCalled();
    expect(pasteMayHoldImage(['text/plain', 'image/png'])).toBe(true);
  });

  it("says why when Go cannot read the clipboard", async () => {
    installFakeGo({
      ChatService: {
        ClipboardImage: async () => {
          throw new Error('reading an image from the clipboard needs wl-clipboard (Wayland) or xclip (X11); install one of them');
        },
      },
    });
    render(Composer);
    await paste(screen.getByTestId('composer-input'));
    await vi.waitFor(() => expect(screen.getByText(/Could not paste the image: .*xclip/)).toBeTruthy());
  });
});

describe('links that fail to open', () => {
  it('say why, and copy the link', async () => {
    const { default: Markdown } = await import('../src/components/chat/Markdown.svelte');
    const { ui } = await import('../src/stores/ui.svelte');
    const OpenLink = vi.fn(async () => {
      throw new Error("xdg-open could not open the link: no method available for opening 'https://example.com'");
    });
    const fake = installFakeGo({ ChatService: { OpenLink } });
    render(Markdown, { props: { source: '[site](https://example.com)' } });
    await fireEvent.click(screen.getByTestId('markdown').querySelector('a')!);
    expect(OpenLink).toHaveBeenCalledWith('https://example.com');
    await vi.waitFor(() => expect(ui.error).toContain('Could not open https://example.com: xdg-open could not open the link'));
    const rt = (window as unknown as { runtime: { ClipboardSetText: ReturnType<typeof vi.fn> } }).runtime;
    expect(rt.ClipboardSetText).toHaveBeenCalledWith('https://example.com');
    ui.error = '';
    void fake;
  });
});
