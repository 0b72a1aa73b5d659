"""Dated events: the article's timeline, each a precise date with a short label from its sentence.

:func:`extract_events` keeps the precise dates :func:`oilimpact.articles.dates.find_whens` finds (a
day, or a month with its year), labels each from its sentence and gives it a topic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from oilimpact.articles.dates import find_whens
from oilimpact.articles.text import Article, sentences, visible
from oilimpact.provenance import Source

# --- events ---------------------------------------------------------------------------------


TOPICS = ("conflict", "sanctions", "oil_market", "diplomacy", "other")
"""What an event is about, from keyword rules on its label and sentence:

- ``conflict``: strikes, attacks, missiles, jets shot down, a war or conflict breaking out;
- ``sanctions``: sanctions, waivers, price caps, licences, embargoes, tariffs;
- ``oil_market``: oil, crude, Brent/Urals, Hormuz, tankers, LNG, OPEC, refineries;
- ``diplomacy``: talks, calls, messages, condolences, statements to others, agreements, deals;
- ``other``: none of these.
"""
MARKET_TOPICS = ("conflict", "sanctions", "oil_market")
"""Topics that can move the oil price: the price chart marks only these."""


@dataclass(frozen=True)
class Event:
    """A dated event: ``date`` is ``YYYY-MM-DD`` or, when the text names only the month, ``YYYY-MM``.

    ``quote`` is the whole sentence, ``text[start:end] == quote`` in the article file; ``label`` a
    short headline from the sentence's words (:func:`event_label`); ``topic`` one of :data:`TOPICS`.
    """

    source: str
    article_date: dt.date
    date: str
    label: str
    topic: str
    quote: str
    start: int
    end: int

    def to_source(self) -> Source:
        return Source("article", self.article_date.isoformat(), f"seeds/{self.source}", self.quote)


def extract_events(article: Article) -> list[Event]:
    """Every precisely dated event of the article (a day, or a month with its year), in text order;
    read without invisible characters, offsets and quotes from the file as it is."""
    seen = visible(article)
    if seen.starts is None:
        return _events(article)
    found = []
    for event in _events(seen.article):
        start, end = seen.span(event.start, event.end)
        found.append(dataclasses.replace(event, start=start, end=end, quote=article.text[start:end]))
    return found


def _events(article: Article) -> list[Event]:
    text = article.text
    body = text[article.body_start:]
    found: list[Event] = []
    for sentence in sentences(text, article.body_start):
        quote = text[sentence.start:sentence.end]
        for when in find_whens(text, sentence.start, sentence.end, article.date):
            if not when.is_event_date:
                continue
            label = event_label(quote, when.start - sentence.start, when.end - sentence.start, body)
            date = when.label if when.precision == "day" else when.label[:7]
            found.append(Event(article.name, article.date, date, label, event_topic(quote, label), quote,
                               sentence.start, sentence.end))
    return _merge_repeats(found)


_LABEL_STOPWORDS = {"said", "says", "with", "from", "into", "over", "that", "this", "their", "after",
                    "before"}
SAME_EVENT_OVERLAP = 0.4


def _content_words(label: str) -> set[str]:
    words = {w.lower() for w in re.findall(r"[\w’'-]+", label)}
    return {w for w in words if len(w) >= 4 and w not in _LABEL_STOPWORDS}


def _merge_repeats(events: list[Event]) -> list[Event]:
    """One event per happening: when an article mentions the same dated event again (same date, labels
    sharing at least :data:`SAME_EVENT_OVERLAP` of their content words), the first mention stands."""
    kept: list[Event] = []
    for event in events:
        words = _content_words(event.label)
        if not any(
            earlier.date == event.date
            and len(words & (seen := _content_words(earlier.label))) / max(len(words | seen), 1)
            >= SAME_EVENT_OVERLAP
            for earlier in kept
        ):
            kept.append(event)
    return kept


# --- topics ---------------------------------------------------------------------------------

_TOPIC_WORDS = {
    "sanctions": r"sanction\w*|waivers?|price[\s-]caps?|licen[cs]es?|embargo\w*|tariffs?|blacklist\w*",
    "oil_market": r"oil|crude|brent|urals|hormuz|tankers?|lng|opec\+?|refiner\w*|barrels?|pipelines?",
    "conflict": r"(?:air)?strikes?|struck|attack\w*|assault\w*|bomb\w*|missiles?|drones?|shot\s+down|"
                r"shoot\s+down|invasion|invaded?|fighters?|jets?|warplanes?|f-\d+|broke\s+out|erupted",
    "diplomacy": r"talks?|talked|calls?|called\s+for|phoned?|spoke|speak\w*|conversation|condolences?|"
                 r"messages?|summit|met|meeting|agreements?|partnership|treaty|deals?|ceasefire|peace|"
                 r"negotiat\w*|communication|contact|envoys?|diplomat\w*|told|telling|visit\w*",
}
# Label first in this order: "waiver to purchase Russian crude" is about sanctions, not oil.
_TOPIC_RE = {topic: re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)
             for topic, words in _TOPIC_WORDS.items()}


def event_topic(sentence: str, label: str) -> str:
    """One of :data:`TOPICS`: the first topic (sanctions, oil_market, conflict, diplomacy) whose
    keywords the label holds; failing that, the topic with most keyword hits in the whole sentence
    (a tie goes to the earlier one in that order); ``other`` when none matches."""
    for topic, pattern in _TOPIC_RE.items():
        if pattern.search(label):
            return topic
    hits = {topic: len(pattern.findall(sentence)) for topic, pattern in _TOPIC_RE.items()}
    best = max(hits, key=lambda t: hits[t])
    return best if hits[best] else "other"


# --- labels ---------------------------------------------------------------------------------

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|\([^)]*\)")
_QUOTE_TEXT = re.compile(r"“([^”]*)”|\"([^\"]*)\"")
_SEGMENT = re.compile(r"[^,;:—–]+")
_LEAD = re.compile(
    r"^(?:(?:after|before|when|while|as|but|and|then|following|under|since|during|with|so|yet|"
    r"a|an|the|it\s+(?:is|was)\s+(?:\w+\s+)?that|that)(?:\s+|\Z))+",
    re.IGNORECASE,
)
# A title or epithet before a name ("Russian dictator Vladimir Putin", "Iranian President Masoud
# Pezeshkian", "Mr Putin", "Kremlin spokesman Dmitry Peskov") is dropped. The first name goes only
# when the article also uses the surname alone (not every name is given-name first: "Xi Jinping").
_TITLE_WORDS = (r"Mr|Mrs|Ms|Dr|President|Prime\s+Minister|Foreign\s+Minister|Minister|Chancellor|Secretary|"
                r"Senator|General|King|Queen|Prince|Ayatollah|Supreme\s+Leader|Emir|Sheikh|dictator|leader|"
                r"president|spokesman|spokeswoman|spokesperson|premier|minister")
_TITLE = re.compile(
    rf"(?:\b[A-Z][\w’'-]*\s+)?\b(?:{_TITLE_WORDS})\.?\s+(?=[A-Z])"
)
_FULL_NAME = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][a-z]{2,})\b")
_ABBREVIATIONS = (
    (re.compile(r"\b(?:the\s+)?United\s+States(?:\s+of\s+America)?\b|\b(?:the\s+)?U\.S\.(?=\s)|"
                r"\bAmerica(?:[’']s)?(?![\w’'])", re.IGNORECASE), "US"),
    (re.compile(r"\b(?:the\s+)?United\s+Kingdom\b", re.IGNORECASE), "UK"),
    (re.compile(r"\b(?:the\s+)?European\s+Union\b", re.IGNORECASE), "EU"),
    (re.compile(r"\b(?:the\s+)?United\s+Nations\b", re.IGNORECASE), "UN"),
)
_ARTICLES = re.compile(r"(?:(?<=\s)|^)(?:a|an|the|The|A|An)\s+(?=\S)")
# "after X carried out attacks on Y" reads as "after X attacks on Y" (the noun phrase keeps the sense).
_LIGHT_VERB = re.compile(r"\b((?:after|before|following|amid)\s+\S+(?:\s+\S+){0,3}?)\s+"
                         r"(?:carried\s+out|conducted|launched|staged)\s+(?=\w+s\b)")
_THAT_AFTER_SAID = re.compile(r"\b(said|says|told\s+\w+|stated|announced)\s+that\b")
_SPEECH_ONLY = re.compile(
    r"^(?P<who>.+?)\s+(?:told|said|says|tells|stated|declared|wrote|added)(?:\s+\S+){0,2}$"
)
_SUBORDINATE = {"which", "who", "whose", "where", "when", "while", "although", "though", "as", "because",
                "but", "or", "if", "since", "after", "before"}
_STRONG_CUTS = {"which", "who", "whom", "whose", "what", "that", "amid", "while", "because", "despite",
                "but", "where", "when", "although", "though", "whereas", "including"}
_WEAK_CUTS = {"to", "with", "after", "over", "as", "and", "for", "in", "on", "at", "by", "from", "into",
              "against", "under", "before", "than", "of", "about"}
TRAILING_WORDS = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "over", "after",
    "before", "about", "against", "amid", "under", "between", "than", "as", "and", "or", "but", "nor", "so",
    "yet", "his", "her", "its", "their", "our", "my", "your", "he", "she", "it", "they", "we", "what",
    "which", "who", "that", "this", "these", "those", "is", "are", "was", "were", "be", "been", "has",
    "have", "had", "will", "would", "can", "could", "should", "did", "does", "do", "not", "later", "earlier",
})
"""Words a label never ends on (prepositions, articles, conjunctions, pronouns, auxiliaries)."""
MAX_LABEL_WORDS = 10


def event_label(sentence: str, date_start: int, date_end: int, context: str = "") -> str:
    """A short headline (at most :data:`MAX_LABEL_WORDS` words) for the event dated at
    ``sentence[date_start:date_end]``, made only of the sentence's own words.

    Keeps the clause holding the date, with its subject when the clause starts with a verb or
    "which", and its predicate when a comma-enclosed aside ("a jet, built as a trainer, provided …")
    splits them; drops quotations, parentheses, asides and the date phrase. Then headline style:
    titles and epithets go ("Russian dictator Vladimir Putin" → "Putin"), a full name becomes the
    surname when ``context`` (the article) also uses the surname alone, "the United States" and
    "America" become "US", articles go. A clause that only says who spoke ("Hegseth told
    Americans") takes the head of the quotation instead. Too long: cut before a relative or
    subordinate clause, else at a preposition; never ends on a preposition, article or conjunction.
    """
    chars = list(sentence)
    for m in _QUOTED.finditer(sentence):
        chars[m.start():m.end()] = " " * (m.end() - m.start())
    chars[date_start:date_end] = " " * (date_end - date_start)
    blanked = "".join(chars)
    segments = [(m.start(), m.group()) for m in _SEGMENT.finditer(blanked) if m.group().strip()]
    index = next((i for i, (s, seg) in enumerate(segments) if s <= date_start < s + len(seg) + 1),
                 len(segments) - 1)
    while index < len(segments) - 1 and len(_LEAD.sub("", segments[index][1].strip()).split()) <= 1:
        index += 1
    words = segments[index][1].split() if segments else []
    if words and index > 0:
        first = words[0]
        if first.lower() in ("which", "who"):
            before = segments[index - 1][1].split()[-2:]
            words = before[-1:] if before[0].lower() in _WEAK_CUTS | _STRONG_CUTS else before
            words = words + segments[index][1].split()[1:]
        elif first[0].islower() and first.lower() not in ("a", "an", "the"):
            subject = segments[0][1].split()
            if len(subject) <= 4:
                words = subject + words
    # "X, <aside>, verb …": skip the aside and keep the predicate.
    while index + 2 < len(segments):
        aside, rest = segments[index + 1][1].split(), segments[index + 2][1].split()
        if not (aside and rest and rest[0][0].islower() and not rest[0].endswith("ing")
                and not aside[0].endswith("ing") and len(aside) <= 12
                and rest[0].lower() not in _SUBORDINATE):
            break
        words = words + rest
        index += 2
    phrase = _headline(" ".join(words), context or sentence)
    speaker = _SPEECH_ONLY.match(phrase)
    quote = next((q for q in (m.group(1) or m.group(2) for m in _QUOTE_TEXT.finditer(sentence)) if q), None)
    if speaker and quote and len(speaker["who"].split()) <= 4:
        head = _quote_head(quote, MAX_LABEL_WORDS - len(speaker["who"].split()))
        if head:
            return f"{_capitalize(speaker['who'])}: “{head}”"
    return _capitalize(" ".join(_shorten(phrase.split())))


def _headline(phrase: str, context: str) -> str:
    phrase = _TITLE.sub("", phrase)
    for m in reversed(list(_FULL_NAME.finditer(phrase))):
        first, last = m.groups()
        if re.search(rf"(?<!\b{first}\s)\b{last}\b", context):
            phrase = phrase[:m.start()] + last + phrase[m.end():]
    for pattern, short in _ABBREVIATIONS:
        phrase = pattern.sub(short, phrase)
    phrase = _THAT_AFTER_SAID.sub(r"\1", " ".join(phrase.split()))
    phrase = _LEAD.sub("", phrase).strip(" .!?")
    phrase = _ARTICLES.sub("", phrase)
    return _LIGHT_VERB.sub(r"\1 ", phrase).strip(" ,.")


def _shorten(words: list[str]) -> list[str]:
    if len(words) > MAX_LABEL_WORDS:
        strong = next((i for i, w in enumerate(words) if i >= 3 and w.lower() in _STRONG_CUTS), None)
        if strong is not None:
            words = words[:strong]
    if len(words) > MAX_LABEL_WORDS:
        weak = [i for i, w in enumerate(words[:MAX_LABEL_WORDS + 1]) if i >= 3 and w.lower() in _WEAK_CUTS]
        words = words[:weak[-1]] if weak else words[:MAX_LABEL_WORDS]
    while len(words) > 1 and words[-1].lower().strip(",.;:") in TRAILING_WORDS:
        words.pop()
    return words


def _quote_head(quote: str, limit: int) -> str:
    """The quotation up to its first break (at most ``limit`` words, never ending on a preposition),
    in sentence case when set in capitals ("WE DIDN’T START")."""
    head = _SEGMENT.match(quote.strip())
    words = (head.group() if head else quote).split()[:limit]
    while words and words[-1].lower().strip(".!?") in TRAILING_WORDS:
        words.pop()
    words = [w.lower() if w.isupper() and w != "I" else w for w in words]
    return _capitalize(" ".join(words).strip(" .!?"))


def _capitalize(text: str) -> str:
    text = text.strip(" ,.")
    return text[:1].upper() + text[1:]
