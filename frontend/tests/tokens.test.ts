import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import EndpointTokens from '../src/components/settings/EndpointTokens.svelte';
import ProviderBalance from '../src/components/settings/ProviderBalance.svelte';
import type { TokenInfo, TokenLimits } from '../src/api';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const SECRET = 'tc-Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWpr';

// A fake SettingsService holding tokens as Go does: the secret only in
// CreateToken's answer.
function fakeTokens() {
  const list: TokenInfo[] = [];
  const api = {
    Tokens: vi.fn(async () => list.map((t) => ({ ...t }))),
    CreateToken: vi.fn(async (name: string, limits: TokenLimits) => {
      const tok: TokenInfo = {
        id: 'tok_' + list.length, name, hash: 'h', hint: 'tc-…hijk', created: '2026-12-02T10:00:00Z',
        models: limits.models ?? undefined, rpm: limits.rpm, budgetText: limits.budget, spentThisPeriod: 0,
        stats: { requests: 0, tokens: 0, lastUsed: '0001-01-01T00:00:00Z', spend: null },
      };
      list.push(tok);
      return { secret: SECRET, token: tok };
    }),
    RenameToken: vi.fn(async (old: string, name: string) => { list.find((t) => t.name === old)!.name = name; }),
    SetTokenLimits: vi.fn(async () => {}),
    RevokeToken: vi.fn(async (name: string) => { list.splice(list.findIndex((t) => t.name === name), 1); }),
  };
  installFakeGo({ SettingsService: api });
  return api;
}

beforeEach(() => setLocale('en'));
afterEach(() => uninstallFakeGo());

describe('settings: tokens for tools', () => {
  it('creates a token, shows its secret once, then only its hint; revokes it', async () => {
    const api = fakeTokens();
    const user = userEvent.setup();
    render(EndpointTokens);
    await vi.waitFor(() => expect(screen.getByTestId('tokens-empty')).toBeTruthy());
    await user.type(screen.getByTestId('token-name'), 'cursor');
    await user.type(screen.getByTestId('token-models'), 'deepseek, gpt-6-luna');
    await user.type(screen.getByTestId('token-budget'), '5USD/month');
    await user.click(screen.getByTestId('token-create'));
    expect(api.CreateToken).toHaveBeenCalledWith('cursor', { models: ['deepseek', 'gpt-6-luna'], rpm: 0, budget: '5USD/month' });
    await vi.waitFor(() => expect(screen.getByTestId('token-secret').textContent).toContain(SECRET));
    expect(screen.getByTestId('token-row').textContent).toContain('cursor');
    expect(screen.getByTestId('token-row').textContent).toContain('5USD/month');
    await user.click(screen.getByText('Done'));
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(screen.getByTestId('token-row').textContent).toContain('tc-…hijk');

    await user.click(screen.getByTestId('token-revoke'));
    await user.click(screen.getByTestId('token-revoke-yes'));
    expect(api.RevokeToken).toHaveBeenCalledWith('cursor');
    await vi.waitFor(() => expect(screen.getByTestId('tokens-empty')).toBeTruthy());
  });

  it('shows Go errors plainly and keeps the form', async () => {
    const api = fakeTokens();
    api.CreateToken.mockImplementationOnce(() => Promise.reject('budget "5": write an amount, a currency and day or month'));
    const user = userEvent.setup();
    render(EndpointTokens);
    await user.type(screen.getByTestId('token-name'), 'ci');
    await user.type(screen.getByTestId('token-budget'), '5');
    await user.click(screen.getByTestId('token-create'));
    await vi.waitFor(() => expect(document.body.textContent).toContain('write an amount'));
    expect((screen.getByTestId('token-name') as HTMLInputElement).value).toBe('ci');
  });
});

describe('settings: provider balance', () => {
  it('asks Go for the balance on demand and shows it per currency', async () => {
    const Balance = vi.fn(async () => [{ currency: 'CNY', amount: 110 }]);
    installFakeGo({ SettingsService: { Balance } });
    const user = userEvent.setup();
    render(ProviderBalance, { props: { provider: 'deepseek' } });
    expect(Balance).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('provider-balance-check'));
    expect(Balance).toHaveBeenCalledWith('deepseek');
    await vi.waitFor(() => expect(screen.getByTestId('provider-balance-value').textContent).toContain('110.00 CNY'));
  });
});
