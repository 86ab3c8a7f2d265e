// App-level actions that coordinate several stores.
import { backendAvailable } from '../api';
import { pickInitialModel } from '../lib/models';
import { chat } from './chat.svelte';
import { conversations } from './conversations.svelte';
import { models } from './models.svelte';
import { settings } from './settings.svelte';
import { ui } from './ui.svelte';
import { assistants } from './assistants.svelte';
import { i18n } from '../lib/i18n/index.svelte';

export function initialModel(): string {
  return pickInitialModel(models.list, settings.settings?.lastModel ?? '', settings.settings?.defaultModel ?? '');
}

/**
 * A new, empty chat with no usable model takes the first one that becomes
 * available (after the first key is saved, the picker used to stay on
 * "no model" until the user chose one). A chat in progress keeps its model.
 */
export function adoptModelIfNone(): void {
  if (chat.conversationId || chat.messages.length > 0) return;
  if (chat.model && models.byId(chat.model)?.available) return;
  const m = initialModel();
  if (m) chat.model = m;
}

export function newChat(): void {
  chat.newChat(chat.model && models.byId(chat.model)?.available ? chat.model : initialModel());
  assistants.applyDefault(chat);
  ui.openChat();
  ui.focusComposer();
}

export async function openConversation(id: string, messageId = ''): Promise<void> {
  ui.openChat();
  if (id !== chat.conversationId) assistants.applied = ''; // its own settings, from no preset the window knows

  ui.scrollToMessage = messageId;
  if (id !== chat.conversationId || chat.messages.length === 0) await chat.open(id);
  // A search hit can be in a version of a turn that is not the one shown.
  if (messageId && chat.conversationId === id) await chat.branches.reveal(messageId);
}

/** Starts listeners and loads everything. Never throws: the UI must render without Go. */
export async function bootstrap(): Promise<{ backend: boolean }> {
  const backend = backendAvailable();
  models.start();
  chat.start();
  await Promise.allSettled([settings.load(), models.load(), conversations.load(), settings.loadEndpoint()]);
  await assistants.load(i18n.locale).catch(() => {}); // no presets is no reason not to start
  if (!chat.conversationId && chat.messages.length === 0) {
    chat.newChat(initialModel());
    assistants.applyDefault(chat);
  }
  return { backend };
}
