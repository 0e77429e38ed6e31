import type { Source, TableGenerator } from './generator.js';

/** A generated block of the README: its marker line and what lies between it and `<!-- /generated -->`. */
export interface GeneratedBlock {
  generator: string;
  files: string[];
  /** 1-based line of the opening marker, for messages. */
  line: number;
  /** Character offsets of the text between the markers (after the opening marker's newline, up to the closing marker). */
  start: number;
  end: number;
  /** The text between the markers now. */
  current: string;
}

const OPEN = /^<!-- generated: (\S+)((?: \S+)+) -->$/;
const CLOSE = '<!-- /generated -->';

/** Every generated block, in order; an unclosed, nested or malformed marker is an error naming its line. */
export function findBlocks(text: string): GeneratedBlock[] {
  const blocks: GeneratedBlock[] = [];
  let open: Omit<GeneratedBlock, 'end' | 'current'> | undefined;
  let offset = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    const lineEnd = offset + raw.length + 1;
    if (line.startsWith('<!-- generated')) {
      const m = OPEN.exec(line);
      if (!m) throw new Error(`line ${i + 1}: malformed marker "${line}": expected <!-- generated: <name> <file> [<file> …] -->`);
      if (open) throw new Error(`line ${i + 1}: a generated block opens inside the one opened at line ${open.line}`);
      open = { generator: m[1]!, files: m[2]!.trim().split(' '), line: i + 1, start: lineEnd };
    } else if (line === CLOSE) {
      if (!open) throw new Error(`line ${i + 1}: ${CLOSE} without an opening marker`);
      blocks.push({ ...open, end: offset, current: text.slice(open.start, offset) });
      open = undefined;
    }
    offset = lineEnd;
  });
  if (open) throw new Error(`line ${open.line}: the generated block "${open.generator}" is never closed with ${CLOSE}`);
  return blocks;
}

/**
 * What goes between a block's markers: a blank line, the table, a blank line (so every Markdown
 * renderer ends the table before the closing comment).
 */
export function renderBlock(block: Pick<GeneratedBlock, 'generator' | 'files' | 'line'>, generators: Readonly<Record<string, TableGenerator>>, load: (path: string) => unknown): string {
  const g = generators[block.generator];
  if (!g) throw new Error(`line ${block.line}: unknown generator "${block.generator}" (known: ${Object.keys(generators).join(', ')})`);
  if (g.files !== 'many' && block.files.length !== g.files) throw new Error(`line ${block.line}: "${block.generator}" takes ${g.files} result file(s), the marker names ${block.files.length}`);
  const sources: Source[] = block.files.map((path) => ({ path, data: load(path) }));
  return `\n${g.render(sources)}\n\n`;
}

/** The text with every generated block re-rendered from its files. */
export function regenerate(text: string, generators: Readonly<Record<string, TableGenerator>>, load: (path: string) => unknown): string {
  let out = '';
  let at = 0;
  for (const b of findBlocks(text)) {
    out += text.slice(at, b.start) + renderBlock(b, generators, load);
    at = b.end;
  }
  return out + text.slice(at);
}
