import { call, subscribe } from './bridge';
import type { Params, SendRequest, SendResult, StreamEvent } from './types';

const S = 'ChatService';

export const chatApi = {
  send: (req: SendRequest): Promise<SendResult> => call(S, 'Send', req),
  regenerate: (conversationId: string, assistantMessageId: string, model: string, params: Params): Promise<SendResult> =>
    call(S, 'Regenerate', conversationId, assistantMessageId, model, params),
  edit: (conversationId: string, userMessageId: string, text: string, model: string, params: Params): Promise<SendResult> =>
    call(S, 'Edit', conversationId, userMessageId, text, model, params),
  stop: (streamId: string): Promise<void> => call(S, 'Stop', streamId),
  onStream: (cb: (e: StreamEvent) => void): (() => void) => subscribe('chat:stream', cb),
};
