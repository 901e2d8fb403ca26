// The viewer's tool row: the ruler (measure mode), the interpolation toggle, the snapshot and the
// shortcut sheet. Built from script like the rest of the page (viewerDom.ts); main.ts wires it.

import type { Button, Checkbox } from '@vscode/webview-ui-toolkit';
import { element } from './dom';

export interface ToolsDom {
  toolbar: HTMLElement;
  /** Measure mode on / off; shown pressed while on. */
  ruler: Button;
  /** Checked: linear interpolation; unchecked: nearest (sharp voxels). */
  interpolation: Checkbox;
  snapshot: Button;
  shortcuts: Button;
}

function button(text: string, title: string): Button {
  return element<Button>('vscode-button', { text, attributes: { title, 'aria-label': title, appearance: 'secondary' } });
}

export function buildToolsDom(): ToolsDom {
  const ruler = button('Ruler', 'Ruler: drag on the image to measure a distance in mm (d)');
  ruler.setAttribute('aria-pressed', 'false');
  const interpolation = element<Checkbox>('vscode-checkbox', {
    text: 'Linear interpolation',
    attributes: { title: 'Blend neighbouring voxels when the image is scaled; unchecked: nearest, each voxel a sharp block (i)' },
  });
  const snapshot = button('Snapshot', 'Save a PNG of the view as drawn, with its overlay (s)');
  const shortcuts = button('?', 'Keyboard shortcuts (?)');
  const toolbar = element('div', { className: 'toolbar', attributes: { role: 'toolbar', 'aria-label': 'Tools' } }, [ruler, interpolation, snapshot, shortcuts]);
  return { toolbar, ruler, interpolation, snapshot, shortcuts };
}

/** Shows the ruler button pressed (primary) while measure mode is on. */
export function showMeasuring(tools: ToolsDom, measuring: boolean): void {
  tools.ruler.setAttribute('appearance', measuring ? 'primary' : 'secondary');
  tools.ruler.setAttribute('aria-pressed', String(measuring));
}
