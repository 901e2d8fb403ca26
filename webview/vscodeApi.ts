// A webview page's side of the channel to the extension host: typed messages (each page's protocol
// module names them) and the state VS Code keeps for the page. Shared by the scan viewer, the gallery
// and the training panel.

/** What VS Code injects into webviews; `acquireVsCodeApi` may be called only once per page. */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel<ToHost, FromHost> {
  post(message: ToHost): void;
  /** Calls `handler` with every message from the host (objects with a string `type`; the page checks the rest). */
  onMessage(handler: (message: FromHost) => void): void;
  /** The state saved before the webview was last torn down, if any, unchecked: the page parses it. */
  savedState(): unknown;
  saveState(state: unknown): void;
}

/** Connects the page to its host; call it once per page. */
export function connectToHost<ToHost, FromHost>(): HostChannel<ToHost, FromHost> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage: (handler) =>
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        const data = event.data as { type?: unknown } | null;
        if (typeof data === 'object' && data !== null && typeof data.type === 'string') handler(data as FromHost);
      }),
    savedState: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
}
