// Vite build for the HAI portal web UI.
//
// The C++ portal (daemons/portal) serves the built files at "/" and falls back
// to index.html for unknown paths; the JSON API lives on the same origin under
// /api/v1. HAI_WEB_OUT chooses the output directory (default: dist), so the
// CMake build can place the bundle next to the binaries.
// For `npm run dev`, /api is proxied to HAI_API_TARGET (default
// http://127.0.0.1:8080), e.g. a locally started hai-portal.
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const outDir = process.env.HAI_WEB_OUT || 'dist';
const apiTarget = process.env.HAI_API_TARGET || 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir,
    emptyOutDir: true,
    // Element Plus and ECharts are large; the appliance serves them from the LAN.
    chunkSizeWarningLimit: 1600,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: { host: '127.0.0.1' },
});
