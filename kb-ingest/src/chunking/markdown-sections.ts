export interface Section {
  /** Heading path, outermost first: ["Shipping", "International"]. */
  headings: string[];
  body: string;
}

/**
 * Splits markdown-like text at `#` headings (outside code fences), remembering the path of
 * headings above each section, so that a chunk cut from the middle of "Returns" still says
 * it is about returns.
 */
export function splitMarkdownSections(text: string): Section[] {
  const sections: Section[] = [];
  const path: Array<{ level: number; title: string }> = [];
  let body: string[] = [];
  let fenced = false;
  const flush = (): void => {
    const joined = body.join('\n').trim();
    if (joined) sections.push({ headings: path.map((h) => h.title), body: joined });
    body = [];
  };
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) {
      body.push(line);
      continue;
    }
    flush();
    const level = heading[1]!.length;
    while (path.length > 0 && path.at(-1)!.level >= level) path.pop();
    path.push({ level, title: heading[2]! });
  }
  flush();
  return sections;
}
