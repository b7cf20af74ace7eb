"""Names compared across scripts: a Thai name is romanised (Royal Institute system, by
PyThaiNLP), a Chinese, Japanese or Korean one too (Hanyu Pinyin, Hepburn, Revised Romanisation,
by anyascii), every name is lower-cased and stripped of accents and punctuation, so that
"สมศรี ใจดี", "Somsri Jaidee" and "SOMSRI  JAI-DEE" come close to each other, and "李伟" to
"Li Wei". Burmese, Khmer and Lao names stay in their script: no romanisation of them comes
close to the spellings people use, so a name in those scripts is found as written."""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from anyascii import anyascii
from pythainlp.transliterate import romanize
from rapidfuzz import fuzz

THAI = re.compile(r"[\u0E00-\u0E7F]")
# A run of Japanese kana is one word; a Chinese character (also in Japanese and Korean use) and
# a Korean syllable block are one syllable each, written as a word of their own ("李伟": li wei).
CJK = re.compile(r"[\u3040-\u30FF]+|[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uAC00-\uD7AF]")
NOT_LETTER = re.compile(r"[^a-z0-9\u0E00-\u0E7F\u1000-\u109F\u1780-\u17FF\u0E80-\u0EFF ]+")
# Honorifics that are not part of a name. Thai ones are often written glued to the name
# ("นางสาวสมศรี"): stripped when a consonant or a leading vowel follows.
TITLE = re.compile(
    r"^\s*(?:(?:นางสาว|เด็กชาย|เด็กหญิง|ด\.\s?ช\.|ด\.\s?ญ\.|นาย|นาง)\s*(?=[\u0E01-\u0E2E\u0E40-\u0E44])"
    r"|(?:mrs|mr|ms|miss)\b\.?\s*)"
)


@lru_cache(maxsize=65536)
def _romanise_word(word: str) -> str:
    return romanize(word, engine="royin") if THAI.search(word) else word


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """A comparable Latin-letter form of a name in Thai, Latin, Chinese, Japanese or Korean
    script (Burmese, Khmer and Lao stay as written)."""
    text = CJK.sub(lambda run: f" {anyascii(run.group())} ", name.casefold()).casefold()
    text = TITLE.sub("", unicodedata.normalize("NFKD", text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch) or THAI.match(ch))
    words = [_romanise_word(w) for w in text.replace("-", " ").replace(".", " ").split()]
    return " ".join(NOT_LETTER.sub("", " ".join(words)).split())


def name_key(*names: str) -> str:
    """Every distinct normalised name of a person, joined by '|', for storage and search."""
    keys = dict.fromkeys(k for k in (normalise(n) for n in names if n) if k)
    return "|".join(keys)


# --- Spellings of the same name, for the duplicate finder --------------------------------------

# Regular differences between the Royal Institute romanisation (what name_key produces from
# Thai script) and the spellings people write: จ ch/j, ี i/ee, ู u/oo, ว w/v, aspirated p/ph,
# t/th, k/kh, อร on/orn, doubled letters; and Burmese ထ written ht, th or t. Folded away for a
# second comparison of names. The duplicate finder's blocking indexes fold in SQL as well
# (cases/migrations/0019_person_name_tokens.py): a change here needs a migration there.
FOLDS = (
    ("ht", "t"),  # Burmese ထ: Htun, Thun, Tun
    ("ch", "j"),
    ("ph", "p"),
    ("th", "t"),
    ("kh", "k"),
    ("ee", "i"),
    ("oo", "u"),
    ("v", "w"),
    ("orn", "on"),
)
DOUBLED = re.compile(r"(.)\1+")
FINAL_I = re.compile(r"(?<=[^aeiou])i$")
LONE_U = re.compile(r"(?<![aeiou])u(?![aeiou])")


@lru_cache(maxsize=65536)
def spelling_forms(name: str) -> tuple[str, str, str]:
    """The name as written, with romanisation variants folded, and folded with the spaces taken
    out ("jai dee" / "jaidee", "thi da" / "thida")."""
    folded = name
    for spelling, fold in FOLDS:
        folded = folded.replace(spelling, fold)
    folded = DOUBLED.sub(r"\1", folded)
    return name, folded, folded.replace(" ", "")


@lru_cache(maxsize=65536)
def romanisations(name: str) -> tuple[str, ...]:
    """The name as written, with every word as the Royal Institute system would write it, and
    as it is commonly written, so that blocking finds "somsri jaidee" for "somsri chaidi"
    (สมศรี ใจดี) and the reverse, and "min thun" (มิน ทุน) for "min htun"."""
    words = name.split()
    royal = (
        word.replace("j", "ch").replace("ee", "i").replace("oo", "u").replace("ht", "th")
        for word in words
    )
    common = (FINAL_I.sub("ee", LONE_U.sub("oo", word.replace("ch", "j"))) for word in words)
    return tuple(dict.fromkeys((name, " ".join(royal), " ".join(common))))


# (form, scorer) pairs compared; the similarity of two names is the best of them.
# token_sort_ratio forgives names in another order; plain ratio covers what sorting breaks
# ("omsri saisamabunsri" sorts apart from "somsri saisamabunsri").
COMPARISONS = (
    (0, fuzz.ratio),
    (0, fuzz.token_sort_ratio),
    (1, fuzz.ratio),
    (1, fuzz.token_sort_ratio),
    (2, fuzz.ratio),
)


def name_similarity(names: Iterable[str], keys: Iterable[str]) -> float:
    """The best similarity, 0-100, between one of the names and one of the keys."""
    keys = list(keys)
    return max(
        (
            scorer(spelling_forms(name)[form], spelling_forms(key)[form])
            for name in names
            for key in keys
            for form, scorer in COMPARISONS
        ),
        default=0.0,
    )
