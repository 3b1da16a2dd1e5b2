// Checks a batch of SSML documents with ssml-check-core, for Alexa.
// Usage: node check.js strings.json [locale]
//   strings.json: [{"id": "...", "ssml": "<speak>...</speak>", "locale": "es-US"}, ...]
//   (an item without a locale is checked for the one given, en-US by default)
// Prints one JSON object: the checker's version, how many were checked, and each
// document ssml-check-core finds fault with, with its errors.
'use strict';

const fs = require('fs');
const path = require('path');
const ssmlCheck = require('ssml-check-core');

async function main() {
  const [file, locale = 'en-US'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node check.js strings.json [locale]');
    process.exit(2);
  }
  const items = JSON.parse(fs.readFileSync(file, 'utf8'));
  const version = require(path.join(__dirname, 'node_modules', 'ssml-check-core', 'package.json')).version;
  const failures = [];
  for (const item of items) {
    // A fresh options object each time: the library writes defaults into the one it is given.
    const errors = await ssmlCheck.check(item.ssml,
      {platform: 'amazon', locale: item.locale || locale, getPositions: true});
    if (errors && errors.length) {
      failures.push({id: item.id, errors});
    }
  }
  process.stdout.write(JSON.stringify({checker: `ssml-check-core@${version}`, platform: 'amazon',
    locale, checked: items.length, failures}) + '\n');
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
