// Starts queued work one piece per turn of the event loop. A join does several database writes, and SQLite
// answers synchronously: fifty sockets joining in one network read ran all their joins inside one turn and
// froze the server for over a second. Started one per turn, other sockets and timers get in between.
export class OnePerTurn {
  private readonly queue: (() => void)[] = [];
  private scheduled = false;

  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => {
        work().then(resolve, reject);
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // Scheduled from inside the check phase, the next start waits for the next turn.
    setImmediate(() => {
      this.scheduled = false;
      this.queue.shift()?.();
      this.schedule();
    });
  }
}
