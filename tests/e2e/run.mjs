// Gazette's browser tests (node:test). tests/e2e.rs builds the example site
// under every bundled theme and runs this with the paths in the
// environment (see lib/config.mjs); `cargo test` runs it all.

import { after } from 'node:test';

import { closeBrowser } from './lib/shared.mjs';
import { registerValidityTests, startValidation, stopValidation } from './suites/validity.mjs';

// The Nu Html Checker runs in Java beside the browser tests (two cores);
// its test, registered last, waits for it.
startValidation();

await import('./suites/file-journey.mjs');
await import('./suites/pages.mjs');
await import('./suites/serve-journey.mjs');
registerValidityTests();

after(async () => {
  stopValidation();
  await closeBrowser();
});
