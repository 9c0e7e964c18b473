import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { MediaError } from '../media-error.js';

export interface OcrResult {
  text: string;
  /** Tesseract's mean word confidence, 0-100. */
  confidence: number;
  latencyMs: number;
}

const require = createRequire(import.meta.url);
const workers = new Map<string, Promise<Worker>>();

/**
 * The language data comes from the @tesseract.js-data/<lang> npm packages, never from the
 * network (tesseract.js would otherwise download it from a CDN at first use). One worker per
 * language set, created on first use and kept: loading the model costs ~0.5 s.
 */
function languageDataPath(language: string): string {
  try {
    const data = require(`@tesseract.js-data/${language}`) as { langPath: string };
    // The _best_int model reads photographed text noticeably better than the fast one.
    const best = path.join(path.dirname(data.langPath), '4.0.0_best_int');
    return existsSync(path.join(best, `${language}.traineddata.gz`)) ? best : data.langPath;
  } catch {
    throw new MediaError(
      'no_provider',
      `OCR language data for "${language}" is not installed (@tesseract.js-data/${language})`,
    );
  }
}

function workerFor(languages: readonly string[]): Promise<Worker> {
  const key = languages.join('+');
  let worker = workers.get(key);
  if (!worker) {
    // Every language must come from the same directory for one worker: use the first's.
    const langPath = languageDataPath(languages[0]!);
    for (const language of languages.slice(1)) languageDataPath(language);
    worker = createWorker([...languages], OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true });
    worker.catch(() => workers.delete(key));
    workers.set(key, worker);
  }
  return worker;
}

export async function recognizeText(image: Uint8Array, languages: readonly string[]): Promise<OcrResult> {
  const started = performance.now();
  const worker = await workerFor(languages.length ? languages : ['eng']);
  try {
    const result = await worker.recognize(Buffer.from(image));
    return {
      text: result.data.text
        .replace(/[ \t]+\n/g, '\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim(),
      confidence: Math.round(result.data.confidence),
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    throw new MediaError(
      'corrupt',
      `the image cannot be read (${(error as Error).message?.slice(0, 120) ?? 'OCR failed'})`,
      { cause: error },
    );
  }
}

/** For tests and shutdown: tesseract workers are threads that keep the process alive. */
export async function terminateOcrWorkers(): Promise<void> {
  const all = [...workers.values()];
  workers.clear();
  await Promise.all(all.map(async (worker) => (await worker.catch(() => null))?.terminate()));
}
