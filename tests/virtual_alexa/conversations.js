#!/usr/bin/env node
// Whole conversations with virtual-alexa against Back Spasm Helper served over HTTP.
//
//   node conversations.js SKILL_URL MODEL_PATH [LOCALE]   (or VA_SKILL_URL / VA_MODEL_PATH)
//
// LOCALE (en-US by default, or es-US) picks the conversations and the requests' locale.
//
// Each conversation starts a fresh virtual device (a new session). virtual-alexa turns
// each utterance into an intent through the interaction model, as Alexa would, and POSTs
// the request to the skill. Prints one JSON line per conversation, then a summary line.
// Exits 1 if any expectation failed, 2 on a usage or set-up error.
"use strict";

const path = require("path");
const va = require("virtual-alexa");

const skillURL = process.argv[2] || process.env.VA_SKILL_URL;
const modelPath = process.argv[3] || process.env.VA_MODEL_PATH;
const locale = process.argv[4] || "en-US";
if (!skillURL || !modelPath) {
  console.error("usage: node conversations.js SKILL_URL MODEL_PATH [LOCALE]");
  process.exit(2);
}

const PHONE = "920-725-9373";
const PHONE_DIGITS = ["920", "725", "9373"].map((d) => `<say-as interpret-as="digits">${d}</say-as>`);

// ---- what a reply looks like ------------------------------------------------------------

const ssmlOf = (reply) => (reply.response && reply.response.outputSpeech && reply.response.outputSpeech.ssml) || "";
const spoken = (ssml) => ssml.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
const stateOf = (reply) => (reply.sessionAttributes && reply.sessionAttributes.state) || {};

// ---- expectations: each returns a problem (string) or null ------------------------------

const says = (...phrases) => (reply) => {
  const text = spoken(ssmlOf(reply)).toLowerCase();
  const missing = phrases.filter((p) => !text.includes(p.toLowerCase()));
  return missing.length ? `speech lacks ${JSON.stringify(missing)}` : null;
};
const neverSays = (...phrases) => (reply) => {
  const text = spoken(ssmlOf(reply)).toLowerCase();
  const found = phrases.filter((p) => text.includes(p.toLowerCase()));
  return found.length ? `speech should not say ${JSON.stringify(found)}` : null;
};
const ssmlHas = (...fragments) => (reply) => {
  const missing = fragments.filter((f) => !ssmlOf(reply).includes(f));
  return missing.length ? `SSML lacks ${JSON.stringify(missing)}` : null;
};
const card = ({ title, contains = [] }) => (reply) => {
  const c = reply.response && reply.response.card;
  if (!c) return "no card";
  const text = c.content || c.text || "";
  if (title && c.title !== title) return `card title is ${JSON.stringify(c.title)}, expected ${JSON.stringify(title)}`;
  const missing = contains.filter((s) => !text.includes(s));
  return missing.length ? `card lacks ${JSON.stringify(missing)}: ${JSON.stringify(text)}` : null;
};
const noCard = (reply) => (reply.response && reply.response.card ? "unexpected card" : null);
const ends = (reply) => (reply.response.shouldEndSession === true ? null : "session should end");
const asks = (reply) => {
  if (reply.response.shouldEndSession) return "session ended, expected a question";
  if (!spoken(ssmlOf(reply)).endsWith("?")) return "an open session should end on a question";
  return reply.response.reprompt ? null : "an open session needs a reprompt";
};
const state = (expected) => (reply) => {
  const actual = stateOf(reply);
  const wrong = Object.keys(expected).filter((k) => actual[k] !== expected[k]);
  return wrong.length
    ? `session state ${wrong.map((k) => `${k}=${JSON.stringify(actual[k])}`).join(", ")}, expected ${JSON.stringify(expected)}`
    : null;
};
const repeatsLastTurn = (reply, history) =>
  ssmlOf(reply) === ssmlOf(history[history.length - 2]) ? null : "speech differs from the turn before";

// ---- the conversations --------------------------------------------------------------------

const turn = (utterance, ...checks) => ({ utterance, checks });
// virtual-alexa knows the English launch phrases only ("open ..."): a Spanish launch is sent as such.
const LAUNCH = null;
const noTo = (count, ...checks) => Array.from({ length: count }, (_, i) => turn(i % 3 === 2 ? "nope" : "no", asks, ...checks));

const english = [
  {
    name: "launch",
    turns: [
      turn("open back spasm helper", says("not medical advice", "911", "relief", "safety check"), asks, state({ pending: "welcome" })),
    ],
  },
  {
    name: "emergency",
    turns: [
      turn("open back spasm helper", asks),
      // Yes to "relief now?": the emergency signs in one breath come first.
      turn("yes", says("peeing", "chest or belly pain", "fever"), asks, state({ pending: "quick_screen" })),
      // Yes to that: the signs one at a time (some are 911, some are not), then 911 on a 911 sign.
      turn("yes", says("one at a time", "wetting"), asks, state({ pending: "triage", question: "bladder" })),
      turn("yes", says("911", "alexa can't", "emergency contact"), card({ title: "Call 911 now", contains: ["911", "emergency contact"] }), ends),
    ],
  },
  {
    name: "provider",
    turns: [
      // A one-shot request: "Alexa, ask back spasm helper to check my back".
      turn("ask back spasm helper to check my back", says("wetting"), asks, state({ pending: "triage" })),
      // No to the six emergency questions and the rest, each answered as a person would.
      turn("no I haven't", says("between your legs"), asks),
      turn("no there isn't", says("below the knee"), asks),
      turn("no they're not", says("chest pain"), asks),
      turn("no I don't", says("a fall"), asks),
      turn("no it didn't", says("fever"), asks),
      turn("nope", says("immune system"), asks, state({ question: "immune_bones" })),
      turn("no", says("cancer"), asks),
      turn("no", says("at night"), asks),
      turn("no", says("how old"), asks, state({ question: "age" })),
      turn("I'm 35", says("pregnant"), asks, state({ question: "pregnant" })),
      turn("no", says("a week"), asks, state({ question: "course" })),
      turn("yes I do", says("see a provider", "keeps coming back", "alexa app"), noCard, asks, state({ pending: "offer_card" })),
      turn("yes please", says("alexa app"), card({ title: "Neuroscience Group", contains: [PHONE, "https://"] }), asks),
    ],
  },
  {
    name: "home care and relief steps",
    turns: [
      turn("open back spasm helper", asks),
      turn("my back is cramping", says("wetting"), asks, state({ pending: "triage" })),
      ...noTo(9, state({ pending: "triage" })),
      turn("I'm 35", says("pregnant"), asks, state({ question: "pregnant" })),
      turn("no", says("a week"), asks, state({ question: "course" })),
      turn("no", says("week", "provider"), neverSays("911 now"), asks, state({ pending: "offer_relief" })),
      turn("yes", says("Step 1 of 8", "knees bent"), asks, state({ pending: "relief", step: 0 })),
      turn("next", says("Step 2 of 8", "breathe"), ssmlHas('<prosody rate="slow">'), asks),
      turn("go back", says("Step 1 of 8"), asks, state({ step: 0 })),
      turn("repeat", says("Step 1 of 8"), repeatsLastTurn, asks),
      turn("go to step five", says("Step 5 of 8", "home care"), asks, state({ step: 4 })),
      turn("slower", says("Step 5 of 8"), ssmlHas('<prosody rate="slow">'), asks, state({ rate: 1 })),
      turn("stop", says("911"), ends),
    ],
  },
  {
    name: "caregiver",
    turns: [
      turn("open back spasm helper", asks),
      turn("my husband has a back spasm", says("about him", "wetting"), asks,
        state({ subject: "he", question: "bladder" })),
      turn("nah", says("between his legs"), neverSays("your"), asks),
      turn("I'm not sure", says("his legs"), asks),
    ],
  },
  {
    name: "clinic card",
    turns: [
      turn("open back spasm helper", asks),
      turn("what's the clinic's number", says("Neuroscience Group"), ssmlHas(...PHONE_DIGITS), asks),
      turn("send it to my phone", says("alexa app"), card({ title: "Neuroscience Group", contains: [PHONE, "911"] }), asks),
      turn("no thanks", says("911"), ends),
    ],
  },
];

// The same conversations in Spanish, said as a patient or a caregiver in the US would.
const spanish = [
  {
    name: "launch",
    turns: [
      turn(LAUNCH, says("no consejo médico", "911", "alivio"), asks, state({ pending: "welcome" })),
    ],
  },
  {
    name: "emergency",
    turns: [
      turn(LAUNCH, asks),
      turn("sí", says("orinar", "dolor de pecho", "fiebre"), asks, state({ pending: "quick_screen" })),
      turn("sí", says("una por una", "orinado"), asks, state({ pending: "triage", question: "bladder" })),
      turn("sí", says("llame al 911", "alexa no puede"), ssmlHas('<say-as interpret-as="digits">911</say-as>'),
        card({ title: "Llame al 911 ahora", contains: ["911", "contacto de emergencia"] }), ends),
    ],
  },
  {
    name: "provider",
    turns: [
      turn(LAUNCH, asks),
      turn("revisa mi espalda", says("orinar"), asks, state({ pending: "triage" })),
      turn("no", says("entre las piernas"), asks),
      turn("no tiene", says("rodilla"), asks),
      turn("no", says("pecho"), asks),
      turn("no pasó", says("caída"), asks),
      turn("no hay", says("fiebre"), asks),
      turn("no", says("defensas"), asks, state({ question: "immune_bones" })),
      turn("no", says("cáncer"), asks),
      turn("no", says("noche"), asks),
      turn("no", says("cuántos años"), asks, state({ question: "age" })),
      turn("tengo 35", says("embarazada"), asks, state({ question: "pregnant" })),
      turn("no", says("una semana"), asks, state({ question: "course" })),
      turn("sí", says("médico", "que vuelve", "app de alexa"), noCard, asks, state({ pending: "offer_card" })),
      turn("sí por favor", says("app de alexa"), card({ title: "Neuroscience Group", contains: [PHONE, "https://"] }), asks),
    ],
  },
  {
    name: "home care and relief steps",
    turns: [
      turn(LAUNCH, asks),
      turn("me duele la espalda", says("orinar"), asks, state({ pending: "triage" })),
      ...Array.from({ length: 9 }, () => turn("no", asks, state({ pending: "triage" }))),
      turn("tengo 35", says("embarazada"), asks, state({ question: "pregnant" })),
      turn("no", says("una semana"), asks, state({ question: "course" })),
      turn("no", says("semana", "médico"), neverSays("llame al 911"), asks, state({ pending: "offer_relief" })),
      turn("sí", says("Paso 1 de 8", "doble las rodillas"), asks, state({ pending: "relief", step: 0 })),
      turn("siguiente", says("Paso 2 de 8", "respirar"), ssmlHas('<prosody rate="slow">'), asks),
      turn("atrás", says("Paso 1 de 8"), asks, state({ step: 0 })),
      turn("repite", says("Paso 1 de 8"), repeatsLastTurn, asks),
      turn("ve al paso 5", says("Paso 5 de 8", "cuidados en casa"), asks, state({ step: 4 })),
      turn("más despacio", says("Paso 5 de 8"), ssmlHas('<prosody rate="slow">'), asks, state({ rate: 1 })),
      turn("alto", says("911"), ends),
    ],
  },
  {
    name: "caregiver",
    turns: [
      turn(LAUNCH, asks),
      turn("mi esposo tiene un espasmo en la espalda", says("sobre él", "se ha orinado"), asks,
        state({ subject: "he", question: "bladder" })),
      turn("no", says("siente él adormecimiento"), neverSays("usted"), asks),
      turn("no sé", says("tiene él dolor nuevo más abajo de la rodilla"), asks),
    ],
  },
  {
    name: "clinic card",
    turns: [
      turn(LAUNCH, asks),
      turn("cuál es el número de la clínica", says("Neuroscience Group"), ssmlHas(...PHONE_DIGITS), asks),
      turn("mándalo a mi teléfono", says("app de alexa"), card({ title: "Neuroscience Group", contains: [PHONE, "911"] }), asks),
      turn("no gracias", says("911"), ends),
    ],
  },
];

const conversations = { "en-US": english, "es-US": spanish }[locale];
if (!conversations) {
  console.error(`no conversations for locale ${locale}`);
  process.exit(2);
}

// ---- running them -------------------------------------------------------------------------

async function run(conversation) {
  const alexa = va.VirtualAlexa.Builder()
    .skillURL(skillURL)
    .interactionModelFile(path.resolve(modelPath))
    .locale(locale)
    .create();
  const history = [];
  for (const [index, { utterance, checks }] of conversation.turns.entries()) {
    const failure = (problem, reply) => ({
      name: conversation.name, passed: false, turns: index + 1,
      failure: { turn: index + 1, said: utterance === LAUNCH ? "(launch)" : utterance, problem, speech: reply ? spoken(ssmlOf(reply)) : null },
    });
    let reply;
    try {
      reply = utterance === LAUNCH ? await alexa.launch() : await alexa.utter(utterance);
    } catch (error) {
      // "Unable to match utterance": the interaction model lacks this phrasing.
      return failure(`request failed: ${error && error.message ? error.message : error}`);
    }
    history.push(reply);
    if (!reply || !reply.response) return failure("no response in the reply", reply);
    for (const check of checks) {
      const problem = check(reply, history);
      if (problem) return failure(problem, reply);
    }
  }
  return { name: conversation.name, passed: true, turns: conversation.turns.length };
}

async function main() {
  const results = [];
  for (const conversation of conversations) {
    const result = await run(conversation);
    results.push(result);
    console.log(JSON.stringify(result));
  }
  const turns = results.reduce((sum, r) => sum + r.turns, 0);
  const failed = results.filter((r) => !r.passed).map((r) => r.name);
  console.log(`virtual-alexa ${locale}: ${results.length} conversations, ${turns} turns, ` +
    (failed.length ? `FAILED: ${failed.join(", ")}` : "all passed"));
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(2);
});
