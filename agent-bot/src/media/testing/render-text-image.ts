import { createCanvas } from '@napi-rs/canvas';

/**
 * A photo-like image with text on it (a receipt, a label), rendered with the system's DejaVu
 * fonts, for the OCR path. `noise` adds speckles and a slight grey background like a phone photo.
 */
export async function renderTextImage(
  lines: string[],
  options: { format?: 'png' | 'jpeg'; fontSize?: number; noise?: boolean; width?: number } = {},
): Promise<Buffer> {
  const fontSize = options.fontSize ?? 28;
  const lineHeight = Math.round(fontSize * 1.5);
  const width = options.width ?? 900;
  const height = lineHeight * lines.length + 60;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = options.noise ? '#ecebe6' : '#ffffff';
  context.fillRect(0, 0, width, height);
  if (options.noise) {
    // Deterministic speckles (a fixed LCG), so accuracy numbers are repeatable.
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < width * height * 0.004; i++) {
      context.fillStyle = `rgba(60,60,60,${0.2 + random() * 0.4})`;
      context.fillRect(random() * width, random() * height, 1 + random() * 2, 1 + random() * 2);
    }
  }
  context.fillStyle = '#1a1a1a';
  context.font = `${fontSize}px "DejaVu Sans"`;
  lines.forEach((line, index) => context.fillText(line, 30, 30 + fontSize + index * lineHeight));
  return options.format === 'jpeg' ? canvas.encode('jpeg', 85) : canvas.encode('png');
}
