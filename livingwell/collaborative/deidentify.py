"""The de-identification check: what in a story might tell someone who the teller is.

`check(text, places=...)` returns `Finding`s for names, dates, places, postcodes, NHS numbers, phone
numbers and email addresses, sorted by position, overlapping findings merged into one. It is
deterministic and works offline with rules written here and a list of given names common in the UK
(`data/first_names.txt`); nothing is downloaded and no third-party language model is used.

**It is an aid for the person checking a story, not a guarantee.** It cannot know that "the woman
who runs the café by the station" is one person, it will miss a name it has never seen written in
lower case, and it flags some words that are harmless. The person who gathered the story reads
every word, changes what could identify the teller, and gives a reason for each finding they keep.

The rules, and the decisions behind them:

- **NHS numbers**: 10 digits, run together or spaced 3-3-4 (spaces or hyphens), flagged when the
  modulus 11 check digit is right; a 3-3-4 run whose check digit is wrong is still flagged as
  "looks like an NHS number". Digits after a pound sign are money, never an NHS number.
- **Postcodes**: full UK postcodes in any case and spacing (SW9 8AB, sw98ab, EC1A 1BB, GIR 0AA),
  and the outward code alone (SE11) after a place word such as "in", "near" or "from".
- **Dates**: 12/03/2015, 12-3-15, 2015-03-12, "12 March 2015", "12th of March", "March 12th",
  "Tuesday 3 March", month and year ("March 2015"), and the **days of the week on their own**
  ("on a Tuesday" is flagged: with other details a weekly group and its day can identify someone;
  accept it with a reason when it cannot). A month alone ("in March") and a year alone are not
  flagged, nor is "may" in lower case.
- **Names**: a title and a capitalised word (Mr, Mrs, Dr, Nurse, Sister, Auntie…); a given name from
  the list when capitalised (names that are also ordinary words, such as Hope, Will or May, only
  in the middle of a sentence), or in lower case when it is no ordinary word; "called X", "named X",
  "my sister X", "my worker X"; a capitalised word after "met", "with", "told" and similar; two or
  more capitalised words together (they are names or places: flagged as a name unless they are a
  known place). Sentence-initial capitals of ordinary words, "I", words in capitals (NHS, GP) and
  the network's own words (Living Well, Hub, Collaborative) are not flagged.
- **Places**: the `places` passed in (the site's neighbourhoods, organisations and the places of
  community offers), street addresses ("12 Acre Lane", "Wandsworth Road"), a capitalised word after
  "in", "at", "near", "from", "on" or "to", hospitals and wards ("Maudsley", "Ward 3"), named
  buildings ("St Mark's Church") and parts of an address ("Flat 4").
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NAMES_FILE = Path(__file__).resolve().parent / "data" / "first_names.txt"


class Kind(enum.StrEnum):
    NAME = "NAME"
    DATE = "DATE"
    PLACE = "PLACE"
    POSTCODE = "POSTCODE"
    NHS_NUMBER = "NHS_NUMBER"
    PHONE = "PHONE"
    EMAIL = "EMAIL"


KIND_LABELS: dict[str, str] = {
    Kind.NAME: "Name",
    Kind.DATE: "Date",
    Kind.PLACE: "Place",
    Kind.POSTCODE: "Postcode",
    Kind.NHS_NUMBER: "NHS number",
    Kind.PHONE: "Phone number",
    Kind.EMAIL: "Email address",
}

# When two findings overlap, the one whose kind comes first names the merged finding.
_PRIORITY = [Kind.NHS_NUMBER, Kind.EMAIL, Kind.PHONE, Kind.POSTCODE, Kind.DATE, Kind.PLACE, Kind.NAME]


@dataclass(frozen=True)
class Finding:
    """Something in the text that might identify someone: `text` is `source[start:end]`."""

    kind: Kind
    text: str
    start: int
    end: int
    why: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _split(words: str) -> list[str]:
    return words.split()


# ---- vocabularies --------------------------------------------------------------------------------

# Words that start sentences or headings, and ordinary words: never a name on their own.
_COMMON = frozenset(
    _split(
        """
        a about above across actually after afternoon again against all almost along also although always am
        among an and another any anyone anything anyway are around as ask asked at away back bad be because been
        before began being best better between big both but by came can cannot could dear did do does doing done
        down during each early easy either else even evening eventually ever every everybody everyone everything
        far feedback feeling felt few finally first for found free friday friends from gave getting glad go
        going good got great group had happy hard has have having he hello help helped her here hers herself hi
        him himself his home honestly how however i if in inside instead into is it its itself just kept knew
        last late later less let lets life like listened little living long looking lost love made many maybe me
        meeting mine more morning most much my myself near neither never new next night no nobody none nor not
        nothing now of off often ok okay old on once one only or other others our ours out outside over people
        perhaps person please proud quite rather really right sad said same saw second she should since so some
        somebody someone something sometimes soon sorry still stopped story such suddenly support sure talk
        thank thanks that the their theirs them then there these they thing things think third this those though
        thought through till time to today together told tomorrow tonight too took tried true twice two under
        until up upon us very walk was we week weekend well went were what whatever when where whether which
        while who whole why will with within without work would yes yeah yesterday yet you your yours yourself
        three four five six seven eight nine ten everywhere somewhere nowhere mostly mainly usually isn't wasn't
        don't didn't can't couldn't wouldn't won't i'm i've i'd i'll it's that's there's we're they're she's
        he's you're we've they've let's anxious lonely scared angry tired worried calm safe alone kind call come
        give go meet phone ring see send take tell write remember imagine try keep
        """
    )
)

# The network's own words, services everyone knows, and words that are capitalised but identify no one.
_NOT_NAMES = frozenset(
    _split(
        """
        nhs gp gps hub hubs collaborative living well network mental health team teams trust council service
        services centre center college recovery crisis line universal credit job jobcentre plus benefits housing
        worker workers peer support design prototyping prototype lab labs fund ideas community communities
        practice care act talking therapies therapy treatment social a&e samaritans mind citizens advice covid
        covid-19 coronavirus lockdown zoom whatsapp facebook instagram google youtube tiktok internet wifi
        christmas easter eid ramadan diwali hanukkah vaisakhi new year boxing day bank holiday english british
        scottish welsh irish polish portuguese spanish turkish kurdish somali arabic french italian german urdu
        bengali bangla punjabi gujarati hindi tamil yoruba igbo twi akan chinese mandarin cantonese vietnamese
        japanese african caribbean jamaican nigerian ghanaian asian european black white muslim christian hindu
        sikh jewish buddhist catholic islam quran bible god allah jesus living-well co-production pdsa
        """
    )
)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_WORDS = frozenset(_MONTHS)
_WEEKDAY_WORDS = frozenset(_WEEKDAYS) | {f"{d}s" for d in _WEEKDAYS}

# Given names that are also ordinary English words: a name only in the middle of a sentence, with a capital.
_AMBIGUOUS_NAMES = frozenset(
    _split(
        """
        amber april bao bill blessing bob brooke carol daisy dawn dean eden faith frank grace harper hazel
        heather hope iris ivy jack jade jean joy june lei mark mason max may nancy pat pearl penny precious ray
        rob robin rose ruby sally stanley sue tamer teddy violet will willow yang yaw
        """
    )
)

_TITLES = frozenset(
    _split(
        """
        mr mrs ms miss mx dr doctor nurse sister father brother auntie aunty aunt uncle nan nana nanny grandma
        grandad granny prof professor rev reverend pastor imam rabbi sheikh sir dame lady lord cllr councillor
        officer pc judge coach mama papa
        """
    )
)
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "mx", "dr", "st", "prof", "rev", "cllr", "pc", "no", "flat"})

_RELATIONS = (
    r"son|daughter|brother|sister|friend|best friend|worker|support worker|key worker|peer worker|social worker|"
    r"care co-?ordinator|mum|mom|mother|dad|father|partner|husband|wife|boyfriend|girlfriend|fiancée?|nurse|gp|"
    r"doctor|psychiatrist|therapist|counsellor|carer|neighbour|nan|gran|grandma|grandad|grandson|granddaughter|"
    r"uncle|aunt|auntie|cousin|niece|nephew|boss|landlord|mate|flatmate|housemate|colleague|child|kid|baby"
)

# A capitalised word after these is probably a place; after the others, probably a person.
_PLACE_CUES = frozenset({"in", "at", "near", "from", "on", "to", "around", "outside", "off", "towards"})
_PERSON_CUES = frozenset(
    _split(
        """
        met meet meeting saw see seeing with told tell asked ask and thanked thank rang phoned texted visited
        hugged helped love loved miss missed trust trusted
        """
    )
)

_STREET_WORDS = frozenset(
    _split(
        """
        road street lane avenue close way estate park square gardens hill grove place court terrace crescent
        drive row walk rd ave mews green common parade rise vale yard wharf house tower towers
        """
    )
)
_HOSPITAL_WORDS = frozenset({"hospital", "ward", "unit", "clinic", "surgery", "infirmary"})
_BUILDING_WORDS = frozenset(
    {"church", "mosque", "temple", "gurdwara", "synagogue", "school", "library", "hall", "station", "market", "cafe",
     "café", "pub", "club", "gym", "pool", "tower", "house", "chapel"}
)  # fmt: skip

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")  # noqa: RUF001
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)  # noqa: RUF001
_CONNECTORS = frozenset({"of", "de", "da", "van", "von", "bin", "al", "le", "la", "du", "dos", "del", "el"})


@cache
def given_names() -> frozenset[str]:
    """The list of given names, lower case."""
    names = set()
    for line in NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            names.add(line)
    return frozenset(names)


# ---- numbers: NHS numbers, phones, email ---------------------------------------------------------


def nhs_check_digit_ok(digits: str) -> bool:
    """The modulus 11 check of a 10-digit NHS number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


_NHS = re.compile(r"(?<![\d£$€])(?<![\d][.,])(\d{3})([ \-]?)(\d{3})\2(\d{4})(?![\d])(?![.,]\d)")
_PHONE = re.compile(r"(?<![\w£])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s\-()]{0,2}\d){8,11}(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _numbers(text: str) -> Iterator[Finding]:
    for m in _EMAIL.finditer(text):
        yield Finding(Kind.EMAIL, m.group(), m.start(), m.end(), "An email address")
    for m in _NHS.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4)
        if nhs_check_digit_ok(digits):
            yield Finding(
                Kind.NHS_NUMBER, m.group(), m.start(), m.end(), "An NHS number: 10 digits whose last digit checks out"
            )
        elif m.group(2):
            yield Finding(
                Kind.NHS_NUMBER,
                m.group(),
                m.start(),
                m.end(),
                "Looks like an NHS number (10 digits written 3, 3 and 4), though its last digit does not check out",
            )
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if digits.startswith("44"):
            digits = "0" + digits[2:].removeprefix("0")
        if digits.startswith("0") and len(digits) in (10, 11):
            if len(digits) == 10 and nhs_check_digit_ok(digits):
                continue  # an NHS number that starts with 0
            yield Finding(Kind.PHONE, m.group(), m.start(), m.end(), "A phone number")


# ---- postcodes -----------------------------------------------------------------------------------

_POSTCODE = re.compile(
    r"(?<![\w£])(GIR\s*0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)\s*\d[ABD-HJLNP-UW-Z]{2})(?!\w)",
    re.IGNORECASE,
)
_OUTWARD = re.compile(
    r"\b(?:in|at|near|from|around|to|off|of|postcode|area|live in|lives in|living in)\s+"
    r"([A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?))(?![\w£])",
    re.IGNORECASE,
)


def _postcodes(text: str) -> Iterator[Finding]:
    for m in _POSTCODE.finditer(text):
        yield Finding(
            Kind.POSTCODE, m.group(), m.start(), m.end(), "A full postcode: it points to a street or a few homes"
        )
    for m in _OUTWARD.finditer(text):
        code = m.group(1)
        if code != code.upper():  # "in b12" is more likely a typing slip than a postcode area
            continue
        yield Finding(
            Kind.POSTCODE,
            code,
            m.start(1),
            m.end(1),
            "The first half of a postcode: it narrows down where someone lives",
        )


# ---- dates ---------------------------------------------------------------------------------------

_MONTH_RE = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = [
    # 12 March 2015, 12th of March, Tuesday 3 March, Tuesday the 3rd of March
    re.compile(
        rf"\b(?:{_WEEKDAY_RE},?\s+(?:the\s+)?)?{_DAY_RE}\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+{_YEAR_RE})?\b",
        re.IGNORECASE,
    ),
    # March 12th, March 12, 2015, Tuesday, March 3rd
    re.compile(
        rf"\b(?:{_WEEKDAY_RE},?\s+)?{_MONTH_RE}\s+(?:the\s+)?{_DAY_RE}(?:,?\s+{_YEAR_RE})?(?![\d:.])\b", re.IGNORECASE
    ),
    # March 2015
    re.compile(rf"\b{_MONTH_RE},?\s+{_YEAR_RE}\b", re.IGNORECASE),
]
_NUMERIC_DATE = re.compile(r"(?<![\d/£.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/\-]|\.\d)")
_ISO_DATE = re.compile(r"(?<![\d\-])((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?![\d\-])")
_WEEKDAY = re.compile(rf"\b{_WEEKDAY_RE}(?:\s+(?:the\s+)?[0-3]?\d(?:st|nd|rd|th))?\b", re.IGNORECASE)


def _dates(text: str) -> Iterator[Finding]:
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            month = m.group("month")
            if (
                month.islower()
                and month in ("may", "mar", "jun", "sept", "sep", "dec")
                and m.re is not _DATE_PATTERNS[0]
            ):
                continue  # "may 12" in lower case is more likely the verb
            day = m.groupdict().get("day")
            if day is not None and not 1 <= int(day) <= 31:
                continue
            yield Finding(Kind.DATE, m.group(), m.start(), m.end(), "A date")
    for m in _NUMERIC_DATE.finditer(text):
        first, second = int(m.group(1)), int(m.group(3))
        if (1 <= first <= 31 and 1 <= second <= 12) or (1 <= first <= 12 and 1 <= second <= 31):
            yield Finding(Kind.DATE, m.group(), m.start(), m.end(), "A date")
    for m in _ISO_DATE.finditer(text):
        if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            yield Finding(Kind.DATE, m.group(), m.start(), m.end(), "A date")
    for m in _WEEKDAY.finditer(text):
        yield Finding(
            Kind.DATE,
            m.group(),
            m.start(),
            m.end(),
            "A day of the week: with other details, such as a weekly group, it can help identify someone",
        )


# ---- places --------------------------------------------------------------------------------------

_HOSPITALS = re.compile(
    r"\b(?:Maudsley|Bethlem|Priory|Springfield|Homerton|Ladywell|Guy['’]s|St\.?\s+Thomas['’]s?|St\.?\s+George['’]s|"  # noqa: RUF001
    r"King['’]s\s+College)(?:\s+(?:Royal\s+)?Hospital)?(?!\w)"  # noqa: RUF001
)
_WARD_NUMBER = re.compile(r"\b[Ww]ard\s+\d{1,3}[A-Za-z]?\b")
_FLAT = re.compile(r"\b(?:Flat|Apartment|Apt\.?|Unit|Room)\s+\d{1,4}[A-Za-z]?\b")


def _places_given(text: str, places: Iterable[str]) -> Iterator[Finding]:
    names = sorted(
        {p.strip() for p in places if p and len(p.strip()) >= 3 and p.strip().lower() not in _NOT_NAMES},
        key=len,
        reverse=True,
    )
    if not names:
        return
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)
    for m in pattern.finditer(text):
        if not m.group()[0].isupper():  # "north" in lower case is a direction, "North" is the neighbourhood
            continue
        yield Finding(
            Kind.PLACE,
            m.group(),
            m.start(),
            m.end(),
            "A place in the network: one of its neighbourhoods, organisations or places where offers happen",
        )


def _hospitals(text: str) -> Iterator[Finding]:
    for m in _HOSPITALS.finditer(text):
        yield Finding(Kind.PLACE, m.group(), m.start(), m.end(), "A hospital, ward or clinic")
    for m in _WARD_NUMBER.finditer(text):
        yield Finding(Kind.PLACE, m.group(), m.start(), m.end(), "A hospital, ward or clinic")
    for m in _FLAT.finditer(text):
        yield Finding(Kind.PLACE, m.group(), m.start(), m.end(), "Part of an address")


# ---- words: names and places from capitals -------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    text: str  # without a possessive 's
    start: int
    end: int
    capital: bool  # starts with a capital and is not all capitals
    sentence_start: bool
    index: int

    @property
    def lower(self) -> str:
        return self.text.lower()


def _is_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(*•–—-[":  # noqa: RUF001
        i -= 1
    if i < 0 or text[i] in "\n\r":
        return True
    if text[i] in "!?…":
        return True
    if text[i] == ".":
        # "Dr. Patel": the full stop after an abbreviation does not end the sentence.
        m = re.search(r"([^\W\d_]+)\.$", text[: i + 1])
        return not (m and m.group(1).lower() in _ABBREVIATIONS)
    return False


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", m.group())
        if not word:
            continue
        capital = word[0].isupper() and not word.isupper() and any(c.islower() for c in word)
        tokens.append(
            _Token(
                text=word,
                start=m.start(),
                end=m.start() + len(word),
                capital=capital,
                sentence_start=_is_sentence_start(text, m.start()),
                index=len(tokens),
            )
        )
    return tokens


def _headline(text: str, tokens: list[_Token]) -> bool:
    """A short title written in title case ("Finding My Way Back"): its capitals say nothing."""
    line_end = text.find("\n", tokens[-1].end)
    rest = text[tokens[-1].end : line_end if line_end >= 0 else len(text)].strip()
    if len(tokens) > 15 or rest[:1] in (".", "!", "?") or re.search(r"[.!?]\s", text[tokens[0].start : tokens[-1].end]):
        return False
    long_words = [t for t in tokens if len(t.text) >= 4]
    return len(long_words) >= 2 and sum(t.capital for t in long_words) / len(long_words) >= 0.6


def _lines(text: str, tokens: list[_Token]) -> Iterator[list[_Token]]:
    """Tokens grouped by line, so that a title line can be read as a headline."""
    line: list[_Token] = []
    last_end = 0
    for token in tokens:
        if line and "\n" in text[last_end : token.start]:
            yield line
            line = []
        line.append(token)
        last_end = token.end
    if line:
        yield line


def _nameish(token: _Token) -> bool:
    """A capitalised word that could be part of a name or place."""
    lower = token.lower
    return (
        token.capital
        and lower not in _NOT_NAMES
        and lower not in _WEEKDAY_WORDS
        and lower not in _MONTH_WORDS
        and not (token.sentence_start and lower in _COMMON)
        and not (lower in _COMMON and lower not in given_names())
    )


def _joined(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.end : right.start]
    return gap in (" ", "\u00a0", "'s ", "\u2019s ")


def _runs(text: str, tokens: list[_Token]) -> Iterator[list[_Token]]:
    """Capitalised words next to each other (allowing "of", "de", "van"… between them)."""
    i = 0
    while i < len(tokens):
        if not _nameish(tokens[i]):
            i += 1
            continue
        run = [tokens[i]]
        j = i + 1
        while j < len(tokens):
            nxt = tokens[j]
            if _nameish(nxt) and _joined(text, run[-1], nxt) and nxt.lower not in _TITLES:
                run.append(nxt)
                j += 1
            elif (
                nxt.lower in _CONNECTORS
                and j + 1 < len(tokens)
                and _nameish(tokens[j + 1])
                and _joined(text, run[-1], nxt)
                and _joined(text, nxt, tokens[j + 1])
            ):
                run += [nxt, tokens[j + 1]]
                j += 2
            else:
                break
        yield run
        i = j


def _finding(text: str, kind: Kind, first: _Token, last: _Token, why: str) -> Finding:
    return Finding(kind, text[first.start : last.end], first.start, last.end, why)


def _words(text: str, places: Iterable[str]) -> Iterator[Finding]:
    tokens = _tokens(text)
    names = given_names()
    known_places = {p.strip().lower() for p in places if p}
    headline_tokens: set[int] = set()
    for line in _lines(text, tokens):
        if _headline(text, line):
            headline_tokens |= {t.index for t in line}

    def _name_word(token: _Token) -> bool:
        lower = token.lower
        return (
            token.capital
            and lower in names
            and lower not in _MONTH_WORDS
            and not (token.sentence_start and lower in _AMBIGUOUS_NAMES)
            and not (token.index in headline_tokens and lower in _AMBIGUOUS_NAMES)
        )

    # A given name from the list.
    for token in tokens:
        if _name_word(token):
            yield _finding(text, Kind.NAME, token, token, "A given name")
        elif (
            token.text.islower()
            and token.lower in names
            and token.lower not in _AMBIGUOUS_NAMES
            and token.lower not in _MONTH_WORDS
            and len(token.text) >= 4
        ):
            yield _finding(text, Kind.NAME, token, token, "A given name, written without a capital letter")

    # Titles: "Dr Patel", "Auntie Grace", "Nurse Joy".
    for i, token in enumerate(tokens[:-1]):
        nxt = tokens[i + 1]
        gap = text[token.end : nxt.start]
        titled = token.lower in _TITLES and (token.capital or (token.text.isupper() and len(token.text) > 1))
        if (
            titled
            and nxt.capital
            and nxt.lower not in _COMMON
            and nxt.lower not in _NOT_NAMES
            and gap.strip() in ("", ".")
        ):
            last = nxt
            if i + 2 < len(tokens) and _nameish(tokens[i + 2]) and _joined(text, nxt, tokens[i + 2]):
                last = tokens[i + 2]
            yield _finding(text, Kind.NAME, token, last, f"A title followed by a name ({token.text} …)")

    # "called Sam", "named Sam", "my sister Sam", "her worker, Sam".
    for m in re.finditer(
        rf"\b(?:(?:called|named|known as|name is|name was|name's)|(?:my|our|his|her|their)\s+(?:{_RELATIONS}))"
        r",?\s+(?P<name>[^\W\d_]+(?:['’\-][^\W\d_]+)*)",  # noqa: RUF001
        text,
        re.IGNORECASE,
    ):
        start = m.start("name")
        named = next((t for t in tokens if t.start == start), None)
        if named is None or not named.capital or named.lower in _COMMON or named.lower in _NOT_NAMES:
            continue
        if named.lower in _WEEKDAY_WORDS or (named.lower in _MONTH_WORDS and named.lower not in names):
            continue
        last = named
        while (
            last.index + 1 < len(tokens)
            and _nameish(tokens[last.index + 1])
            and _joined(text, last, tokens[last.index + 1])
        ):
            last = tokens[last.index + 1]
        cue = " ".join(m.group()[: start - m.start()].split()).rstrip(",")
        yield _finding(text, Kind.NAME, named, last, f"A name after “{cue}”")

    # Capitalised words together, and single capitalised words after a cue.
    for run in _runs(text, tokens):
        first, last = run[0], run[-1]
        lowers = [t.lower for t in run]
        joined = " ".join(lowers)
        if lowers[-1] in _STREET_WORDS and len(run) >= 2:
            # "Acre Lane", "12 Acre Lane", "Stockwell Park Estate"
            start = first.start
            number = re.search(r"(\d{1,4}[A-Za-z]?),?\s+$", text[max(0, start - 8) : start])
            if number:
                start = start - len(text[max(0, start - 8) : start]) + number.start(1)
            yield Finding(Kind.PLACE, text[start : last.end], start, last.end, "A street or address")
            continue
        if lowers[-1] in _HOSPITAL_WORDS and len(run) >= 2:
            yield _finding(text, Kind.PLACE, first, last, "A hospital, ward or clinic")
            continue
        if lowers[-1] in _BUILDING_WORDS and len(run) >= 2:
            yield _finding(text, Kind.PLACE, first, last, "A named building or place")
            continue
        if joined in known_places:
            continue  # the places rule names it
        if first.index in headline_tokens:
            continue
        previous = tokens[first.index - 1] if first.index > 0 else None
        cue = previous.lower if previous is not None and not previous.capital else ""
        cue_word = previous.text if previous is not None else ""
        if len(run) >= 2:
            yield _finding(
                text,
                Kind.NAME,
                first,
                last,
                "Capitalised words together in the middle of a sentence: usually a name or a place",
            )
        elif first.lower in names:
            continue  # the given-name rule has it
        elif cue in _PLACE_CUES and not first.sentence_start:
            yield _finding(text, Kind.PLACE, first, last, f"A capitalised word after “{cue_word}”: it may be a place")
        elif cue in _PERSON_CUES and not first.sentence_start:
            yield _finding(text, Kind.NAME, first, last, f"A capitalised word after “{cue_word}”: it may be a name")


# ---- putting it together -------------------------------------------------------------------------


def _merge(findings: Iterable[Finding], text: str) -> list[Finding]:
    ordered = sorted(findings, key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for finding in ordered:
        if merged and finding.start < merged[-1].end:
            current = merged[-1]
            winner = min((current, finding), key=lambda f: _PRIORITY.index(f.kind))
            start, end = current.start, max(current.end, finding.end)
            merged[-1] = Finding(winner.kind, text[start:end], start, end, winner.why)
        else:
            merged.append(finding)
    return merged


def check(text: str, *, places: Iterable[str] = ()) -> list[Finding]:
    """What in `text` might identify someone, sorted by position, overlaps merged.

    An aid for the person checking, not a guarantee: read every word as well.
    """
    places = [p for p in places if p]
    findings: list[Finding] = []
    findings += _numbers(text)
    findings += _postcodes(text)
    findings += _dates(text)
    findings += _places_given(text, places)
    findings += _hospitals(text)
    findings += _words(text, places)
    return _merge(findings, text)
