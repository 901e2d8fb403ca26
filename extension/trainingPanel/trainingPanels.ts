// The training panels of this session: a new one for every training that starts (replacing a finished
// panel of the same title), kept after they end so that tests and automation can read what each run
// reported and what its page drew (trainingPanelReports), and show a run's panel again.

import type * as vscode from 'vscode';
import type { TrainingDrawReport, TrainingOutcome } from '../../webview/training/trainingProtocol';
import { TrainingPanel } from './trainingPanel';

/** One training run as its panel shows it. */
export interface TrainingPanelReport {
  title: string;
  /** The panel is open (possibly behind other editors), and visible. */
  open: boolean;
  visible: boolean;
  /** Progress the run received: steps (one loss point each), epoch ends, and epoch ends with a validation loss. */
  stepsReported: number;
  epochsReported: number;
  validationLossesReported: number;
  /** The steps of one epoch, from the latest progress. */
  stepsPerEpoch?: number;
  outcome?: TrainingOutcome;
  /** What the page reported after its last draw; absent before its first. */
  drawn?: TrainingDrawReport;
}

export class TrainingPanels {
  private readonly panels: TrainingPanel[] = [];

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The panel of a training that starts now; it opens with the training's first progress. */
  start(title: string): TrainingPanel {
    for (const old of this.panels.filter((p) => p.run.title === title && p.run.ended)) old.dispose();
    const panel = new TrainingPanel(this.extensionUri, title);
    this.panels.push(panel);
    return panel;
  }

  reports(): TrainingPanelReport[] {
    return this.panels.map(({ run, isOpen, isVisible, lastDrawn }) => ({
      title: run.title,
      open: isOpen,
      visible: isVisible,
      stepsReported: run.steps.length,
      epochsReported: run.epochs.length,
      validationLossesReported: run.epochs.filter((e) => e.validationLoss !== undefined).length,
      stepsPerEpoch: run.status?.stepsPerEpoch,
      outcome: run.ended?.outcome,
      drawn: lastDrawn,
    }));
  }

  /** Shows the panel of run `index` (as in reports()), reopened if it was closed; false when there is none. */
  show(index: number): boolean {
    const panel = this.panels[index] as TrainingPanel | undefined;
    panel?.show();
    return panel !== undefined;
  }

  /** Presses Cancel in the page of the latest training titled `title`; false when it is not running or not showing. */
  pressCancel(title: string): boolean {
    const panel = this.panels.filter((p) => p.run.title === title).at(-1);
    return panel !== undefined && !panel.run.ended && panel.pressCancel();
  }

  dispose(): void {
    for (const panel of this.panels) panel.dispose();
  }
}
