"""Names compared across scripts: a Thai name is romanised (Royal Institute system, by
PyThaiNLP), every name is lower-cased and stripped of accents and punctuation, so that
"สมศรี ใจดี", "Somsri Jaidee" and "SOMSRI  JAI-DEE" come close to each other."""

import re
import unicodedata
from functools import lru_cache

from pythainlp.transliterate import romanize

THAI = re.compile(r"[\u0E00-\u0E7F]")
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
    """A comparable Latin-letter form of a name in Thai or Latin script."""
    text = TITLE.sub("", unicodedata.normalize("NFKD", name.casefold()))
    text = "".join(ch for ch in text if not unicodedata.combining(ch) or THAI.match(ch))
    words = [_romanise_word(w) for w in text.replace("-", " ").replace(".", " ").split()]
    return " ".join(NOT_LETTER.sub("", " ".join(words)).split())


def name_key(*names: str) -> str:
    """Every distinct normalised name of a person, joined by '|', for storage and search."""
    keys = dict.fromkeys(k for k in (normalise(n) for n in names if n) if k)
    return "|".join(keys)
