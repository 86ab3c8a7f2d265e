// A fake Wails environment: window.go.desktop.<Service>.<Method> and window.runtime events.
import { vi } from 'vitest';
import { resetBridgeForTests } from '../src/api/bridge';

type Fn = (...args: never[]) => unknown;
export type FakeServices = Record<string, Record<string, Fn>>;

export interface FakeWails {
  services: FakeServices;
  emit: (name: string, payload: unknown) => void;
}

export function installFakeGo(services: FakeServices = {}): FakeWails {
  resetBridgeForTests();
  const handlers = new Map<string, ((...d: unknown[]) => void)[]>();
  const w = window as unknown as Record<string, unknown>;
  w.go = { desktop: services };
  w.runtime = {
    EventsOnMultiple: vi.fn((name: string, cb: (...d: unknown[]) => void) => {
      handlers.set(name, [...(handlers.get(name) ?? []), cb]);
      return () => {};
    }),
    BrowserOpenURL: vi.fn(),
    ClipboardSetText: vi.fn(async () => true),
  };
  return {
    services,
    emit: (name, payload) => handlers.get(name)?.forEach((h) => h(payload)),
  };
}

export function uninstallFakeGo(): void {
  const w = window as unknown as Record<string, unknown>;
  delete w.go;
  delete w.runtime;
  resetBridgeForTests();
}
