// Validates APL documents, and the data sent with them, with apl-suggester (the linter
// behind Amazon's APL authoring tool).
// Usage: node check.js documents.json
//   documents.json: [{"id": "...", "document": {...APL...}, "datasources": {...} or null}, ...]
// Prints one JSON object: the validator's version, how many were checked, and for each item
// every finding (path, message, level) about the document or its datasources.
'use strict';

const fs = require('fs');
const path = require('path');
const {StaticAplTemplateValidator} = require('apl-suggester');

async function main() {
  const [file] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node check.js documents.json');
    process.exit(2);
  }
  const items = JSON.parse(fs.readFileSync(file, 'utf8'));
  const version = require(path.join(__dirname, 'node_modules', 'apl-suggester', 'package.json')).version;
  const results = [];
  for (const item of items) {
    const validator = new StaticAplTemplateValidator();
    const findings = await validator.validate(item.document);
    if (item.datasources) {
      findings.push(...await validator.validateDataSources(item.datasources));
    }
    results.push({id: item.id, findings});
  }
  process.stdout.write(JSON.stringify({validator: `apl-suggester@${version}`,
    checked: items.length, results}) + '\n');
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
