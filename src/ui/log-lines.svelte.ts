/** The lines a headless tab shows, also written to the console for the command that runs it. */
const MAX_LINES = 200

export class LogLines {
  lines = $state<string[]>([])

  readonly log = (line: string): void => {
    console.log(line)
    this.lines = [...this.lines.slice(-(MAX_LINES - 1)), line]
  }
}
