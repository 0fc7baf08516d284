// A stand-in for Runner.Worker: runs one step (the runner emulator) as its child, writes the
// step's result to a file, then stays up like the worker between steps, until it is killed.
//   node runner-worker.mjs OPTIONS.json RESULT.json
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { runStep } from '../../sandbox/runner.mjs';

const [optionsFile, resultFile] = process.argv.slice(2);
const result = await runStep(JSON.parse(readFileSync(optionsFile, 'utf8')));
writeFileSync(`${resultFile}.tmp`, JSON.stringify(result));
renameSync(`${resultFile}.tmp`, resultFile);
setInterval(() => {}, 60_000);
