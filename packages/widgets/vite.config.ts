import { defineConfig } from 'vite';

// One minified ES module with Lit inside: what the server serves as /embed.js.
export default defineConfig({
  build: {
    target: 'es2022',
    lib: { entry: 'src/embed.ts', formats: ['es'], fileName: () => 'embed.js' },
    sourcemap: false,
    rolldownOptions: {
      output: { minify: true, codeSplitting: false },
    },
  },
});
