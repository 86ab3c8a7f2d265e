import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import ShortcutsHelp from '../src/components/sidebar/ShortcutsHelp.svelte';

describe('shortcuts tooltip', () => {
  it('Esc closes it', async () => {
    render(ShortcutsHelp);
    const btn = screen.getByTestId('shortcuts-help');
    await fireEvent.mouseEnter(btn);
    expect(screen.getByTestId('shortcuts-tooltip')).toBeTruthy();
    await fireEvent.keyDown(btn, { key: 'Escape' });
    expect(screen.queryByTestId('shortcuts-tooltip')).toBeNull();
  });
});
