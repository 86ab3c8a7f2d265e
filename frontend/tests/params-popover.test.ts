import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ParamsPopover from '../src/components/chat/ParamsPopover.svelte';
import type { ModelInfo } from '../src/api';
import { models } from '../src/stores/models.svelte';
import { chat } from '../src/stores/chat.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { modelInfo } from './fixtures';

const model = (id: string, extra: Partial<ModelInfo> = {}): ModelInfo => modelInfo(id, { provider: 'kimi', providerName: 'Kimi', contextWindow: 262144, reasoning: true, ...extra });

beforeEach(() => setLocale('en'));

async function open(m: ModelInfo) {
  models.list = [m];
  chat.newChat(m.id);
  render(ParamsPopover);
  await userEvent.click(screen.getByTestId('params-button'));
}

describe('parameters popover', () => {
  it('shows fixed parameters disabled with the reason, and only the efforts the model takes', async () => {
    await open(model('k3', { think: { mode: 'always', efforts: ['low', 'high', 'max'] }, fixed: ['temperature', 'top_p'] }));
    expect((screen.getByTestId('param-temperature') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId('param-topP') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId('param-maxTokens') as HTMLInputElement).disabled).toBe(false);
    expect(screen.getByTestId('params-fixed-note').textContent).toContain('k3 fixes this parameter');
    const efforts = [...(screen.getByTestId('param-reasoningEffort') as HTMLSelectElement).options].map((o) => o.value);
    expect(efforts).toEqual(['', 'low', 'high', 'max']);
    expect(screen.queryByTestId('param-thinking')).toBeNull(); // it always thinks
    expect(screen.queryByTestId('param-thinkingBudget')).toBeNull();
  });

  it('offers the switch and a budget where the model takes them, and disables the budget when off', async () => {
    await open(model('qwen', { provider: 'dashscope', think: { mode: 'optional', budgetMax: 81920 } }));
    const budget = screen.getByTestId('param-thinkingBudget') as HTMLInputElement;
    expect(budget.max).toBe('81920');
    expect(screen.queryByTestId('param-reasoningEffort')).toBeNull();
    await userEvent.selectOptions(screen.getByTestId('param-thinking'), 'off');
    expect(chat.params.thinking).toBe(false);
    expect((screen.getByTestId('param-thinkingBudget') as HTMLInputElement).disabled).toBe(true);
  });
});
