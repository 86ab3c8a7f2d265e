import { call, subscribe } from './bridge';
import type { CompareRequest, CompareResult, ContextCount, Params, SendRequest, SendResult, StreamEvent } from './types';

const S = 'ChatService';

/** Each method that starts an answer takes the stream id the window chose for it (lib/streamId.ts). */
export const chatApi = {
  send: (req: SendRequest): Promise<SendResult> => call(S, 'Send', req),
  regenerate: (
    streamId: string,
    conversationId: string,
    assistantMessageId: string,
    model: string,
    params: Params,
  ): Promise<SendResult> => call(S, 'Regenerate', streamId, conversationId, assistantMessageId, model, params),
  edit: (
    streamId: string,
    conversationId: string,
    userMessageId: string,
    text: string,
    model: string,
    params: Params,
  ): Promise<SendResult> => call(S, 'Edit', streamId, conversationId, userMessageId, text, model, params),
  /** One question to 2-4 models at once: sibling answers, each streamed on its own id. */
  compare: (req: CompareRequest): Promise<CompareResult> => call(S, 'Compare', req),
  /** How many earlier turns the next question would carry ("" conversation: a new chat). */
  contextCount: (conversationId: string, model: string, params: Params): Promise<ContextCount> =>
    call(S, 'ContextCount', conversationId, model, params),
  stop: (streamId: string): Promise<void> => call(S, 'Stop', streamId),
  /** The clipboard's image as a data URL, '' when it holds none (read by Go: WebKitGTK gives a paste no file). */
  clipboardImage: (): Promise<string> => call(S, 'ClipboardImage'),
  onStream: (cb: (e: StreamEvent) => void): (() => void) => subscribe('chat:stream', cb),
};
