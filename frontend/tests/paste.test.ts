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
