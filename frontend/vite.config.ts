/// <reference types="vite/client" />
// Build of the Crampwise PWA. Output contract with Django (docs/decisions/0015-frontend-stack.md):
// dist/index.html, dist/manifest.webmanifest, dist/sw.js (scope "/"), dist/assets/* (hashed), icons at the root.
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const API_TARGET = process.env.CRAMPWISE_API ?? 'http://127.0.0.1:8000';

// main.tsx imports the app (start.tsx) only once the language's words are in place; index.html preloads the
// app's chunks so the browser fetches them beside main's instead of after it (and check-dist counts them).
function preloadStart(): Plugin {
  return {
    name: 'crampwise-preload-start',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk');
        const start = chunks.find((c) => c.facadeModuleId?.endsWith('/src/start.tsx'));
        if (!start) throw new Error('no chunk for src/start.tsx');
        const files = new Set<string>();
        const visit = (fileName: string) => {
          if (files.has(fileName)) return;
          files.add(fileName);
          chunks.find((c) => c.fileName === fileName)?.imports.forEach(visit);
        };
        visit(start.fileName);
        return [...files].filter((f) => !html.includes(`/${f}"`)).map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const }));
      },
    },
  };
}

export default defineConfig({
  // Preact's automatic JSX runtime (Vite 8 transforms TS/JSX with Oxc).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    assetsDir: 'assets',
  },
  server: {
    port: 5173,
    proxy: {
      // Local work: the Django API on :8000. Django's CSRF check compares Origin with the host it
      // sees, so the proxy presents the request as coming from the API's own origin.
      '/api': {
        target: API_TARGET,
        changeOrigin: true,
        configure(proxy) {
          proxy.on('proxyReq', (req) => {
            if (req.getHeader('origin')) req.setHeader('origin', API_TARGET);
            if (req.getHeader('referer')) req.setHeader('referer', `${API_TARGET}/`);
          });
        },
      },
    },
  },
  plugins: [
    preloadStart(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // The app registers /sw.js itself (src/pwa.ts), with an update prompt.
      injectRegister: false,
      registerType: 'prompt',
      manifestFilename: 'manifest.webmanifest',
      // The glob below already precaches the icons; listing them again would only duplicate entries.
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Crampwise',
        short_name: 'Crampwise',
        description: 'A diary for leg cramps, stockings, swelling and leg symptoms.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#0b4f8a',
        background_color: '#ffffff',
        lang: 'en',
        categories: ['health', 'medical'],
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // A long press on the home-screen icon: straight into logging a cramp (the Log screen, /cramp).
        // The query marks where the visit came from; the screen ignores it.
        shortcuts: [
          {
            name: 'Log a cramp',
            short_name: 'Log a cramp',
            description: 'Open the cramp form straight away.',
            url: '/cramp?from=shortcut',
            icons: [
              { src: '/shortcut-cramp-96.png', sizes: '96x96', type: 'image/png' },
              { src: '/shortcut-cramp-192.png', sizes: '192x192', type: 'image/png' },
            ],
          },
        ],
      },
      injectManifest: {
        // The app shell only: code, styles, the page, icons. Never anything under /api/.
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        globIgnores: ['sw.js'],
      },
      devOptions: { enabled: false },
    }),
  ],
});
