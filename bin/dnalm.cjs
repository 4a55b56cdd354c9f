#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI itself is bundled into dist/main by `npm run build` (run automatically by `npm ci`).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'main', 'cli.cjs');
if (!fs.existsSync(entry)) {
  process.stderr.write('dnalm: the application is not built yet; run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(2);
}
require(entry);
