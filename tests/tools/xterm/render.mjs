// Renders byte streams with xterm.js headless and prints what a client would show, as JSON.
// The screen-model tests hold the agent's emulator to this independent one.
//
//   node render.mjs FILE COLS ROWS [SCROLLBACK]   one stream from a file
//   node render.mjs --batch < cases.json           many: {"cases":[{id, cols, rows, scrollback, steps}]}
//
// A batch step is {"data": "<base64 bytes>"} or {"resize": [cols, rows]}.
// Internals (_core) are read for state the public API does not expose (saved cursor, scroll
// region, mouse encoding, charsets, current attributes); they are pinned by the exact version.
import { readFileSync } from 'node:fs';
import headless from '@xterm/headless';
import unicode11 from '@xterm/addon-unicode11';

const { Terminal } = headless;
const { Unicode11Addon } = unicode11;

function write(term, bytes) {
  return new Promise(resolve => term.write(bytes, resolve));
}

// A cell's attributes as a short key; runs of equal keys are joined as "N*key".
// A zero-width cell not preceded by a wide character (xterm.js leaves one when ICH splits a wide
// character) shows as a blank; it is reported as one.
function cellKey(core, cell, orphan) {
  const flags =
    (cell.isBold() ? 'B' : '') + (cell.isDim() ? 'D' : '') + (cell.isItalic() ? 'I' : '') +
    (cell.isUnderline() ? 'U' : '') + (cell.isBlink() ? 'K' : '') + (cell.isInverse() ? 'R' : '') +
    (cell.isInvisible() ? 'H' : '') + (cell.isStrikethrough() ? 'S' : '') + (cell.isOverline() ? 'O' : '');
  const fg = (cell.getFgColorMode() >>> 24) + ':' + cell.getFgColor();
  const bg = (cell.getBgColorMode() >>> 24) + ':' + cell.getBgColor();
  const urlId = cell.extended?.urlId;
  const link = urlId ? ' L' + (core._oscLinkService.getLinkData(urlId)?.uri ?? '?') : '';
  return `w${orphan ? 1 : cell.getWidth()} ${fg} ${bg} ${flags}${link}`;
}

// A colour as "mode:value" the way cells report it (palette modes keep only the index; xterm.js
// leaves stale high bits there).
function colorOf(v) {
  const mode = (v >>> 24) & 3;
  return mode + ':' + (mode === 0 ? -1 : mode === 3 ? v & 0xffffff : v & 0xff);
}

function attrOf(a) {
  return { fg: colorOf(a.fg), bg: colorOf(a.bg), flags: [a.fg >>> 26, (a.bg >>> 26) & 0b10011] };
}

function describeLine(core, line, cols) {
  const runs = [];
  let chars = '';
  let last = null;
  let count = 0;
  let previousWidth = 1;
  for (let x = 0; x < cols; x++) {
    const cell = line.getCell(x);
    if (!cell) break;
    const orphan = cell.getWidth() === 0 && previousWidth !== 2 && !cell.getChars();
    previousWidth = cell.getWidth();
    chars += cell.getWidth() === 0 && !orphan ? '' : (cell.getChars() || ' ');
    const key = cellKey(core, cell, orphan);
    if (key === last) {
      count++;
    } else {
      if (last !== null) runs.push(`${count}*${last}`);
      last = key;
      count = 1;
    }
  }
  if (last !== null) runs.push(`${count}*${last}`);
  return { text: chars.replace(/ +$/, ''), wrapped: line.isWrapped, attrs: runs.join(' | ') };
}

function charsetName(core, charset) {
  if (charset === undefined) return 'B';
  return charset['q'] === '\u2500' ? '0' : charset['#'] === '£' ? 'A' : 'other';
}

function describeBuffer(core, buf, api, cols, isActive) {
  const lines = [];
  for (let i = 0; i < api.length; i++) lines.push(describeLine(core, api.getLine(i), cols));
  const tabs = [];
  for (let x = 0; x < cols; x++) if (buf.tabs[x]) tabs.push(x);
  return {
    scrollbackLength: buf.ybase,
    lines,
    scrollRegion: [buf.scrollTop, buf.scrollBottom],
    tabs,
    // What DECRC would restore: the row is relative to the screen and clamped like restoreCursor does.
    saved: {
      x: buf.savedX,
      y: Math.min(Math.max(buf.savedY - buf.ybase, 0), buf.lines.length - buf.ybase - 1),
      attr: attrOf(buf.savedCurAttrData),
      charset: charsetName(core, buf.savedCharset),
    },
    cursor: isActive ? { x: buf.x, y: buf.y } : undefined,
  };
}

function describe(term, title) {
  const core = term._core;
  const buffers = core._bufferService.buffers;
  const cols = term.cols;
  const alternate = buffers.active === buffers.alt;
  const cs = core.coreService;
  const modes = cs.decPrivateModes;
  const attr = core._inputHandler._curAttrData;
  const active = describeBuffer(core, buffers.active, alternate ? term.buffer.alternate : term.buffer.normal, cols, true);
  return {
    cols,
    rows: term.rows,
    alternate,
    cursor: { x: buffers.active.x, y: buffers.active.y },
    lines: active.lines.slice(buffers.active.ybase).map(l => l.text),
    active,
    normal: alternate ? describeBuffer(core, buffers.normal, term.buffer.normal, cols, false) : undefined,
    cursorHidden: cs.isCursorHidden,
    cursorStyle: modes.cursorStyle ?? null,
    cursorBlink: modes.cursorBlink ?? null,
    cursorBlinkOption: core.optionsService.rawOptions.cursorBlink,
    modes: {
      applicationCursorKeys: modes.applicationCursorKeys,
      applicationKeypad: modes.applicationKeypad,
      bracketedPaste: modes.bracketedPasteMode,
      origin: modes.origin,
      wraparound: modes.wraparound,
      reverseWraparound: modes.reverseWraparound,
      sendFocus: modes.sendFocus,
      insert: cs.modes.insertMode,
      mouseProtocol: core.coreMouseService.activeProtocol,
      mouseEncoding: core.coreMouseService.activeEncoding,
    },
    attr: attrOf(attr),
    charsets: {
      glevel: core._charsetService.glevel,
      g: [0, 1, 2, 3].map(i => charsetName(core, core._charsetService._charsets[i])),
    },
    title,
  };
}

async function render(c) {
  const term = new Terminal({ cols: c.cols, rows: c.rows, scrollback: c.scrollback ?? 1000, allowProposedApi: true });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  let title = '';
  term.onTitleChange(t => { title = t; });
  for (const step of c.steps) {
    if (step.resize) term.resize(step.resize[0], step.resize[1]);
    else await write(term, Buffer.from(step.data, 'base64'));
  }
  const result = describe(term, title);
  term.dispose();
  return result;
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--batch') {
    const input = JSON.parse(readFileSync(0, 'utf8'));
    const results = [];
    for (const c of input.cases) results.push({ id: c.id, ...(await render(c)) });
    process.stdout.write(JSON.stringify(results));
    return;
  }
  if (args.length < 3) {
    process.stderr.write('usage: node render.mjs FILE COLS ROWS [SCROLLBACK] | --batch < cases.json\n');
    process.exit(2);
  }
  const data = readFileSync(args[0]).toString('base64');
  const result = await render({ cols: +args[1], rows: +args[2], scrollback: args[3] ? +args[3] : 1000, steps: [{ data }] });
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
}

main().catch(err => { process.stderr.write(String(err.stack || err) + '\n'); process.exit(1); });
