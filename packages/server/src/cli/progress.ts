import cliProgress from 'cli-progress';
import type { ImportProgress } from '../migrate/importer.ts';

/**
 * Import progress: a bar (cli-progress) when standard error is a terminal, otherwise a plain line
 * at most every few seconds, so logs and CI output stay readable.
 */
export interface ProgressView {
  update(progress: ImportProgress): void;
  stop(): void;
}

export function progressView(isTty: boolean, line: (text: string) => void, now: () => number = Date.now): ProgressView {
  if (isTty) {
    const bar = new cliProgress.SingleBar(
      { format: '{file} [{bar}] {percentage}% | {comments} comments | {rate}/s', hideCursor: true, stream: process.stderr, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    let started: number | undefined;
    let current: string | undefined;
    return {
      update(p) {
        if (current !== p.file) {
          if (current !== undefined) bar.stop();
          current = p.file;
          started = now();
          bar.start(Math.max(p.totalBytes, 1), 0, { file: shortName(p.file), comments: 0, rate: 0 });
        }
        const seconds = Math.max((now() - (started ?? now())) / 1000, 0.001);
        bar.update(Math.min(p.bytesRead, p.totalBytes), { comments: p.comments, rate: Math.round(p.comments / seconds) });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  // The whole file is read before its last comments are written: its 100 % line is said once.
  const finished = new Set<string>();
  return {
    update(p) {
      const at = now();
      const whole = p.bytesRead >= p.totalBytes;
      if (whole ? finished.has(p.file) : at - last < 5000) return;
      if (whole) finished.add(p.file);
      last = at;
      const percent = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 100;
      line(`${p.file}: ${percent}% read, ${p.comments} comments`);
    },
    stop() {},
  };
}

function shortName(file: string): string {
  return file.length > 30 ? `…${file.slice(-29)}` : file;
}
