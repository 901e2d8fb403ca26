// The shortcut sheet (`?`): every key of the shortcut table (shortcuts.ts) and what the mouse does, in a
// dialog over the viewer. Esc, `?` or its Close button closes it.

import type { Button } from '@vscode/webview-ui-toolkit';
import { element } from './dom';
import { keyLabel, MOUSE_GESTURES, SHORTCUTS } from './shortcuts';

export interface ShortcutSheet {
  root: HTMLElement;
  close: Button;
  isOpen(): boolean;
  setOpen(open: boolean): void;
}

function row(keys: string, description: string): HTMLElement {
  return element('tr', {}, [element('td', {}, [element('kbd', { text: keys })]), element('td', { text: description })]);
}

function table(caption: string, rows: HTMLElement[]): HTMLElement {
  return element('table', { className: 'shortcut-table' }, [element('caption', { text: caption }), element('tbody', {}, rows)]);
}

export function buildShortcutSheet(): ShortcutSheet {
  const keys = SHORTCUTS.map((s) => row(s.keys.map(keyLabel).join(' / '), s.description));
  const mouse = MOUSE_GESTURES.map((g) => row(g.gesture, g.description));
  const close = element<Button>('vscode-button', { text: 'Close', attributes: { title: 'Close (Esc)', appearance: 'secondary' } });
  const title = element('h2', { text: 'Keyboard shortcuts' });
  const panel = element('div', { className: 'shortcut-panel' }, [title, table('Keys', keys), table('Mouse', mouse), close]);
  const root = element('div', { className: 'shortcut-sheet', attributes: { role: 'dialog', 'aria-label': 'Keyboard shortcuts', hidden: '' } }, [panel]);
  return {
    root,
    close,
    isOpen: () => !root.hidden,
    setOpen: (open) => {
      root.hidden = !open;
    },
  };
}
