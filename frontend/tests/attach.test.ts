import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEvent, fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import Composer from '../src/components/chat/Composer.svelte';
import UserMessage from '../src/components/chat/UserMessage.svelte';
import type { AttachResult, Attachment, ModelInfo } from '../src/api';
import { models } from '../src/stores/models.svelte';
import { chat, ChatStore, type ChatDeps, type ChatMessage } from '../src/stores/chat.svelte';
import { addResult, formatSize, MAX_ATTACHMENTS, MAX_TOTAL_TEXT, type Draft } from '../src/lib/attachments';
import { setLocale } from '../src/lib/i18n/index.svelte';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

const textOnly = {
  id: 'deepseek-v4-pro', provider: 'deepseek', providerName: 'DeepSeek', upstream: 'deepseek-v4-pro', contextWindow: 1000,
  reasoning: false, vision: false, tools: false, thinkingToggle: false, available: true, source: 'builtin', retired: false, defaults: null,
} as ModelInfo;
const goFile: Attachment = { name: 'main.go', kind: 'code', lang: 'go', size: 2048, text: 'package main\n' };
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('the draft: limits and refusals', () => {
  it('adds files and images, and says why Go refused one', () => {
    const d: Draft = { images: [], files: [] };
    expect(addResult(d, { name: 'main.go', file: goFile })).toBeNull();
    expect(addResult(d, { name: 'a.png', image: PNG })).toBeNull();
    expect(addResult(d, { name: '' })).toBeNull(); // a cancelled dialog
    expect(d).toEqual({ images: [PNG], files: [goFile] });
    expect(addResult(d, { name: 'a.exe', problem: 'binary' })).toEqual({ key: 'attach.binary', values: expect.objectContaining({ name: 'a.exe' }) });
    expect(addResult(d, { name: 'scan.pdf', problem: 'pdf_no_text' })?.key).toBe('attach.pdfNoText');
    expect(d.files).toHaveLength(1);
  });

  it('stops at the number of attachments and at the total text', () => {
    const d: Draft = { images: Array(MAX_ATTACHMENTS).fill(PNG), files: [] };
    expect(addResult(d, { name: 'x.txt', file: goFile })?.key).toBe('attach.tooMany');
    const half = { ...goFile, text: 'x'.repeat(MAX_TOTAL_TEXT / 2) };
    const e: Draft = { images: [], files: [half, half] };
    // Go counts UTF-8 bytes: one CJK character is three.
    expect(addResult(e, { name: '中.txt', file: { ...goFile, name: '中.txt', text: '中' } })?.key).toBe('attach.totalTooLarge');
    expect(e.files).toHaveLength(2);
  });

  it('sizes read as people read them', () => {
    expect([formatSize(512), formatSize(2048), formatSize(3.4 * 1024 * 1024)]).toEqual(['512 B', '2 KB', '3.4 MB']);
  });
});

/** Drops files on el as a browser does: dragover, then drop, both carrying the files. */
async function drop(el: Element, files: File[]) {
  const dataTransfer = { files, types: ['Files'] };
  const over = createEvent.dragOver(el);
  Object.defineProperty(over, 'dataTransfer', { value: dataTransfer });
  await fireEvent(el, over);
  expect(over.defaultPrevented).toBe(true);
  const ev = createEvent.drop(el);
  Object.defineProperty(ev, 'dataTransfer', { value: dataTransfer });
  await fireEvent(el, ev);
}

describe('composer attachments', () => {
  beforeEach(() => {
    setLocale('en');
    models.list = [textOnly];
    chat.newChat('deepseek-v4-pro');
  });
  afterEach(() => uninstallFakeGo());

  it('the attach button asks Go; the file shows as a removable chip and is sent with the text', async () => {
    const Pick = vi.fn(async (): Promise<AttachResult[]> => [{ name: 'main.go', file: goFile }]);
    installFakeGo({ AttachService: { Pick } });
    const send = vi.spyOn(chat, 'send').mockResolvedValue(true);
    render(Composer);
    await fireEvent.click(screen.getByTestId('attach'));
    await vi.waitFor(() => expect(screen.getByTestId('file-chip')).toBeTruthy());
    expect(Pick).toHaveBeenCalledWith('Attach files');
    expect(screen.getByTestId('file-chip').textContent).toMatch(/main\.go\s*go · 2 KB/);
    // A file alone can be sent; then the chip goes with it.
    await fireEvent.click(screen.getByTestId('send'));
    expect(send).toHaveBeenCalledWith('', [], [goFile]);
    await tick();
    expect(screen.queryByTestId('file-chip')).toBeNull();
  });

  it('removes a chip', async () => {
    installFakeGo({ AttachService: { Pick: async () => [{ name: 'main.go', file: goFile }] } });
    render(Composer);
    await fireEvent.click(screen.getByTestId('attach'));
    await vi.waitFor(() => expect(screen.getByTestId('file-chip')).toBeTruthy());
    await fireEvent.click(screen.getByLabelText('Remove main.go'));
    expect(screen.queryByTestId('file-chip')).toBeNull();
    expect((screen.getByTestId('send') as HTMLButtonElement).disabled).toBe(true);
  });

  it('a dropped text file goes to Go as base64; a refused one is named, in Chinese too', async () => {
    const FromData = vi.fn(async (name: string, data: string): Promise<AttachResult> =>
      name === 'notes.md' ? { name, file: { name, kind: 'text', lang: 'markdown', size: 5, text: atob(data) } } : { name, problem: 'binary' });
    installFakeGo({ AttachService: { FromData } });
    render(Composer);
    await drop(screen.getByTestId('composer'), [new File(['hello'], 'notes.md', { type: 'text/markdown' })]);
    await vi.waitFor(() => expect(screen.getByTestId('file-chip-name').textContent).toBe('notes.md'));
    expect(FromData).toHaveBeenCalledWith('notes.md', btoa('hello'));
    setLocale('zh-CN');
    await drop(screen.getByTestId('composer'), [new File([new Uint8Array([0, 1, 2])], 'a.bin')]);
    await vi.waitFor(() => expect(screen.getByText('a.bin 不是文本文件、PDF 或图片，未添加。')).toBeTruthy());
    setLocale('en');
  });

  it('a dropped image for a model that cannot read images is kept, with a warning, and sending waits', async () => {
    installFakeGo({});
    render(Composer);
    await drop(screen.getByTestId('composer'), [new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'cat.png', { type: 'image/png' })]);
    await vi.waitFor(() => expect(screen.getByTestId('images-unsupported')).toBeTruthy());
    expect(screen.getByTestId('images-unsupported').textContent).toContain('cannot read images');
    const ta = screen.getByTestId('composer-input') as HTMLTextAreaElement;
    await fireEvent.input(ta, { target: { value: 'what is this?' } });
    expect((screen.getByTestId('send') as HTMLButtonElement).disabled).toBe(true);
    // Removing it lets the text go.
    await fireEvent.click(screen.getByTestId('attachment-remove'));
    expect((screen.getByTestId('send') as HTMLButtonElement).disabled).toBe(false);
  });

  it('several files from one dialog: each readable one is a chip, an unreadable one is named with why', async () => {
    setLocale('zh-CN');
    installFakeGo({
      AttachService: {
        Pick: async (): Promise<AttachResult[]> => [
          { name: 'main.go', file: goFile },
          { name: 'gone.txt', problem: 'unreadable', detail: 'cannot read /x/gone.txt: no such file or directory' },
        ],
      },
    });
    render(Composer);
    await fireEvent.click(screen.getByTestId('attach'));
    await vi.waitFor(() => expect(screen.getByText('无法读取 gone.txt（cannot read /x/gone.txt: no such file or directory），未添加。')).toBeTruthy());
    expect(screen.getAllByTestId('file-chip').map((c) => c.querySelector('[data-testid=file-chip-name]')?.textContent)).toEqual(['main.go']);
    setLocale('en');
  });

  it('says why when Go could not read the file', async () => {
    installFakeGo({ AttachService: { Pick: async () => { throw new Error('cannot read /x: permission denied'); } } });
    render(Composer);
    await fireEvent.click(screen.getByTestId('attach'));
    await vi.waitFor(() => expect(screen.getByText('Could not attach the file: cannot read /x: permission denied')).toBeTruthy());
  });
});

describe('a sent message with files', () => {
  it('shows a chip per file with its name, kind and size', () => {
    setLocale('en');
    const msg = {
      id: 'u1', conversationId: 'c1', role: 'user', content: 'What does it do?', reasoning: '', images: null,
      attachments: [goFile, { name: '报告.pdf', kind: 'pdf', size: 3 * 1024 * 1024, text: '季度' }],
      model: '', provider: '', status: 'complete', error: '', errorKind: '', usage: null, stats: null, createdAt: '', parentId: '', versions: null,
    } as ChatMessage;
    render(UserMessage, { props: { msg } });
    const chips = screen.getAllByTestId('file-chip');
    expect(chips.map((c) => c.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['main.go go · 2 KB', '报告.pdf PDF · 3.0 MB']);
    expect(screen.getByTestId('message-content').textContent).toBe('What does it do?');
  });

  it('the store sends the files to Go and keeps them on the shown message', async () => {
    const send = vi.fn(async () => ({ conversationId: 'c1', userMessageId: 'u1', assistantMessageId: 'a1' }));
    const deps = {
      chat: { send, regenerate: vi.fn(), edit: vi.fn(), stop: vi.fn(), onStream: vi.fn(() => () => {}) },
      history: { get: vi.fn(), setModel: vi.fn(async () => {}), setSystem: vi.fn(async () => {}) },
      modelInfo: () => textOnly, onConversationsChanged: vi.fn(), onModelChosen: vi.fn(), onError: vi.fn(),
      schedule: (fn: () => void) => fn(), newStreamId: () => 's1',
    } as unknown as ChatDeps;
    const store = new ChatStore(deps);
    store.newChat(textOnly.id);
    await store.send('explain', [], [goFile]);
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ text: 'explain', attachments: [goFile] }));
    expect(store.messages[0]!.attachments).toEqual([goFile]);
  });
});
