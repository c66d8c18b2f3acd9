import { describe, expect, it } from "vitest";
import { TerminalText, stripTerminal } from "../src/chat/strip";

describe("stripTerminal", () => {
  it("removes colours and attributes", () => {
    expect(stripTerminal("\x1b[1;31mred\x1b[0m and \x1b[38;2;1;2;3mtrue colour\x1b[m")).toBe("red and true colour");
  });

  it("removes cursor movement, erase and mode sequences", () => {
    expect(stripTerminal("\x1b[?25l\x1b[2K\x1b[1Ghello\x1b[K\x1b[?2004h")).toBe("hello");
  });

  it("turns cursor-forward into spaces", () => {
    expect(stripTerminal("a\x1b[3Cb")).toBe("a   b");
  });

  it("removes OSC titles and keeps the text of hyperlinks", () => {
    expect(stripTerminal("\x1b]0;my title\x07\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\ text")).toBe("link text");
  });

  it("removes DCS and other string sequences", () => {
    expect(stripTerminal("a\x1bPq#0;2;0;0;0\x1b\\b\x1b_apc\x1b\\c")).toBe("abc");
  });

  it("removes two-character and charset escapes", () => {
    expect(stripTerminal("\x1b(B\x1b7x\x1b8\x1b=y\x1b>")).toBe("xy");
  });

  it("removes 8-bit CSI", () => {
    expect(stripTerminal("\u009b31mred\u009b0m")).toBe("red");
  });

  it("drops box-drawing frames and keeps what is inside", () => {
    const box = "╭──────────╮\r\n│ Welcome! │\r\n╰──────────╯\r\n┌─┬─┐\r\n│a│b│\r\n└─┴─┘";
    expect(stripTerminal(box)).toBe("Welcome!\na b");
  });

  it("keeps the last state of a carriage-return progress line", () => {
    expect(stripTerminal("Downloading  10%\rDownloading  55%\rDownloading 100%\r\ndone")).toBe("Downloading 100%\ndone");
  });

  it("removes block-element and ASCII progress bars", () => {
    expect(stripTerminal("███████░░░░░ 60%\n[=======>      ] 50%\n(####      )\nok")).toBe("60%\n50%\nok");
  });

  it("removes braille and glyph spinners, including their redraws", () => {
    expect(stripTerminal("⠋ Working\r⠙ Working\r⠹ Working\r\n✻ Thinking…\nresult")).toBe("Working\nThinking…\nresult");
  });

  it("drops lines that held only decoration, collapses blank runs and trims the ends", () => {
    expect(stripTerminal("\n\n────────\nfirst\n\n\n\nsecond\n⠋\n\n")).toBe("first\n\nsecond");
  });

  it("applies backspace", () => {
    expect(stripTerminal("abx\bc")).toBe("abc");
  });

  it("keeps emoji and non-Latin text", () => {
    expect(stripTerminal("héllo 世界 🐱")).toBe("héllo 世界 🐱");
  });
});

describe("TerminalText", () => {
  it("removes a sequence split across chunks", () => {
    const text = new TerminalText();
    for (const chunk of ["a\x1b", "[3", "1mb\x1b]0;ti", "tle\x07c"]) text.write(chunk);
    expect(text.text()).toBe("abc");
  });

  it("starts a new bubble on reset but finishes a sequence in progress", () => {
    const text = new TerminalText();
    text.write("old\x1b[3");
    text.reset();
    text.write("2mnew");
    expect(text.text()).toBe("new");
  });

  it("keeps at most its line limit", () => {
    const text = new TerminalText(3);
    text.write("1\n2\n3\n4\n5");
    expect(text.text()).toBe("3\n4\n5");
  });
});

import { withoutEcho } from "../src/chat/chat-view";

describe("withoutEcho", () => {
  it("drops the echoed line", () => {
    expect(withoutEcho("ls\nfile.txt\n$", "ls")).toBe("file.txt\n$");
  });

  it("drops the last piece of a wrapped echo", () => {
    expect(withoutEcho("of a long command\nout", "echo the tail of a long command")).toBe("out");
  });

  it("keeps output that does not start with the echo", () => {
    expect(withoutEcho("hello\nworld", "ls")).toBe("hello\nworld");
    expect(withoutEcho("hello", undefined)).toBe("hello");
  });

  it("drops a lone echo still waiting for its newline", () => {
    expect(withoutEcho("ls", "ls")).toBe("");
  });

  it("drops an echo that came after a prompt drawn late, prompt and all", () => {
    expect(withoutEcho("root@quick-fox-1234:/workspace# ls -l\ntotal 0", "ls -l")).toBe("total 0");
    expect(withoutEcho("Continue? [y/N] y\nok", "y")).toBe("ok");
    expect(withoutEcho("$ ls", "ls")).toBe("");
  });

  it("drops both echoes of a message sent before the shell's line editor started", () => {
    // As bash -l wrote it: the terminal's echo, then the prompt with readline's echo, then the output.
    const sent = "printf '\\e[1mbold\\e[0m\\n'";
    const output = "printf '\\e[1mbold\\e[0m\\n'\r\n\x1b[?2004hroot@vm:/tmp# printf '\\e[1mbold\\e[0m\\n'\r\n"
      + "\x1b[?2004l\r\x1b[1mbold\x1b[0m\r\n\x1b[?2004hroot@vm:/tmp# ";
    expect(withoutEcho(stripTerminal(output), sent)).toBe("bold\nroot@vm:/tmp#");
  });

  it("keeps output that repeats the echo once the echo is dropped", () => {
    expect(withoutEcho("echo ls\nls\n$", "echo ls")).toBe("ls\n$");
    expect(withoutEcho("ls\nls\n$", "ls")).toBe("ls\n$");
  });

  it("keeps a line that only happens to end with what was sent", () => {
    expect(withoutEcho("tools\nmore", "ls")).toBe("tools\nmore");
  });
});

describe("withoutEcho with decorated input", () => {
  it("matches an echo that went through the same cleaning", () => {
    const sent = "printf '\\e[31m│ boxed │'";
    expect(withoutEcho(stripTerminal(sent) + "\nboxed", sent)).toBe("boxed");
  });
});
