#!/usr/bin/env node
// The repository runs TypeScript directly (tsx), with no build step: register the loader,
// then run the CLI. `npx switchboard-connect ...` and `npm run connect-chatwoot` land here.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), process.env);
