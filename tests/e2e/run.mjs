// Runs every end-to-end test file of the page in headless Chromium.
import { runAll } from './harness.mjs';
import './page.test.mjs';
import './train.test.mjs';
import './data.test.mjs';
import './views.test.mjs';
import './tour.test.mjs';

await runAll();
