import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MediaError } from './media-error.js';
import { isCompleteOgg } from './ogg-integrity.js';

export interface DecodedAudio {
  /** Measured from the decoded samples, not the container's claim (a truncated OGG lies). */
  durationSeconds: number;
  /** 16 kHz mono MP3, for providers that do not take OGG/Opus (Gemini lists OGG Vorbis only). */
  mp3?: Buffer;
  /** An OGG without its end-of-stream page: only the part that arrived was decoded. */
  truncated: boolean;
}

const SAMPLE_RATE = 16_000;
const WAV_HEADER_BYTES = 44;

/**
 * Decodes a voice note with ffmpeg (Debian package; `-nostdin` so it never waits on a terminal).
 * Decoding the whole file is the validity check: `-xerror` stops at the first corrupt packet,
 * and audio that decodes to almost nothing is refused too.
 */
export async function decodeAudio(
  bytes: Uint8Array,
  options: { mime: string; mp3: boolean; timeoutMs?: number; signal?: AbortSignal },
): Promise<DecodedAudio> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-audio-'));
  try {
    const input = path.join(dir, 'input');
    const wav = path.join(dir, 'decoded.wav');
    const mp3 = path.join(dir, 'decoded.mp3');
    await writeFile(input, bytes);
    const args = [
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      '-xerror',
      // Only the local file, read with the demuxer its magic bytes named: ffmpeg never probes
      // for exotic formats (an HLS playlist would make it fetch URLs) nor opens the network.
      '-protocol_whitelist',
      'file',
      '-f',
      demuxerFor(options.mime),
      '-i',
      input,
      '-vn',
      '-ac',
      '1',
      '-ar',
      String(SAMPLE_RATE),
    ];
    args.push('-c:a', 'pcm_s16le', '-f', 'wav', wav);
    if (options.mp3)
      args.push(
        '-vn',
        '-ac',
        '1',
        '-ar',
        String(SAMPLE_RATE),
        '-c:a',
        'libmp3lame',
        '-b:a',
        '32k',
        '-f',
        'mp3',
        mp3,
      );
    await runFfmpeg(args, options.timeoutMs ?? 60_000, options.signal);
    const samples = ((await stat(wav)).size - WAV_HEADER_BYTES) / 2;
    const durationSeconds = Math.max(0, samples / SAMPLE_RATE);
    if (durationSeconds < 0.1) throw new MediaError('corrupt', 'the voice note contains no audio');
    return {
      durationSeconds: Math.round(durationSeconds * 100) / 100,
      truncated: options.mime === 'audio/ogg' && !isCompleteOgg(bytes),
      ...(options.mp3 ? { mp3: await readFile(mp3) } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const DEMUXERS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'mov',
  'audio/x-m4a': 'mov',
  'video/mp4': 'mov',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/webm': 'matroska',
  'audio/flac': 'flac',
};

function demuxerFor(mime: string): string {
  const demuxer = DEMUXERS[mime];
  if (!demuxer) throw new MediaError('unsupported_type', `audio of type ${mime} is not decoded`);
  return demuxer;
}

function runFfmpeg(args: string[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    const timer = setTimeout(kill, timeoutMs);
    signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const missing = error.code === 'ENOENT';
      reject(
        new MediaError(
          missing ? 'no_provider' : 'corrupt',
          missing ? 'ffmpeg is not installed' : `ffmpeg failed: ${error.message}`,
        ),
      );
    });
    child.on('close', (code, killedBy) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      if (code === 0) return resolve();
      if (killedBy) return reject(new MediaError('timeout', 'decoding the voice note took too long'));
      const detail = stderr
        .trim()
        .split('\n')
        .slice(-2)
        .join(' ')
        .replace(/\/[^\s:]+/g, '<file>');
      reject(
        new MediaError(
          'corrupt',
          `the audio cannot be decoded (${detail.slice(0, 200) || `ffmpeg exit ${code}`})`,
        ),
      );
    });
  });
}
