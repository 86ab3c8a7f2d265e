import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ParamsPopover from '../src/components/chat/ParamsPopover.svelte';
import { chat } from '../src/stores/chat.svelte';
import { emptyParams } from '../src/lib/params';
import { placePopover } from '../src/lib/popover';
import { setLocale } from '../src/lib/i18n/index.svelte';

beforeEach(() => {
  setLocale('en');
  chat.setParams(emptyParams(''));
});
afterEach(() => chat.setParams(emptyParams('')));

describe('Parameters popover', () => {
  it('Esc keeps a number that was typed and not yet committed', async () => {
    const user = userEvent.setup();
    render(ParamsPopover);
    await user.click(screen.getByTestId('params-button'));
    await user.type(screen.getByTestId('param-temperature'), '0.3');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('params-popover')).toBeNull();
    expect(chat.params.temperature).toBe(0.3);
  });

  it('Esc keeps a system prompt that was typed', async () => {
    const user = userEvent.setup();
    render(ParamsPopover);
    await user.click(screen.getByTestId('params-button'));
    await user.type(screen.getByTestId('param-system'), 'Answer in French.');
    await user.keyboard('{Escape}');
    expect(chat.params.system).toBe('Answer in French.');
    // Reopened, it shows what was kept.
    await user.click(screen.getByTestId('params-button'));
    expect((screen.getByTestId('param-system') as HTMLTextAreaElement).value).toBe('Answer in French.');
  });

  it('a click elsewhere keeps what was typed too', async () => {
    const user = userEvent.setup();
    render(ParamsPopover);
    await user.click(screen.getByTestId('params-button'));
    await user.type(screen.getByTestId('param-maxTokens'), '512');
    await user.click(document.body);
    expect(screen.queryByTestId('params-popover')).toBeNull();
    expect(chat.params.maxTokens).toBe(512);
  });
});

describe('placePopover', () => {
  it('at 800×600 with the button low, opens above and fits', () => {
    const b = placePopover({ top: 420, bottom: 452, left: 300 }, 380, 560, 800, 600);
    expect(b.above).toBe(true);
    expect(b.maxHeight).toBeLessThanOrEqual(420 - 4 - 8);
  });
  it('below the button when it fits there; never taller than the room', () => {
    expect(placePopover({ top: 40, bottom: 72, left: 300 }, 380, 400, 800, 600)).toEqual({ above: false, maxHeight: 400, left: 0 });
    const b = placePopover({ top: 40, bottom: 72, left: 300 }, 380, 900, 800, 600);
    expect(b.above).toBe(false);
    expect(b.maxHeight).toBe(600 - 72 - 4 - 8);
  });
  it('slides left so the right edge stays in the window', () => {
    const b = placePopover({ top: 40, bottom: 72, left: 600 }, 380, 300, 800, 600);
    expect(600 + b.left + 380).toBeLessThanOrEqual(800 - 8);
    expect(600 + b.left).toBeGreaterThanOrEqual(8);
  });
});
