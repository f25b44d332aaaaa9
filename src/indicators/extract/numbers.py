"""Find numbers in prose: digits with either separator convention, number words, scale words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indicators.extract.rules import Rule, examples, register

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Abbreviated scale words as they follow a figure ("$1.2bn", "4.5 mln tons", "10K").
SCALE_ABBREV = {
    "k": 1e3, "thousand": 1e3, "thsd": 1e3, "thous": 1e3, "ths": 1e3, "mln": 1e6, "mn": 1e6,
    "million": 1e6,
    "bln": 1e9, "bn": 1e9, "billion": 1e9, "trillion": 1e12, "trn": 1e12, "trln": 1e12,
    "tln": 1e12, "mlrd": 1e9,
}

_WORD = "|".join(sorted([*SMALL, *TENS, "hundred", "dozen", *SCALES], key=len, reverse=True))
NUMBER_WORDS = re.compile(
    rf"\b(?:{_WORD}|a(?=\s+(?:hundred|thousand|million|billion|dozen)\b))"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{_WORD})\b)*\b",
    re.IGNORECASE,
)
# Digits with thousands separators (",", ".", thin or plain spaces) or a decimal mark.
DIGITS = re.compile(
    # not inside a word or a number, but glued to a currency code is fine: "USD1.2bn"
    r"(?:(?<![\w.,])|(?<=(?-i:USD|EUR|KZT|RUB|AZN|CNY|RMB|GBP|UZS|KGS|TJS|TMT|GEL|TRY)))"
    r"(?:\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?:[.,]\d{1,2}(?!\d))?(?!\d|,\d)"
    r"|\d+(?:[.,]\d+)*)(?:(?!\w)|(?=(?:bn|bln|mn|mln|k|m|t|kt|mt|km|GW|MW|kW|TEU|pct|x|fold)\b))",
    re.IGNORECASE,
)
SCALE_AFTER = re.compile(
    r"\s?-?\s*(thousand|million|billion|trillion|mln|mn|bln|bn|trln|tln|trn|mlrd|thsd|thous|ths|k)"
    r"\b\.?"
    r"|\s?(m)\b(?!\s*(?:long|wide|deep|high|metres|meters))",
    re.IGNORECASE,
)


# "1 million 200 thousand tons", "3 mln 412.6 thsd tons"
COMPOUND_TAIL = re.compile(r"\s+(\d{1,3}(?:[.,]\d+)?)\s*(thousand|million|thsd|thous|ths|mln)\b\.?",
                           re.IGNORECASE)
# "233 thousand 318 containers": units after a thousands word, before a word
ONES_TAIL = re.compile(r"\s+(\d{1,3})(?![\d.,])(?=\s+[A-Za-z])")
# "(6, 129 TEU)": a thousands comma followed by a stray space, inside brackets before a unit
# word (a list such as "in 2023, 129 trains" has no bracket before it).
SPLIT_THOUSANDS = re.compile(r"(?<=\()(\d{1,3}),\s(\d{3})(?![\d.,])(?=\s*[A-Za-z%])")
HALF_A = re.compile(r"\bhalf\s+a\s+(million|billion|thousand)\b", re.IGNORECASE)
AND_A_HALF = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    """A number as written: its span in the text, its value with any scale applied."""

    start: int
    end: int
    value: float
    text: str
    words: bool = False  # spelled out ("one hundred and twenty-five")
    scale: float = 1.0
    scale_m: bool = False  # scaled by a bare "m", which only means million next to money
    rule: str = ""  # the number rule that read it ("number.digits")


GROUP_SPACE = re.compile(r"[\u00a0\u202f\u2009 ]")  # a thousands separator written as a space


def parse_digits(raw: str) -> float | None:
    """Value of a digit string written with either convention: 56,500 / 4,5 / 1.234,5."""
    s = GROUP_SPACE.sub("", raw)
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        thou = "." if dec == "," else ","
        s = s.replace(thou, "").replace(dec, ".")
    elif "," in s:
        groups = s.split(",")
        if all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
            s = s.replace(",", "")
        elif len(groups) == 2:
            s = s.replace(",", ".")
        else:
            return None
    elif s.count(".") > 1:
        groups = s.split(".")
        if not all(len(g) == 3 for g in groups[1:]):
            return None
        s = s.replace(".", "")
    if len(s) > 24:
        return None  # a run of digits too long to be a figure (and beyond a float)
    try:
        return float(s)
    except ValueError:
        return None


WORD_BREAK = re.compile(r"[\s-]+")  # between number words: "twenty-five", "one hundred"


def parse_words(text: str) -> float | None:
    """Value of spelled-out English numbers: 'One hundred and twenty-five' -> 125."""
    tokens = [t for t in WORD_BREAK.split(text.lower()) if t and t != "and"]
    total, current, seen = 0.0, 0.0, False
    for tok in tokens:
        if tok == "a":
            current = 1
        elif tok in SMALL:
            current += SMALL[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok == "dozen":  # "a dozen ferries"
            current = (current or 1) * 12
        elif tok in SCALES:
            total += (current or 1) * SCALES[tok]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _scale_after(text: str, pos: int) -> tuple[float, int, bool]:
    m = SCALE_AFTER.match(text, pos)
    if not m:
        return 1.0, pos, False
    if m.group(2):
        return 1e6, m.end(), True
    return SCALE_ABBREV[m.group(1).lower()], m.end(), False


FOOT_AFTER = re.compile(r"-(?:foot|ft)\b")  # "twenty-foot": a size, not a figure


def find_numbers(text: str, skip: list[tuple[int, int]] = ()) -> list[Number]:
    """Every number in `text` outside the `skip` spans, left to right."""
    out: list[Number] = []
    taken = list(skip)

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in SPLIT_THOUSANDS.finditer(text):  # "China (6, 129 TEU)"
        if free(*m.span()):
            out.append(Number(m.start(), m.end(), float(m.group(1) + m.group(2)), m.group(),
                              rule=SPLIT_THOUSANDS_RULE.name))
            taken.append(m.span())
    for m in DIGITS.finditer(text):
        a, b = m.span()
        if not free(a, b) or _glued_to_word(text, a):
            continue
        value = parse_digits(m.group())
        if value is None:
            continue
        scale, end, scale_m = _scale_after(text, b)
        value *= scale
        rule = DIGITS_RULE.name if scale == 1 else SCALED_RULE.name
        # "1 million 200 thousand tons": a smaller scaled number continues the first.
        while scale > 1 and (tail := COMPOUND_TAIL.match(text, end)):
            tail_scale = SCALE_ABBREV[tail.group(2).lower()]
            tail_value = parse_digits(tail.group(1))
            if tail_scale >= scale or tail_value is None:
                break
            value += tail_value * tail_scale
            scale, end = tail_scale, tail.end()
            rule = COMPOUND_RULE.name
        if scale == 1e3 and (ones := ONES_TAIL.match(text, end)):
            # "233 thousand 318 containers": the units after the thousands, as Russian writes
            value += int(ones.group(1))
            end, rule = ones.end(), COMPOUND_RULE.name
        out.append(Number(a, end, value, text[a:end], False, scale, scale_m, rule))
        taken.append((a, end))
    for m in HALF_A.finditer(text):
        if free(*m.span()):
            scale = SCALES[m.group(1).lower()]
            out.append(Number(m.start(), m.end(), 0.5 * scale, m.group(), True, scale,
                              rule=HALF_A_RULE.name))
            taken.append(m.span())
    for m in NUMBER_WORDS.finditer(text):
        a, b = m.span()
        if not free(a, b) or m.group().lower() == "a":
            continue
        value = parse_words(m.group())
        if value is None or FOOT_AFTER.match(text[b:b + 5]):
            continue  # "twenty-foot equivalent": a size, not a figure
        if half := AND_A_HALF.match(text, b):
            value, b = value + 0.5, half.end()
        scale, end, scale_m = _scale_after(text, b)
        if scale_m:  # "one m" is not a figure
            scale, end = 1.0, b
        out.append(Number(a, end, value * scale, text[a:end], True, scale, False,
                          WORDS_RULE.name))
        taken.append((a, end))
    return sorted(out, key=lambda n: n.start)


# Number formats, as named rules (find_numbers applies them; each records its rule).
def _number(name: str, pattern: re.Pattern[str] | None, doc: str, *example,
            production=None) -> Rule:
    return register(Rule(f"number.{name}", pattern, production or find_numbers, doc,
                         examples(*example)))


DIGITS_RULE = _number(
    "digits", DIGITS, "Digits with thousands separators or a decimal mark, in either "
    "convention: '56,500', '4,5', '1.234,5', '56 500'.",
    ("56,500 tons", "56500"), ("4,5 tonnes", "4.5"), ("1.234,5 tonnes", "1234.5"),
    ("47 312 units", "47312"))
SCALED_RULE = _number(
    "scaled", SCALE_AFTER, "Digits followed by a scale word: thousand, thous., thsd, k, mln, mn, "
    "m (money and tonnes only), bln, bn, trln.",
    ("4.5 mln tons", "4500000"), ("4,5 million tons", "4500000"), ("$846m", "846000000"),
    ("1.2 trln tenge", "1200000000000"),
    ("40.3 thous. TEU", "40300"))
COMPOUND_RULE = _number(
    "compound", COMPOUND_TAIL, "A scaled number continued by a smaller one: '3 mln 412.6 thsd "
    "tons', '1 million 200 thousand tons', '233 thousand 318 containers'.",
    ("3 mln 412.6 thsd tons", "3412600"), ("with 233 thousand 318 containers", "233318"))
SPLIT_THOUSANDS_RULE = _number(
    "split_thousands", SPLIT_THOUSANDS, "A thousands comma followed by a stray space, in "
    "brackets before a unit: 'China (6, 129 TEU)' is 6,129.",
    ("China (6, 129 TEU), Kazakhstan (7, 708 TEU)", "6129"))
HALF_A_RULE = _number("half_a", HALF_A, "'Half a million'.", ("half a million tons", "500000"))
WORDS_RULE = _number(
    "words", NUMBER_WORDS, "Spelled-out numbers, with 'and a half' and a scale word after: "
    "'One hundred and twenty-five', 'a dozen', 'two and a half million'.",
    ("One hundred and twenty-five trains", "125"), ("a dozen ferries", "12"),
    ("two and a half million tons", "2500000"))


NAME_PLUS_BEFORE = re.compile(r"[A-Za-z]\d*\+$")  # "C5+1": a name, not a figure
RANGE_TO_BEFORE = re.compile(r"\d\s?-?to-$")  # "a 12-to-14-hour crossing": a range


def _glued_to_word(text: str, start: int) -> bool:
    # COVID-19, E-40, A-1: a hyphen joining letters to digits makes a name, not a figure.
    # "a 12-to-14-hour crossing" is a range, not a name.
    # "C5+1" is a name too.
    if start >= 2 and text[start - 1] == "+" \
            and NAME_PLUS_BEFORE.search(text[max(0, start - 4):start]):
        return True
    return (start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha()
            and not RANGE_TO_BEFORE.search(text[max(0, start - 8):start]))
