// The error a model job throws when its caller asked it to stop (a protocol `cancel`, or Ctrl-C in the CLI).

export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}
