// The CLI as its own process, straight from the sources (bundled by cli-process.ts): what bin/ssmguard.js does with dist/.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
