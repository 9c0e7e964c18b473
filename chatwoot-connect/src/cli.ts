// `npm run connect-chatwoot -- ...`: the same command as the `switchboard-connect` bin.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), process.env);
