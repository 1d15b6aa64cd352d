import { SingleBar, Presets } from 'cli-progress';
import type { ProgressListener } from '../read-models/projection-runner';

/** A progress bar on stderr for long work over the log (shown on a terminal only). */
export function progressBar(label: string): { update: ProgressListener; stop: () => void } {
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(position, head) {
      if (!started) {
        bar.start(head, 0);
        started = true;
      }
      bar.setTotal(head);
      bar.update(position);
    },
    stop: () => started && bar.stop(),
  };
}
