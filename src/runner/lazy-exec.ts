// The entries' Exec: exec.ts (and node:child_process) load with the first program run, which most
// main steps and post steps never make.
import type { Exec } from './exec.js';

export const lazyExec: Exec = (...args) => import('./exec.js').then((m) => m.exec(...args));
