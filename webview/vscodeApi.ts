// The webview's side of the channel to the extension host: typed messages and the saved viewer state.

import type { HostToWebview, WebviewToHost } from './protocol';
import { parseViewerState, type ViewerState } from './viewerState';

/** What VS Code injects into webviews; `acquireVsCodeApi` may be called only once per page. */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel {
  post(message: WebviewToHost): void;
  onMessage(handler: (message: HostToWebview) => void): void;
  /** The state saved before the webview was last torn down, if any (and still valid). */
  savedState(): ViewerState | undefined;
  saveState(state: ViewerState): void;
}

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage: (handler) =>
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        const data = event.data as { type?: unknown } | null;
        if (typeof data === 'object' && data !== null && typeof data.type === 'string') handler(data as HostToWebview);
      }),
    savedState: () => parseViewerState(api.getState()),
    saveState: (state) => api.setState(state),
  };
}
