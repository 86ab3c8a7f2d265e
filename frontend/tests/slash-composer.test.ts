import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import Composer from '../src/components/chat/Composer.svelte';
import type { ModelInfo } from '../src/api';
import { models } from '../src/stores/models.svelte';
import { chat } from '../src/stores/chat.svelte';
import { assistants } from '../src/stores/assistants.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';

const m = { id: 'deepseek-flash', provider: 'deepseek', providerName: 'DeepSeek', upstream: 'deepseek-flash', contextWindow: 1000,
  reasoning: false, vision: false, tools: false, thinkingToggle: false, available: true, source: 'builtin', retired: false, defaults: null } as ModelInfo;

/** Types value into the message box with the caret at its end, as a person would. */
async function type(ta: HTMLTextAreaElement, value: string) {
  ta.value = value;
  ta.setSelectionRange(value.length, value.length);
  await fireEvent.input(ta);
}

beforeEach(() => {
  setLocale('en');
  models.list = [m];
  chat.newChat('deepseek-flash');
  assistants.replace({ prompts: [
    { id: 'fix', name: 'Fix grammar', text: 'Fix the grammar of this text:\n' },
    { id: 'tldr', name: 'Summarise', text: 'Summarise in three lines:\n' },
  ] });
});

describe('"/" in the composer', () => {
  it('offers the saved prompts and Enter inserts the chosen one instead of sending', async () => {
    const send = vi.spyOn(chat, 'send').mockResolvedValue(true);
    render(Composer);
    const ta = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    await type(ta, 'Please help.\n/');
    expect(screen.getAllByTestId('prompt-option').map((b) => b.textContent)).toEqual([
      expect.stringContaining('/Fix grammar'), expect.stringContaining('/Summarise'),
    ]);
    await fireEvent.keyDown(ta, { key: 'ArrowDown' });
    await fireEvent.keyDown(ta, { key: 'Enter' });
    await tick();
    expect(send).not.toHaveBeenCalled();
    expect(ta.value).toBe('Please help.\nSummarise in three lines:\n');
    expect(screen.queryByTestId('prompt-menu')).toBeNull();
  });

  it('filters by what follows the slash and a click inserts', async () => {
    render(Composer);
    const ta = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    await type(ta, '/fix');
    const options = screen.getAllByTestId('prompt-option');
    expect(options).toHaveLength(1);
    await fireEvent.mouseDown(options[0]!);
    await tick();
    expect(ta.value).toBe('Fix the grammar of this text:\n');
  });

  it('Esc closes the menu and keeps the text; a slash inside a word opens nothing', async () => {
    const send = vi.spyOn(chat, 'send').mockResolvedValue(true);
    render(Composer);
    const ta = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    await type(ta, '/su');
    await fireEvent.keyDown(ta, { key: 'Escape' });
    await tick();
    expect(screen.queryByTestId('prompt-menu')).toBeNull();
    expect(ta.value).toBe('/su');
    await type(ta, 'and/or');
    expect(screen.queryByTestId('prompt-menu')).toBeNull();
    await fireEvent.keyDown(ta, { key: 'Enter' });
    expect(send).toHaveBeenCalledWith('and/or', []);
  });
});
