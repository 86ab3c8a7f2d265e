import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// dist/ is emptied on every build, but dist/.gitkeep is committed so that
// `go:embed all:frontend/dist` compiles before the frontend was ever built.
function keepGitkeep(): Plugin {
  return {
    name: 'thinkcloud-keep-gitkeep',
    apply: 'build',
    closeBundle() {
      const f = resolve(import.meta.dirname, 'dist/.gitkeep');
      if (!existsSync(f)) writeFileSync(f, '');
    },
  };
}

// Everything is bundled: the app must work offline inside the Wails webview.
export default defineConfig({
  plugins: [svelte(), svelteTesting(), keepGitkeep()],
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    setupFiles: ['./tests/setup.ts'],
    restoreMocks: true,
  },
});
