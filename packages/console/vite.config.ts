import { defineConfig } from 'vite';

// The console as static files for the server's /admin route: index.html plus one hashed JS and one
// CSS file under assets/ (long-cached by the server). `base` makes asset URLs absolute under /admin/.
export default defineConfig({
  base: '/admin/',
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: { output: { minify: true } },
  },
});
