"""Word lists and text normalisation for the offline NLU (devkit/nlu.py), per language.

The English lists come first, then the Spanish ones; a `Language` bundles one language's
lists, and `language_for("es-US")` picks it. Text is lower-cased and stripped of accents
before any list is consulted (people type "que" for "qué"), so the lists are written without.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

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
              "i'd": "i would", "i'll": "i will", "let's": "let us", "who's": "who is",
              "wasn't": "was not", "weren't": "were not", "hasn't": "has not",
              "hadn't": "had not", "shouldn't": "should not", "couldn't": "could not",
              "wouldn't": "would not", "mustn't": "must not", "ain't": "is not",
              "he'd": "he would", "she'd": "she would", "we'd": "we would", "you'd": "you would",
              "they'd": "they would", "he'll": "he will", "she'll": "she will",
              "it'll": "it will", "that'll": "that will", "we'll": "we will",
              "you'll": "you will", "they'll": "they will", "we've": "we have",
              "you've": "you have", "they've": "they have", "where's": "where is",
              "how's": "how is", "when's": "when is", "why's": "why is", "here's": "here is",
              # Spoken forms; Alexa's speech recognition writes them out.
              "gonna": "going to", "wanna": "want to", "gotta": "got to",
              "dunno": "do not know", "kinda": "kind of", "sorta": "sort of", "lemme": "let me",
              "gimme": "give me", "outta": "out of", "lotta": "lot of", "y'all": "you all",
              "cuz": "because", "'cause": "because", "coz": "because"}
# Sounds that are answers, not hesitation: "uh huh" is yes. Joined before the fillers go, so
# "uh" alone is still a filler. ("uh uh" stays two fillers: heard as no, a hesitation on a
# safety question would be taken for an answer.)
JOINED = {"uh huh": "uhhuh", "mm hmm": "mmhmm", "mm hm": "mmhmm", "mhm": "mmhmm",
          "m hm": "mmhmm", "mmhm": "mmhmm"}
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
    # Thanks are no answer: never a "no" to a safety question because "no thanks" is a sample.
    "thanks", "thank you", "thank you so much",
    # Long requests too: people tell Alexa stories about other things, and a story scores low
    # against every sample (see nlu.LONG_WORDS), so the long ones must compete as well.
    "my neighbor's dog barked the whole night and i couldn't get any sleep what should i do",
    "can you tell me how long i should roast a twelve pound turkey in the oven",
    "i need to know what time the pharmacy on main street closes on sundays",
    "my daughter has a school project about volcanoes can you tell her how they form",
    "remind me what my sister's address is so i can mail her birthday card",
    "i've had a pounding headache since lunch and the light is bothering my eyes",
    "my toddler has a runny nose and a cough and won't eat his dinner tonight",
    "i sprained my ankle stepping off the curb and now it's swollen and purple",
    "the kitchen sink is clogged again and the water won't go down what do i use",
    "what's a good movie for the whole family to watch on a friday night",
    "we're driving to my mother's house tomorrow is the highway going to be icy",
    "can you play some soft piano music so i can fall asleep a little easier",
    "my knee has been clicking and aching every time i climb the stairs lately",
    "how many cups of flour do i need to make a dozen chocolate chip cookies",
    "i think i left the garage door open can you check if it's closed",
    "my cat keeps throwing up after she eats should i switch her food",
    "tell me a long bedtime story about a dragon for my little boy",
    "what are the hours for the post office near me this saturday morning",
    "i have a sore throat and my ears hurt when i swallow what should i take",
    "can you add milk eggs bread and bananas to my grocery list please",
    "what's the weather today", "will it rain tomorrow", "what's the forecast",
    "is it going to snow",
    "how cold is it outside", "play music", "play my playlist", "play the radio", "play a podcast",
    "play a song by taylor swift", "turn up the volume", "pause the music",
    "set an alarm for seven",
    "set a timer", "how much time is left", "what day is it today", "what's the date",
    "wake me up at six", "turn on the lights", "dim the living room lights",
    "set the thermostat to seventy", "lock the front door", "add eggs to my list",
    "what's on my shopping list", "order more paper towels", "buy batteries", "what's the news",
    "give me my flash briefing", "what's the score of the football game", "who is the president",
    "how tall is mount everest", "how far away is the moon", "sing me a song",
    "tell me something funny", "what's your name", "how old are you", "spell banana",
    "send a message", "read my messages", "what's on my calendar",
    "call my son", "call my daughter", "call my wife", "call my husband", "call mom",
    "text my wife", "text my son", "send a text to my husband", "message my daughter",
    "send a message to my brother", "turn off the lights", "turn on the kitchen lights",
    "set the temperature to seventy two", "make it warmer in here", "turn the volume down",
    "volume up", "play some jazz", "turn on the tv", "put on the news",
    "play my favorite podcast", "shuffle my music", "what's two plus two",
    "what's ten times twelve", "what's the capital of france", "how many ounces in a cup",
    "who wrote romeo and juliet", "how do i make pancakes", "give me a recipe for chicken soup",
    "how long do i bake chicken", "add milk to my shopping list", "put bread on the grocery list",
    "set a timer for ten minutes", "tell me a joke", "tell me a knock knock joke",
    "is it going to be hot today", "do i need an umbrella", "what's the temperature outside",
    "who won the game last night", "what's the score of the lakers game",
    "when do the cowboys play", "i have a headache", "what helps a headache", "my throat is sore",
    "i have a sore throat", "what are the symptoms of the flu", "i have a bad cough",
    "how do i get rid of a cough", "my tooth hurts", "i have a toothache", "i have a cold",
    "what helps with tooth pain", "my molar is killing me", "i have a migraine",
    "what's good for a migraine", "play some relaxing music", "put on calming sounds",
    "what's the weather tomorrow", "will it be sunny tomorrow", "turn the lights on",
    "switch on the bedroom light",
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


# How someone opens the skill: "open back spasm helper", "ask back spasm helper to ...".
LAUNCH_VERBS = frozenset("open launch start begin load run use".split())
ASK_VERBS = frozenset("ask tell".split())
AFTER_VERB = frozenset("up the".split())  # "start up ...", "open the ..."
CONNECTORS = frozenset("to and for about that if whether".split())


# --- Spanish (es-US, and every es-* locale) --------------------------------------------------
ES_FILLERS = frozenset("alexa eh em emm mm mmm hmm ay ah oh uf pues oye oiga hola porfa porfis "
                       "porfavor xfa plis please".split())
ES_FILLER_PHRASES = ("por favor",)
ES_LAZY = {"q": "que", "k": "que", "xq": "por que", "pq": "por que", "porq": "por que",
           "porque": "por que", "ok": "okey", "okay": "okey", "oki": "okey", "toy": "estoy",
           "ta": "esta", "pa": "para", "tb": "tambien", "tmb": "tambien", "d": "de"}
ES_FUNCTION_WORDS = frozenset("el la los las lo un una unos unas de del al a en con por para y e "
                              "o u se es son esta estan fue era ser estar muy ya".split())
ES_BUILT_IN_SAMPLES = {
    "AMAZON.YesIntent": ["sí", "claro", "por supuesto", "ándale", "órale", "sale", "va", "vale",
                         "correcto", "así es", "exacto", "afirmativo", "creo que sí", "sí claro",
                         "sí quiero", "sí él tiene", "sí ella tiene", "perfecto", "bueno",
                         "muy bien", "sí me pasa", "sí le pasa", "eso es"],
    "AMAZON.NoIntent": ["no", "nel", "nop", "para nada", "claro que no", "creo que no", "negativo",
                        "ninguno", "nunca", "él no", "ella no", "no le pasa", "no me pasa",
                        "estoy bien", "así estoy bien", "no quiero", "no no"],
    "AMAZON.HelpIntent": ["ayuda", "ayúdame", "necesito ayuda", "cómo funciona esto", "qué hago",
                          "qué digo", "cuáles son las opciones", "qué te puedo preguntar",
                          "no entiendo", "estoy confundido", "estoy confundida", "instrucciones",
                          "opciones"],
    "AMAZON.StopIntent": ["para", "alto", "basta", "ya basta", "ya", "adiós", "hasta luego", "chao",
                          "bye", "terminé", "eso es todo", "es todo", "ya terminé", "cállate",
                          "silencio", "apágate", "termina", "salir", "sal", "ya estuvo"],
    "AMAZON.CancelIntent": ["cancela", "cancelar", "olvídalo", "déjalo", "no importa",
                            "cancela eso", "olvida eso"],
    "AMAZON.RepeatIntent": ["repite", "otra vez", "de nuevo", "cómo", "qué", "mande", "perdón",
                            "no te escuché", "no te oí", "una vez más", "qué fue eso",
                            "dilo de nuevo"],
    "AMAZON.NextIntent": ["siguiente", "sigue", "continúa", "el siguiente", "qué sigue", "y luego",
                          "y después", "listo", "ya está", "ya terminé este paso",
                          "pasa al siguiente", "vamos"],
    "AMAZON.PreviousIntent": ["anterior", "atrás", "regresa", "vuelve", "el anterior",
                              "el de antes", "antes de ese", "regrésate", "vuelve atrás",
                              "regresa uno"],
    "AMAZON.StartOverIntent": ["empieza de nuevo", "desde el principio", "desde el inicio",
                               "reinicia", "volver a empezar", "empieza otra vez", "desde cero",
                               "vuelve al principio", "comienza de nuevo"],
}
ES_OUT_OF_DOMAIN = [
    "gracias", "muchas gracias", "mil gracias",
    # Largas también (ver OUT_OF_DOMAIN): historias sobre otras cosas.
    "el perro del vecino ladró toda la noche y no pude dormir nada qué hago",
    "cuánto tiempo tengo que hornear un pavo de doce libras en el horno",
    "necesito saber a qué hora cierra la farmacia de la esquina los domingos",
    "mi hija tiene un proyecto de la escuela sobre volcanes cómo se forman",
    "tengo un dolor de cabeza bien fuerte desde el almuerzo y me molesta la luz",
    "mi niño tiene mocos y tos y no se quiere comer la cena esta noche",
    "me torcí el tobillo al bajar la banqueta y ahora está hinchado y morado",
    "el fregadero de la cocina está tapado otra vez y el agua no se va",
    "qué película buena hay para ver con toda la familia el viernes en la noche",
    "vamos a manejar a casa de mi mamá mañana va a haber hielo en la carretera",
    "pon música suave de piano para que me pueda dormir más fácil",
    "la rodilla me truena y me duele cada vez que subo las escaleras",
    "cuántas tazas de harina necesito para hacer una docena de galletas",
    "creo que dejé abierta la puerta del garaje puedes ver si está cerrada",
    "mi gata vomita cada vez que come debería cambiarle la comida",
    "cuéntale a mi niño un cuento largo de un dragón para dormir",
    "a qué hora abre el correo cerca de mi casa este sábado en la mañana",
    "me duele la garganta y los oídos cuando trago qué me puedo tomar",
    "agrega leche huevos pan y plátanos a mi lista del súper por favor",
    "mi esposo quiere saber cuánto cuesta un boleto de avión a guadalajara",
    "qué tiempo hace hoy", "va a llover mañana", "cuál es el pronóstico", "va a nevar",
    "qué tanto frío hace afuera", "pon música", "pon mi lista de reproducción", "pon la radio",
    "pon un podcast", "pon una canción de bad bunny", "sube el volumen", "baja el volumen",
    "pausa la música", "pon una alarma a las siete", "pon un temporizador", "cuánto tiempo queda",
    "qué día es hoy", "qué fecha es", "qué hora es", "despiértame a las seis", "prende la luz",
    "apaga las luces de la sala", "pon el termostato en setenta", "cierra la puerta",
    "agrega huevos a mi lista", "qué hay en mi lista de compras", "compra pilas",
    "cuáles son las noticias", "cómo quedó el partido", "quién es el presidente",
    "qué tan lejos está la luna", "cántame una canción", "cuéntame un chiste", "cómo te llamas",
    "cuántos años tienes", "manda un mensaje", "lee mis mensajes", "qué tengo en mi calendario",
    "llama a mi esposo", "llama a mi mamá", "márcale a mi hija", "márcale a mi hermano",
    "mándale un mensaje a mi mamá", "manda un texto a mi hermano",
    "mándale un whatsapp a mi esposa", "escríbele a mi hijo", "apaga la luz",
    "prende las luces de la cocina", "sube la temperatura", "baja el aire acondicionado",
    "súbele al volumen", "prende la tele", "pon las noticias", "pon música de banda",
    "pon mi podcast favorito", "pon la novela", "cuánto es dos más dos",
    "cuánto es diez por doce", "cuál es la capital de francia", "cuántas onzas tiene una taza",
    "cómo se hace el arroz", "dame una receta de pozole", "cómo preparo unas enchiladas",
    "agrega leche a la lista del súper", "anota tortillas en la lista",
    "pon un temporizador de diez minutos", "dime un chiste", "cuéntame algo chistoso",
    "va a hacer calor hoy", "necesito paraguas hoy", "qué temperatura hace afuera",
    "quién ganó el partido de anoche", "cómo van las chivas", "a qué hora juega el américa",
    "me duele la cabeza", "qué remedio hay para la migraña", "me duele la garganta",
    "qué es bueno para la gripa", "tengo mucha tos", "me duele una muela", "tengo un resfriado",
    "qué sirve para el dolor de muelas", "tengo dolor de dientes", "tengo migraña",
    "pon música relajante", "pon sonidos para dormir", "qué tiempo hará mañana",
    "va a hacer sol mañana", "prende las luces", "enciende la luz del cuarto",
]
_ES_UNITS = ("cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
             "quince dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintidos "
             "veintitres veinticuatro veinticinco veintiseis veintisiete veintiocho "
             "veintinueve").split()
_ES_ORDINALS = {"primero": 1, "primer": 1, "segundo": 2, "tercero": 3, "tercer": 3, "cuarto": 4,
                "quinto": 5, "sexto": 6, "septimo": 7, "octavo": 8, "noveno": 9, "decimo": 10}
_ES_TENS = "treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
# "Abre asistente de espasmos de espalda", "pídele a ... que ...".
ES_LAUNCH_VERBS = frozenset("abre abrir inicia iniciar empieza empezar comienza comenzar lanza "
                            "usa usar carga ejecuta arranca".split())
ES_ASK_VERBS = frozenset("pregunta preguntale pide pidele dile di habla".split())
ES_AFTER_VERB = frozenset("a al el la con".split())
ES_CONNECTORS = frozenset("que para sobre si y acerca".split())


@dataclass(frozen=True)
class Language:
    """One language's word lists, as the NLU uses them."""
    fillers: frozenset[str]
    lazy: dict[str, str]
    function_words: frozenset[str]
    built_in_samples: dict[str, list[str]]
    out_of_domain: list[str]
    unit_words: dict[str, int]
    ten_words: dict[str, int]
    ten_joiner: str | None  # "y" in "treinta y uno"; English says "twenty one"
    launch_verbs: frozenset[str]
    ask_verbs: frozenset[str]
    after_verb: frozenset[str]
    connectors: frozenset[str]
    expansions: dict[str, str] = field(default_factory=dict)
    filler_phrases: tuple[str, ...] = ()
    joined: dict[str, str] = field(default_factory=dict)


ENGLISH = Language(FILLERS, LAZY, FUNCTION_WORDS, BUILT_IN_SAMPLES, OUT_OF_DOMAIN, UNIT_WORDS,
                   TEN_WORDS, None, LAUNCH_VERBS, ASK_VERBS, AFTER_VERB, CONNECTORS, EXPANSIONS,
                   joined=JOINED)
SPANISH = Language(ES_FILLERS, ES_LAZY, ES_FUNCTION_WORDS, ES_BUILT_IN_SAMPLES, ES_OUT_OF_DOMAIN,
                   {**{w: i for i, w in enumerate(_ES_UNITS)}, **_ES_ORDINALS},
                   {w: 30 + 10 * i for i, w in enumerate(_ES_TENS)}, "y", ES_LAUNCH_VERBS,
                   ES_ASK_VERBS, ES_AFTER_VERB, ES_CONNECTORS, filler_phrases=ES_FILLER_PHRASES)
LANGUAGES = {"en": ENGLISH, "es": SPANISH}


def language_for(locale: str) -> Language:
    """The word lists for a locale's language (English for any language without lists)."""
    return LANGUAGES.get(locale.split("-")[0].lower(), ENGLISH)


def fold(text: str) -> str:
    """Lower case without accents: "Mamá" and a typed "mama" are the same word."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str, lang: Language = ENGLISH) -> list[str]:
    """Lower case words without accents, contractions spelled out, fillers dropped."""
    text = " ".join(re.sub(r"[^a-z0-9' ]+", " ", fold(text.replace("\u2019", "'"))).split())
    for phrase in lang.filler_phrases:
        text = re.sub(rf"(?<!\S){phrase}(?!\S)", " ", text)
    for phrase, word in lang.joined.items():
        text = re.sub(rf"(?<!\S){phrase}(?!\S)", word, text)
    words: list[str] = []
    for word in text.split():
        word = lang.lazy.get(word.strip("'"), word.strip("'"))
        if len(word) >= 3 and word.isdigit():
            # Typed digits said as people say a number of three digits or more, digit by digit
            # ("911" is "nine one one", as the samples write it); shorter ones stay numbers.
            words.extend(_spoken_digit(lang, d) for d in word)
            continue
        words.extend(lang.expansions.get(word, word).split())
    return [w for w in words if w and w not in lang.fillers]


def _spoken_digit(lang: Language, digit: str) -> str:
    """A digit's cardinal word in the language (the first word the language has for it)."""
    return next(w for w, n in lang.unit_words.items() if n == int(digit))


def normalise(text: str, lang: Language = ENGLISH) -> str:
    return " ".join(words_of(text, lang))


def content(words: list[str], lang: Language = ENGLISH) -> list[str]:
    return [w for w in words if w not in lang.function_words]


def number_at(words: list[str], i: int, lang: Language = ENGLISH) -> tuple[int, int] | None:
    """(value, words used) for a number spoken or written at words[i]: 3, 3rd, three, third,
    twenty one; tres, tercero, treinta y uno."""
    word = words[i]
    if DIGITS.fullmatch(word):
        return int(re.sub(r"\D", "", word)), 1
    if word in lang.unit_words:
        return lang.unit_words[word], 1
    if word in lang.ten_words:
        rest = words[i + 1:i + 3] if lang.ten_joiner else words[i + 1:i + 2]
        if lang.ten_joiner and rest[:1] == [lang.ten_joiner] and len(rest) == 2:
            if 0 < lang.unit_words.get(rest[1], 0) < 10:
                return lang.ten_words[word] + lang.unit_words[rest[1]], 3
        elif not lang.ten_joiner and rest and word.endswith("y") and \
                0 < lang.unit_words.get(rest[0], 0) < 10:
            return lang.ten_words[word] + lang.unit_words[rest[0]], 2
        return lang.ten_words[word], 1
    return None
