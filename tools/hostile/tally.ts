// The counts the hostile-input test prints at the end, so that a run says what it tried.
export class Tally {
  operations = 0
  inputs = 0
  attacks = 0
  /** Attacks answered with anything but 401: they got past authentication. */
  attacksAccepted = 0
  serverErrors = 0
  /** Answers outside the contract (status, media type, body, code), or no answer at all. */
  contractViolations = 0
  stateChanges = 0

  line (seed: number, ms: number): string {
    return `hostile input: seed ${seed}, ${this.operations} operations, ${this.inputs} invalid inputs, ${this.attacks} attacks, ` +
      `${this.attacksAccepted} attacks accepted, ${this.serverErrors} 5xx, ${this.contractViolations} contract violations, ` +
      `${this.stateChanges} state changes, ${(ms / 1000).toFixed(1)} s`
  }
}
