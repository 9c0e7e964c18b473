#!/usr/bin/env node
// The repository runs TypeScript directly (tsx), with no build step: register the loader,
// then run the CLI. `npx kb-ingest ...` from the repository root lands here.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
