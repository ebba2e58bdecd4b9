// The Studio's build (docs/studio.md): `npm run build:studio` writes web/dist, which `provisio serve`
// serves beside the API. In development, `npx vite --config web/vite.config.ts` proxies /api to a
// running `provisio serve` (PROVISIO_API, default https://127.0.0.1:8443).
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: {
    proxy: { '/api': { target: process.env['PROVISIO_API'] ?? 'https://127.0.0.1:8443', secure: false } },
  },
})
