/// <reference types="svelte" />
/// <reference types="vite/client" />

declare module 'highlight.js/lib/core' {
  import hljs from 'highlight.js';
  export default hljs;
}
