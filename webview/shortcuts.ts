// Every key the scan viewer handles, in one table: onKey (main.ts) looks keys up here and the shortcut
// sheet (`?`, shortcutSheet.ts) lists this table, so the two cannot drift apart. Each entry names an
// action; main.ts implements every action (a Record over ShortcutAction, checked by the compiler).

export type ShortcutAction =
  | 'sliceUp'
  | 'sliceDown'
  | 'pageUp'
  | 'pageDown'
  | 'nextAnomalous'
  | 'axial'
  | 'coronal'
  | 'sagittal'
  | 'nextView'
  | 'toggleOverlay'
  | 'nextMap'
  | 'nextColormap'
  | 'contourDown'
  | 'contourUp'
  | 'toggleCompare'
  | 'previousRestoration'
  | 'nextRestoration'
  | 'nextPreset'
  | 'zoomIn'
  | 'zoomOut'
  | 'resetView'
  | 'layout'
  | 'ruler'
  | 'interpolation'
  | 'snapshot'
  | 'shortcuts'
  | 'dismiss';

export interface Shortcut {
  /** KeyboardEvent.key values; letters in lower case (Shift + letter counts as the letter). */
  keys: readonly string[];
  action: ShortcutAction;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['ArrowUp'], action: 'sliceUp', description: 'Next slice' },
  { keys: ['ArrowDown'], action: 'sliceDown', description: 'Previous slice' },
  { keys: ['PageUp'], action: 'pageUp', description: 'A tenth of the slices up' },
  { keys: ['PageDown'], action: 'pageDown', description: 'A tenth of the slices down' },
  { keys: ['n'], action: 'nextAnomalous', description: 'Next most anomalous slice' },
  { keys: ['1'], action: 'axial', description: 'Axial view' },
  { keys: ['2'], action: 'coronal', description: 'Coronal view' },
  { keys: ['3'], action: 'sagittal', description: 'Sagittal view' },
  { keys: ['v'], action: 'nextView', description: 'Next view (axial, coronal, sagittal)' },
  { keys: ['o'], action: 'toggleOverlay', description: 'Overlay on / off' },
  { keys: ['m'], action: 'nextMap', description: 'Next anomaly map' },
  { keys: ['c'], action: 'nextColormap', description: 'Next colormap of the map' },
  { keys: ['['], action: 'contourDown', description: 'Contour threshold down 5 % (0: off)' },
  { keys: [']'], action: 'contourUp', description: 'Contour threshold up 5 % (lists the regions above it)' },
  { keys: ['b'], action: 'toggleCompare', description: 'Scan and reconstruction side by side' },
  { keys: [','], action: 'previousRestoration', description: 'Previous model image (reconstruction, restorations)' },
  { keys: ['.'], action: 'nextRestoration', description: 'Next model image (reconstruction, restorations)' },
  { keys: ['w'], action: 'nextPreset', description: 'Next contrast preset' },
  { keys: ['+', '='], action: 'zoomIn', description: 'Zoom in' },
  { keys: ['-'], action: 'zoomOut', description: 'Zoom out' },
  { keys: ['r'], action: 'resetView', description: 'Reset zoom, pan, contrast and overlay range' },
  { keys: ['l'], action: 'layout', description: 'One plane / three linked planes (volumes)' },
  { keys: ['d'], action: 'ruler', description: 'Ruler on / off: drag to measure a distance in mm' },
  { keys: ['i'], action: 'interpolation', description: 'Interpolation: nearest / linear' },
  { keys: ['s'], action: 'snapshot', description: 'Save a snapshot of the view (PNG)' },
  { keys: ['?'], action: 'shortcuts', description: 'This list of shortcuts' },
  { keys: ['Escape'], action: 'dismiss', description: 'Close this list; else end the ruler' },
];

/** What the mouse does, for the sheet (the pane's pointer handlers in main.ts). */
export const MOUSE_GESTURES: readonly { gesture: string; description: string }[] = [
  { gesture: 'Wheel', description: 'Next / previous slice' },
  { gesture: 'Ctrl/Cmd + wheel', description: 'Zoom about the pointer' },
  { gesture: 'Click', description: 'Crosshair' },
  { gesture: 'Drag', description: 'Contrast (window / level); with the ruler on: measure' },
  { gesture: 'Right / middle / Shift drag', description: 'Pan' },
];

/** The shortcut of a KeyboardEvent.key (a single character in lower case), if the viewer has one. */
export function shortcutFor(key: string): Shortcut | undefined {
  const normalized = key.length === 1 ? key.toLowerCase() : key;
  return SHORTCUTS.find((shortcut) => shortcut.keys.includes(normalized));
}

const KEY_LABELS: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', PageUp: 'Page Up', PageDown: 'Page Down', Escape: 'Esc' };

/** How the sheet shows a key: arrows as arrows, the others as they are named. */
export function keyLabel(key: string): string {
  return KEY_LABELS[key] ?? key;
}
