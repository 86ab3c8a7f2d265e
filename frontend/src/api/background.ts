import { call, subscribe } from './bridge';
import type { BackgroundView, UpdateView } from './types';

const B = 'BackgroundService';

export const backgroundApi = {
  get: (): Promise<BackgroundView> => call(B, 'Get'),
  setKeepRunning: (on: boolean): Promise<void> => call(B, 'SetKeepRunning', on),
  setStartAtLogin: (on: boolean): Promise<void> => call(B, 'SetStartAtLogin', on),
  setUpdateCheck: (on: boolean): Promise<UpdateView> => call(B, 'SetUpdateCheck', on),
  checkForUpdate: (): Promise<UpdateView> => call(B, 'CheckForUpdate'),
  setFeedURL: (url: string): Promise<UpdateView> => call(B, 'SetFeedURL', url),
  setView: (view: 'chat' | 'settings' | 'usage'): Promise<void> => call(B, 'SetView', view),
  quit: (): Promise<void> => call(B, 'Quit'),
  onUpdateStatus: (cb: (v: UpdateView) => void): (() => void) => subscribe('update:status', cb),
};
