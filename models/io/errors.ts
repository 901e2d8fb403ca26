// The error for input the user can fix (a corrupt file, an unsupported format, an empty folder), as
// opposed to a bug. The worker maps it to the protocol's 'bad-input' code. Messages name the file or
// folder and say what is wrong with it.

export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}
