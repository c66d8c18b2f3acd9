// Prints each failed test of the TRX files and the Vitest JSON report given as arguments: its name and
// the first lines of its message, so that the end of a test run says what failed without scrolling back.
import { readFileSync } from 'node:fs';

const decode = (s) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#xD;/g, '').replace(/&#xA;/g, '\n').replace(/&amp;/g, '&');
const excerpt = (message) => message.split('\n').filter((l) => l.trim() !== '').slice(0, 6).map((l) => `    ${l.slice(0, 300)}`).join('\n');

for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    for (const suite of JSON.parse(text).testResults ?? []) {
      for (const test of suite.assertionResults ?? []) {
        if (test.status === 'failed') console.log(`FAILED ${test.fullName}\n${excerpt((test.failureMessages ?? []).join('\n'))}`);
      }
    }
    continue;
  }
  // A passed test is usually a self-closing element; a failed one holds its message.
  for (const match of text.matchAll(/<UnitTestResult\b([^>]*?)(?:\/>|>([\s\S]*?)<\/UnitTestResult>)/g)) {
    if (!/\boutcome="Failed"/.test(match[1])) continue;
    const name = decode(/\btestName="([^"]*)"/.exec(match[1])?.[1] ?? '?');
    const message = decode(/<Message>([\s\S]*?)<\/Message>/.exec(match[2] ?? '')?.[1] ?? '');
    const duration = /\bduration="([^"]*)"/.exec(match[1])?.[1] ?? '';
    console.log(`FAILED ${name} (${duration})\n${excerpt(message)}`);
  }
}
