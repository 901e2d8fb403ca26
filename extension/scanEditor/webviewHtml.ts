// The extension's webview pages (scan viewer, gallery, training panel): only the bundled script (e.g.
// dist/webview.js, which builds the whole UI and bundles the webview UI toolkit) and its stylesheets
// (media/base.css, then e.g. media/webview.css), under a strict Content Security Policy: nothing
// inline, scripts (and the toolkit's one style probe) only with this page's nonce, resources only from
// the extension's own dist/ and media/ folders.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The folders a scan viewer webview may load from (its `localResourceRoots`). */
export function webviewResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function scanViewerHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPageHtml(webview, extensionUri, { script: 'webview.js', styles: ['webview.css'], title: 'VQ Anomaly Scan Viewer' });
}

/** The stylesheet every webview page links first. */
const SHARED_STYLESHEET = 'base.css';

/** The page of `dist/<script>` with media/base.css (what every page shares), then `media/<styles[i]>`, titled `title`. */
export function webviewPageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: { script: string; styles: string[]; title: string }): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', page.script));
  const styles = [SHARED_STYLESHEET, ...page.styles].map((style) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', style)));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    // The toolkit inserts one <style> probe for :focus-visible; it finds the nonce via the csp-nonce meta.
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta property="csp-nonce" content="${nonce}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  ${styles.map((style) => `<link rel="stylesheet" href="${style}">`).join('\n  ')}
  <title>${page.title}</title>
</head>
<body>
  <div id="app"></div>
  <script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
