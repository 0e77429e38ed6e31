import { findBlocks } from './markers.js';

/** A README section: from one heading to the next (any level), as it stands in the text. */
export interface Section {
  title: string;
  /** 1-based line of the heading. */
  line: number;
  start: number;
  end: number;
}

/** A figure quoted in a sentence: a number with a thousands separator, or either end of an "a–b ×" ratio. */
export interface ProseFigure {
  section: string;
  /** As written: "4,246", "0.37" (of "0.37–0.38 ×"). */
  text: string;
  value: number;
  line: number;
}

/** Headings outside fenced code blocks split the README into sections. */
export function sections(text: string): Section[] {
  const out: Section[] = [];
  let inFence = false;
  let offset = 0;
  text.split('\n').forEach((line, i) => {
    if (line.startsWith('```')) inFence = !inFence;
    const h = inFence ? null : /^#{1,6} (.+)$/.exec(line);
    if (h) {
      const last = out[out.length - 1];
      if (last) last.end = offset;
      out.push({ title: h[1]!.trim(), line: i + 1, start: offset, end: text.length });
    }
    offset += line.length + 1;
  });
  return out;
}

const number = (s: string): number => Number(s.replaceAll(',', ''));

/** Every number in a text, separators removed: the figures a generated table shows. */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => number(m[0].replace(/,$/, '')));
}

/**
 * The text of a section a person wrote: without its generated blocks, fenced code, inline code and
 * HTML comments (replaced by spaces, so offsets and line numbers stay).
 */
function proseOf(text: string, s: Section): string {
  let t = text.slice(s.start, s.end);
  const blank = (m: string): string => m.replace(/[^\n]/g, ' ');
  for (const b of findBlocks(t).reverse()) t = t.slice(0, b.start) + blank(t.slice(b.start, b.end)) + t.slice(b.end);
  return t.replace(/^```[^]*?^```/gm, blank).replace(/`[^`\n]*`/g, blank).replace(/<!--[^]*?-->/g, blank);
}

const SEPARATED = /(?<![\d.]|\d,)\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)/g;
const RATIO = /(?<![\d.]|\d,)(\d+(?:\.\d+)?)(?:\s*[–-]\s*(\d+(?:\.\d+)?))?\s*×/g;

/** The figures quoted in a section's sentences (see ProseFigure). */
export function proseFigures(text: string, s: Section): ProseFigure[] {
  const prose = proseOf(text, s);
  const lineAt = (i: number): number => s.line + (prose.slice(0, i).match(/\n/g)?.length ?? 0);
  const out: ProseFigure[] = [];
  for (const m of prose.matchAll(SEPARATED)) out.push({ section: s.title, text: m[0], value: number(m[0]), line: lineAt(m.index) });
  for (const m of prose.matchAll(RATIO)) {
    for (const part of [m[1], m[2]]) if (part !== undefined) out.push({ section: s.title, text: part, value: number(part), line: lineAt(m.index) });
  }
  return out;
}

/** Sections holding generated tables, each with the numbers of those tables and the figures of its sentences. */
export function sectionsWithTables(text: string): Array<{ section: Section; tableNumbers: Set<number>; figures: ProseFigure[] }> {
  return sections(text)
    .map((section) => {
      const blocks = findBlocks(text.slice(section.start, section.end));
      return { section, tableNumbers: new Set(blocks.flatMap((b) => numbersIn(b.current))), figures: proseFigures(text, section), blocks: blocks.length };
    })
    .filter((x) => x.blocks > 0)
    .map(({ section, tableNumbers, figures }) => ({ section, tableNumbers, figures }));
}
