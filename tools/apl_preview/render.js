// Renders APL documents with apl-viewhost-web (Amazon's APL view host: apl-core compiled to
// WebAssembly) in headless Chromium, takes a PNG of each, and presses buttons to record what
// their SendEvent commands send.
// Usage: node render.js jobs.json
//   jobs.json: {"chromium": "/usr/bin/chromium", "jobs": [{"id", "document", "datasources",
//               "viewport": {"width", "height", "dpi", "shape"}, "png", "press": ["Yes", ...]}]}
//   width and height are in dp; the page is width * dpi / 160 pixels wide, as on the device.
// Prints one JSON object: the renderer's version, and for each job its PNG, what each press
// sent, and any error the page reported.
'use strict';

const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const PAGE = 'file://' + path.join(__dirname, 'page.html');

async function render(browser, job) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    const text = message.text();
    // The renderer asks the network for Amazon's fonts; offline, that fails, as expected.
    if (message.type() === 'error' && !/Failed to load resource|FontUtils/.test(text)) {
      errors.push(text);
    }
  });
  const {width, height, dpi = 160, shape = 'rectangle'} = job.viewport;
  const px = (dp) => Math.round(dp * dpi / 160);
  await page.setViewport({width: px(width), height: px(height)});
  await page.goto(PAGE);
  await page.evaluate(async (documentText, dataText, width, height, dpi, round) => {
    await window.engine;
    const content = AplRenderer.Content.create(documentText);
    content.addData('payload', dataText);
    const view = document.getElementById('apl');
    view.style.width = width + 'px';
    view.style.height = height + 'px';
    window.sent = [];
    const renderer = AplRenderer.default.create({
      content, view, theme: 'dark', utcTime: Date.now(), localTimeAdjustment: 0,
      environment: {agentName: 'back-spasm-helper-preview', agentVersion: '1.0'},
      viewport: {width, height, dpi, isRound: round},
      onSendEvent: (event) => window.sent.push(event.arguments),
    });
    await renderer.init();
  }, JSON.stringify(job.document), JSON.stringify(job.datasources), px(width), px(height), dpi,
  shape === 'round');
  await new Promise((resolve) => setTimeout(resolve, 500));  // fonts and layout settle
  await page.screenshot({path: job.png});
  const presses = [];
  for (const label of job.press || []) {
    // A TouchWrapper is drawn as a div of class apl-c; press the one showing the label.
    const box = await page.evaluate((label) => {
      const wrapper = Array.from(document.querySelectorAll('#apl .apl-c'))
        .find((element) => element.textContent.trim() === label);
      if (!wrapper) return null;
      const rect = wrapper.getBoundingClientRect();
      return {x: rect.x + rect.width / 2, y: rect.y + rect.height / 2};
    }, label);
    if (box === null) {
      presses.push({label, sent: null});
      continue;
    }
    const before = await page.evaluate(() => window.sent.length);
    await page.mouse.click(box.x, box.y);
    await page.waitForFunction((n) => window.sent.length > n, {timeout: 5000}, before)
      .catch(() => {});
    const sent = await page.evaluate((n) => window.sent.slice(n), before);
    presses.push({label, sent});
  }
  await page.close();
  return {id: job.id, png: job.png, presses, errors};
}

async function main() {
  const [file] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node render.js jobs.json');
    process.exit(2);
  }
  const {chromium, jobs} = JSON.parse(fs.readFileSync(file, 'utf8'));
  const version = require(path.join(__dirname, 'node_modules', 'apl-viewhost-web',
    'package.json')).version;
  const browser = await puppeteer.launch({executablePath: chromium,
    args: ['--no-sandbox', '--allow-file-access-from-files', '--font-render-hinting=none']});
  try {
    const results = [];
    for (const job of jobs) {
      results.push(await render(browser, job));
    }
    process.stdout.write(JSON.stringify({renderer: `apl-viewhost-web@${version}`,
      browser: await browser.version(), results}) + '\n');
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
