import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import ExportDialog from '../src/components/sidebar/ExportDialog.svelte';
import Sidebar from '../src/components/sidebar/Sidebar.svelte';
import { historyApi, type ConversationView } from '../src/api';
import { ui } from '../src/stores/ui.svelte';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const conv: ConversationView = {
  id: 'c2',
  title: 'Imported',
  model: 'deepseek-flash',
  provider: 'deepseek',
  system: '',
  params: null,
  pinned: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

beforeEach(() => setLocale('en'));
afterEach(() => {
  uninstallFakeGo();
  ui.toast = '';
  ui.error = '';
});

describe('export dialog', () => {
  const renderDialog = (ExportFile: (id: string, format: string) => Promise<string>) => {
    const onclose = vi.fn();
    const fake = vi.fn(ExportFile);
    installFakeGo({ HistoryService: { ExportMarkdown: async () => '# Sky\n', ExportFile: fake } });
    render(ExportDialog, { id: 'c1', format: 'markdown', onclose });
    return { onclose, ExportFile: fake };
  };

  it('Save as asks Go for the file, then says where it went and closes', async () => {
    const { onclose, ExportFile } = renderDialog(async () => '/home/me/Sky.md');
    await vi.waitFor(() => expect((screen.getByTestId('export-text') as HTMLTextAreaElement).value).toBe('# Sky\n'));
    await fireEvent.click(screen.getByTestId('export-save'));
    await vi.waitFor(() => expect(onclose).toHaveBeenCalled());
    expect(ExportFile).toHaveBeenCalledWith('c1', 'markdown', 'Export conversation as Markdown');
    expect(ui.toast).toBe('Saved to /home/me/Sky.md');
  });

  it('titles the native dialog in the window language', async () => {
    setLocale('zh-CN');
    try {
      const { ExportFile } = renderDialog(async () => '');
      await vi.waitFor(() => expect(screen.getByTestId('export-save').hasAttribute('disabled')).toBe(false));
      await fireEvent.click(screen.getByTestId('export-save'));
      await vi.waitFor(() => expect(ExportFile).toHaveBeenCalledWith('c1', 'markdown', '将对话导出为 Markdown'));
    } finally {
      setLocale('en');
    }
  });

  it('a cancelled dialog changes nothing', async () => {
    const { onclose, ExportFile } = renderDialog(async () => '');
    await vi.waitFor(() => expect(screen.getByTestId('export-save').hasAttribute('disabled')).toBe(false));
    await fireEvent.click(screen.getByTestId('export-save'));
    await vi.waitFor(() => expect(ExportFile).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 20)); // let save() finish
    expect(onclose).not.toHaveBeenCalled();
    expect(ui.toast).toBe('');
    expect(screen.queryByTestId('export-save-error')).toBeNull();
  });

  it('a failed save is shown in the dialog, which stays open with the text', async () => {
    const { onclose } = renderDialog(() => Promise.reject('cannot save /ro/Sky.md: no permission to write in /ro: permission denied'));
    await vi.waitFor(() => expect(screen.getByTestId('export-save').hasAttribute('disabled')).toBe(false));
    await fireEvent.click(screen.getByTestId('export-save'));
    await vi.waitFor(() => expect(screen.getByTestId('export-save-error').textContent).toContain('permission denied'));
    expect(onclose).not.toHaveBeenCalled();
    expect((screen.getByTestId('export-text') as HTMLTextAreaElement).value).toBe('# Sky\n');
  });
});

describe('import', () => {
  it('the import button asks Go for a file; null (cancelled) does nothing', async () => {
    const ImportFile = vi.fn(async () => null);
    installFakeGo({ HistoryService: { List: async () => [], ImportFile } });
    render(Sidebar);
    await fireEvent.click(screen.getByTestId('import-json'));
    await vi.waitFor(() => expect(ImportFile).toHaveBeenCalledTimes(1));
    expect(ImportFile).toHaveBeenCalledWith('Import conversation from JSON');
    await new Promise((r) => setTimeout(r, 20)); // let onImport() finish
    expect(ui.toast).toBe('');
    expect(ui.error).toBe('');
  });

  it('an import error is shown as it came from Go', async () => {
    installFakeGo({
      HistoryService: {
        List: async () => [],
        ImportFile: () => Promise.reject('/tmp/x.json: import conversation: invalid input: messages[1]: role "robot"'),
      },
    });
    render(Sidebar);
    await fireEvent.click(screen.getByTestId('import-json'));
    await vi.waitFor(() => expect(ui.error).toContain('messages[1]: role "robot"'));
  });

  it('historyApi.importFile returns the new conversation', async () => {
    installFakeGo({ HistoryService: { ImportFile: async () => conv } });
    expect(await historyApi.importFile('Import')).toEqual(conv);
  });
});
