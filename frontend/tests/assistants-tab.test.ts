import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import AssistantsTab from '../src/components/settings/AssistantsTab.svelte';
import { assistants } from '../src/stores/assistants.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';
import type { Assistants } from '../src/api';

const zhBuiltins = [{ id: 'builtin-reviewer', name: '代码审查', system: '审查代码。', builtin: true }];

beforeEach(() => {
  setLocale('zh-CN');
  assistants.replace({});
});
afterEach(() => uninstallFakeGo());

describe('Settings › Assistants', () => {
  it('lists the built-ins in Chinese and creates an assistant through Go', async () => {
    let stored: Assistants = {};
    const Save = vi.fn(async (a: Assistants) => {
      stored = a;
    });
    installFakeGo({ AssistantsService: { List: vi.fn(async (lang: string) => ({ builtins: lang === 'zh-CN' ? zhBuiltins : [], mine: stored })), Save } });
    render(AssistantsTab);
    await vi.waitFor(() => expect(screen.getByText('代码审查')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('assistant-new'));
    await fireEvent.input(screen.getByTestId('assistant-name'), { target: { value: 'Poet' } });
    await fireEvent.input(screen.getByTestId('assistant-system'), { target: { value: '写诗。' } });
    await fireEvent.input(screen.getByTestId('assistant-temperature'), { target: { value: '0.9' } });
    await fireEvent.click(screen.getByTestId('assistant-save'));
    await vi.waitFor(() => expect(Save).toHaveBeenCalled());
    expect(stored.presets).toEqual([{ id: 'poet', name: 'Poet', system: '写诗。', params: { temperature: 0.9 } }]);
    await vi.waitFor(() => expect(screen.queryByTestId('assistant-form')).toBeNull());
  });

  it('a save Go refuses keeps the form as typed and says why', async () => {
    installFakeGo({ AssistantsService: {
      List: vi.fn(async () => ({ builtins: zhBuiltins, mine: {} })),
      Save: vi.fn(async () => {
        throw 'assistants.presets[0].params.temperature: must be between 0 and 2';
      }),
    } });
    render(AssistantsTab);
    await fireEvent.click(await screen.findByTestId('assistant-new'));
    await fireEvent.input(screen.getByTestId('assistant-name'), { target: { value: 'Hot' } });
    await fireEvent.input(screen.getByTestId('assistant-temperature'), { target: { value: '9' } });
    await fireEvent.click(screen.getByTestId('assistant-save'));
    const err = await screen.findByTestId('assistant-error');
    expect(err.textContent).toContain('temperature');
    expect((screen.getByTestId('assistant-name') as HTMLInputElement).value).toBe('Hot');
    expect((screen.getByTestId('assistant-temperature') as HTMLInputElement).value).toBe('9');
    expect(assistants.saved.presets).toEqual([]);
  });
});
