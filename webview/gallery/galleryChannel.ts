// The gallery webview's side of the channel to the extension host: typed messages (galleryProtocol.ts).

import type { GalleryToHost, HostToGallery } from './galleryProtocol';

/** What VS Code injects into webviews; `acquireVsCodeApi` may be called only once per page. */
declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

export interface GalleryChannel {
  post(message: GalleryToHost): void;
  onMessage(handler: (message: HostToGallery) => void): void;
}

export function connectGalleryToHost(): GalleryChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage: (handler) =>
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        const data = event.data as { type?: unknown } | null;
        if (typeof data === 'object' && data !== null && typeof data.type === 'string') handler(data as HostToGallery);
      }),
  };
}
