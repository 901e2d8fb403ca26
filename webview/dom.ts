// A small helper to build DOM trees from script (the webview's CSP allows no inline markup handlers).

export interface ElementOptions {
  className?: string;
  text?: string;
  attributes?: Record<string, string>;
}

export function element<T extends HTMLElement = HTMLElement>(tag: string, options: ElementOptions = {}, children: Node[] = []): T {
  const node = document.createElement(tag) as T;
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [name, value] of Object.entries(options.attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
