import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API runs separately (`npm run dev` at the root, port 3000); Vite forwards API paths to it so
// the session cookie stays same-origin. In production the server serves web/dist itself.
const api = { target: 'http://127.0.0.1:3000', changeOrigin: false };

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy: { '/trpc': api, '/api': api, '/auth': api } },
  build: { outDir: 'dist', emptyOutDir: true },
});
