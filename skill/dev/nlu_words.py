"""Word lists and text normalisation for the offline NLU (skill/dev/nlu.py)."""
from __future__ import annotations

import re

# Words people put around a request that carry no meaning for the skill.
FILLERS = frozenset("alexa um umm uh uhh uhm er erm hmm hm mm ah oh ow ouch ugh please like "
                    "hey hi hello so".split())
# Lazily typed forms, then contractions spelled out: one form on both sides of a comparison.
LAZY = {"im": "i'm", "dont": "don't", "cant": "can't", "whats": "what's", "doesnt": "doesn't",
        "didnt": "didn't", "youre": "you're", "thats": "that's", "isnt": "isn't", "ok": "okay"}
EXPANSIONS = {"i'm": "i am", "what's": "what is", "it's": "it is", "that's": "that is",
              "there's": "there is", "he's": "he is", "she's": "she is", "you're": "you are",
              "they're": "they are", "we're": "we are", "don't": "do not", "doesn't": "does not",
              "didn't": "did not", "can't": "can not", "cannot": "can not", "won't": "will not",
              "isn't": "is not", "aren't": "are not", "haven't": "have not", "i've": "i have",
              "i'd": "i would", "i'll": "i will", "let's": "let us", "who's": "who is"}
# Left out of the content-word comparison. Pronouns stay: "my back" is not "back".
FUNCTION_WORDS = frozenset("a an the it its this that is am are was were be do does did to of in "
                           "on at for with and or but can could would should will just some "
                           "any".split())

# What Amazon's built-in intents understand without any sample in the skill's model (Alexa
# trains them on its own data); without these the offline NLU would be deafer than Alexa.
BUILT_IN_SAMPLES = {
    "AMAZON.YesIntent": ["yes", "yup", "yeah", "sure", "okay", "alright", "definitely", "certainly",
                         "correct", "that's right", "right", "i think so", "sounds good", "uh huh",
                         "please do", "yes i would", "yes he is", "yes she is", "yes they are",
                         "it does", "he does", "she does"],
    "AMAZON.NoIntent": ["no", "nope", "nah", "no way", "not at all",
                        "definitely not", "i don't think so", "not really", "negative",
                        "no he isn't", "no she isn't", "he doesn't", "she doesn't", "they don't",
                        "it doesn't", "i'm good"],
    "AMAZON.HelpIntent": ["help", "help me", "i need help", "how does this work", "what do i do",
                          "what do i say", "what are the options", "what can i ask",
                          "i'm confused", "i'm lost", "instructions"],
    "AMAZON.StopIntent": ["stop", "bye", "good bye", "bye bye", "i'm done", "that's all",
                          "that's it", "be quiet", "shut up", "enough", "end", "off", "leave",
                          "stop it", "i'm finished", "we're done"],
    "AMAZON.CancelIntent": ["cancel", "never mind", "nevermind", "cancel that", "forget about it"],
    "AMAZON.RepeatIntent": ["repeat", "again", "say again", "pardon", "come again", "sorry what",
                            "i didn't hear you", "i didn't catch that", "one more time",
                            "repeat please", "say that one more time", "what was that"],
    "AMAZON.NextIntent": ["next", "skip", "keep going", "move on", "what's next", "done",
                          "then what", "and then", "go ahead and continue", "next please",
                          "i'm done with this step"],
    "AMAZON.PreviousIntent": ["previous", "go back", "back up", "the one before", "before that",
                              "previous one", "last one", "go back one"],
    "AMAZON.StartOverIntent": ["start over", "restart", "begin again", "from the beginning",
                               "start from scratch", "reset", "go back to the beginning",
                               "start it over"],
}

# Alexa's out-of-domain model knows what people ask Alexa for in general; these requests, with
# the model's own AMAZON.FallbackIntent samples, compete as AMAZON.FallbackIntent.
OUT_OF_DOMAIN = [
    "what's the weather today", "will it rain tomorrow", "what's the forecast", "is it going to snow",
    "how cold is it outside", "play music", "play my playlist", "play the radio", "play a podcast",
    "play a song by taylor swift", "turn up the volume", "pause the music", "set an alarm for seven",
    "set a timer", "how much time is left", "what day is it today", "what's the date",
    "wake me up at six", "turn on the lights", "dim the living room lights",
    "set the thermostat to seventy", "lock the front door", "add eggs to my list",
    "what's on my shopping list", "order more paper towels", "buy batteries", "what's the news",
    "give me my flash briefing", "what's the score of the football game", "who is the president",
    "how tall is mount everest", "how far away is the moon", "sing me a song",
    "tell me something funny", "what's your name", "how old are you", "spell banana",
    "send a message", "read my messages", "what's on my calendar",
]

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
          "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINALS = ("zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
             "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
             "nineteenth").split()
UNIT_WORDS = {**{w: i for i, w in enumerate(_UNITS)}, **{w: i for i, w in enumerate(_ORDINALS)}}
TEN_WORDS = {**{w: 20 + 10 * i for i, w in enumerate(_TENS)},
             **{w[:-1] + "ieth": 20 + 10 * i for i, w in enumerate(_TENS)}}
DIGITS = re.compile(r"\d+(?:st|nd|rd|th)?")


def words_of(text: str) -> list[str]:
    """Lower case words, contractions spelled out, fillers dropped."""
    text = re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("\u2019", "'"))
    words = []
    for word in text.split():
        word = LAZY.get(word.strip("'"), word.strip("'"))
        words.extend(EXPANSIONS.get(word, word).split())
    return [w for w in words if w and w not in FILLERS]


def normalise(text: str) -> str:
    return " ".join(words_of(text))


def content(words: list[str]) -> list[str]:
    return [w for w in words if w not in FUNCTION_WORDS]


def number_at(words: list[str], i: int) -> tuple[int, int] | None:
    """(value, words used) for a number spoken or written at words[i]: 3, 3rd, three, third,
    twenty one."""
    word = words[i]
    if DIGITS.fullmatch(word):
        return int(re.sub(r"\D", "", word)), 1
    if word in UNIT_WORDS:
        return UNIT_WORDS[word], 1
    if word in TEN_WORDS:
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word.endswith("y") and 0 < UNIT_WORDS.get(nxt, 0) < 10:
            return TEN_WORDS[word] + UNIT_WORDS[nxt], 2
        return TEN_WORDS[word], 1
    return None
