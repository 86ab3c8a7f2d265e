import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, call, subscribe, toError } from '../src/api/bridge';
import { chatApi, historyApi, modelsApi, settingsApi } from '../src/api';
import { installFakeGo, uninstallFakeGo } from './fakeGo';

afterEach(uninstallFakeGo);

describe('api bridge', () => {
  it('wraps a plain-string rejection from Go into an Error with that message', async () => {
    installFakeGo({ SettingsService: { SetKey: vi.fn(() => Promise.reject('keyring locked: unlock it with seahorse')) } });
    const p = settingsApi.setKey('deepseek', 'sk-x');
    await expect(p).rejects.toBeInstanceOf(Error);
    await expect(p).rejects.toBeInstanceOf(BackendError);
    await expect(p).rejects.toThrow('keyring locked: unlock it with seahorse');
    await p.catch((e: BackendError) => expect(e.method).toBe('SettingsService.SetKey'));
  });

  it('wraps synchronous throws and odd rejection values too', async () => {
    installFakeGo({
      HistoryService: {
        Get: vi.fn(() => {
          throw 'boom';
        }),
        Delete: vi.fn(() => Promise.reject({ message: 'no such conversation' })),
        Pin: vi.fn(() => Promise.reject(undefined)),
      },
    });
    await expect(historyApi.get('x')).rejects.toThrow('boom');
    await expect(historyApi.remove('x')).rejects.toThrow('no such conversation');
    await expect(historyApi.pin('x', true)).rejects.toBeInstanceOf(Error);
  });

  it('rejects with an Error when the Go side is missing', async () => {
    uninstallFakeGo();
    await expect(modelsApi.list()).rejects.toThrow(/backend unavailable \(ModelsService.List\)/);
  });

  it('passes arguments through in contract order and returns results', async () => {
    const Regenerate = vi.fn(async () => ({ conversationId: 'c', userMessageId: 'u', assistantMessageId: 'a' }));
    installFakeGo({ ChatService: { Regenerate } });
    const params = {
      temperature: 0,
      topP: null,
      maxTokens: null,
      frequencyPenalty: null,
      presencePenalty: null,
      reasoningEffort: '' as const,
      thinking: null,
      system: '',
    };
    const res = await chatApi.regenerate('s1', 'c1', 'm1', 'deepseek-flash', params);
    expect(Regenerate).toHaveBeenCalledWith('s1', 'c1', 'm1', 'deepseek-flash', params);
    expect(res.assistantMessageId).toBe('a');
  });

  it('treats null lists from Go as empty arrays', async () => {
    installFakeGo({ ModelsService: { List: vi.fn(async () => null) }, HistoryService: { List: vi.fn(async () => null) } });
    expect(await modelsApi.list()).toEqual([]);
    expect(await historyApi.list(50, 0)).toEqual([]);
  });

  it('fans events out to several listeners and unsubscribes one without touching the others', () => {
    const fake = installFakeGo({});
    const a = vi.fn();
    const b = vi.fn();
    const offA = subscribe('chat:stream', a);
    subscribe('chat:stream', b);
    fake.emit('chat:stream', { seq: 1 });
    offA();
    fake.emit('chat:stream', { seq: 2 });
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
    expect(b).toHaveBeenLastCalledWith({ seq: 2 });
  });

  it('toError keeps Error instances and stringifies the rest', () => {
    expect(toError(new Error('x'), 'm').message).toBe('x');
    expect(toError(42, 'm').message).toBe('42');
    expect(toError('  spaced  ', 'm').message).toBe('spaced');
  });

  it('call() resolves values', async () => {
    installFakeGo({ SettingsService: { AccessToken: vi.fn(async () => 'tok') } });
    const token: string = await call('SettingsService', 'AccessToken');
    expect(token).toBe('tok');
  });

  it('call() and subscribe() are typed by the Go contract (types.ts)', async () => {
    installFakeGo({});
    // @ts-expect-error Go binds no such method
    await expect(call('SettingsService', 'Nope')).rejects.toThrow('backend unavailable');
    // @ts-expect-error Send takes a SendRequest
    await expect(call('ChatService', 'Send', 'hi')).rejects.toThrow('backend unavailable');
    // @ts-expect-error Go sends no such event
    subscribe('chat:nope', () => {});
  });
});
