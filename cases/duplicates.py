"""Potential duplicates of a person about to be registered, from the web form, the API or a mass
intake. A victim moved between provinces is often registered again under another spelling of
the same name; showing the likely earlier record lets the worker link to it instead.

Two passes over the database, both batched (a few queries per hundred candidates):
1. identity documents, by the indexed number;
2. names, through a blocking filter that the database serves from indexes (on PostgreSQL: a
   name, in its usual romanisations, close to part of Person.name_key by trigram word
   similarity, in any word order; or the same date of birth), then scored here with rapidfuzz.
Matches are looked for across the whole system: the caller decides what a user may see of each.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connection
from django.db.models import DateField, F, Q, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rapidfuzz import process

from core.db import statement_timeout

from .models import IdentityDocument, Person
from .names import COMPARISONS, name_similarity, normalise, romanisations, spelling_forms

# Scoring, 0-100, read as "how sure should the worker be that this is the same person":
#   same kind and number of identity document    100 on its own
#   name similarity s, 0-100                     65 * (s - 60) / 40: 65 for the same name, 50
#                                                for s = 91, 32 for s = 80; below s = 70 the
#                                                names differ and nothing else counts
#   date of birth                                same date +25, same year +10; both dates known
#                                                and over 2 years apart -30
#   age, when a date of birth is missing         within 2 years +5, 10 or more years apart -15
#   nationality                                  same +5, both known and different -20
#   different Thai ID numbers                    -40 (a Thai ID is given once, for life)
# s is rapidfuzz's ratio or token_sort_ratio of the best pair of the candidate's names and the
# person's, as written or with romanisation variants folded. Without a document a match stays
# at or below 95. With the default threshold of 60: the same name alone is shown, a similar
# name needs a date of birth or a nationality to back it, and a clearly different date of
# birth hides even the same name.
DOCUMENT_SCORE = 100
NAME_FLOOR = 70
NAME_WEIGHT = 65
NAME_ONLY_CAP = 95
SAME_DATE_OF_BIRTH = 25
SAME_YEAR_OF_BIRTH = 10
SIMILAR_AGE = 5
DIFFERENT_DATE_OF_BIRTH = -30
DIFFERENT_AGE = -15
SAME_NATIONALITY = 5
DIFFERENT_NATIONALITY = -20
DIFFERENT_THAI_ID = -40

# A strong match, which the mass intake links to unless the worker says otherwise: the same name
# with the age and the nationality agreeing (75), a similar name with the same date of birth, or
# more. A weaker one stays the worker's choice.
STRONG_MATCH = 75

# One database round of blocking per this many candidates.
CHUNK_SIZE = 100
MAX_NAME = 200  # Person.name_* max_length
MAX_NAMES = 20  # names and aliases of one candidate compared
SEARCH_SECONDS = 10  # each query of the search, at most (core.db.statement_timeout)
BIRTH_YEAR_WINDOW = 2
# Blocking (PostgreSQL): a person is looked at when pg_trgm's word similarity of one of the
# candidate's names (the share of its trigrams found in one stretch of name_key, whatever the
# word order) reaches this, served by person_name_key_trgm_idx; or when born the same day,
# whatever the name. One common word shared and nothing else stays below 0.7 for most names
# ("srey sokha" and "sokha dara": 0.6), a misspelt letter or a swapped order does not ("sok
# darah" and "sok dara": 0.8). Without the same date of birth a name needs rapidfuzz
# similarity 88 to be shown at the default min_score; on the national benchmark data 0.7
# keeps 97 % of what the former blocking found (the rest: look-alikes through the lossy Thai
# transcription of Myanmar names). A caller asking for weaker matches gets a lower threshold.
WORD_SIMILARITY = 0.7
WEAKEST_WORD_SIMILARITY = 0.4

SAME_DOCUMENT = {
    IdentityDocument.Kind.THAI_ID: _("same Thai ID number"),
    IdentityDocument.Kind.PASSPORT: _("same passport number"),
    IdentityDocument.Kind.CERTIFICATE_OF_IDENTITY: _("same certificate of identity number"),
    IdentityDocument.Kind.MIGRANT_WORKER_CARD: _("same migrant worker card number"),
    IdentityDocument.Kind.BORDER_PASS: _("same border pass number"),
}


@dataclass(frozen=True)
class Candidate:
    """What is known of a person about to be registered."""

    name_th: str = ""
    name_latin: str = ""
    name_native: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    estimated_age: int | None = None
    nationality: str = ""  # ISO 3166 alpha-2, "" if unknown or stateless
    documents: tuple[tuple[str, str], ...] = ()  # (IdentityDocument.Kind, number)


@dataclass(frozen=True)
class Match:
    person: Person
    score: int  # 0..100, higher is more likely the same person
    reasons: tuple[str, ...]  # translatable phrases, strongest first


def find_duplicates(candidate: Candidate, *, limit: int = 10, min_score: int = 60) -> list[Match]:
    """The persons already registered who may be `candidate`, best first: at most `limit`,
    each scoring at least `min_score`. Reads only; a few queries."""
    return find_duplicates_bulk([candidate], min_score=min_score, limit=limit)[0]


def find_duplicates_bulk(
    candidates: Sequence[Candidate], *, min_score: int = 60, limit: int = 5
) -> list[list[Match]]:
    """find_duplicates for many candidates at once (a mass intake), in the same order, with the
    same result for each as find_duplicates gives. At most five queries per CHUNK_SIZE
    candidates, whatever the size of the person table."""
    today = timezone.localdate()
    results: list[list[Match]] = []
    too_slow = _("The search for possible duplicates took too long. Try again in a moment.")
    with statement_timeout(SEARCH_SECONDS, too_slow):
        for start in range(0, len(candidates), CHUNK_SIZE):
            probes = [_Probe.of(c, today) for c in candidates[start : start + CHUNK_SIZE]]
            results += _find_chunk(probes, min_score=min_score, limit=limit, today=today)
    return results


def find_repeats(
    candidates: Sequence[Candidate], *, min_score: int = 60
) -> list[list[tuple[int, int, tuple[str, ...]]]]:
    """The same person given more than once in one list (the rows of one intake file): for each
    candidate, (index, score, reasons) of the others that may be them, best first, scored as
    find_duplicates scores a registered person. Reads nothing from the database.

    Two candidates are compared when they share a document, a date of birth, a whole name or
    a word of one (as spelt, romanisation variants folded), so a file of thousands is not
    compared pair by pair; a name misspelt in every word, with no date of birth or document
    to bring it in, is missed, as the database's blocking misses it.
    """
    today = timezone.localdate()
    probes = [_Probe.of(candidate, today) for candidate in candidates]
    rows = [
        _Row(index, probe.names, probe.date_of_birth, probe.age, today, probe.nationality, today)
        for index, probe in enumerate(probes)
    ]
    keys_of = [_repeat_keys(probe) for probe in probes]
    holders: dict[object, list[int]] = defaultdict(list)
    for index, keys in enumerate(keys_of):
        for key in keys:
            holders[key].append(index)
    found: list[list[tuple[int, int, tuple[str, ...]]]] = [[] for _probe in probes]
    for index, probe in enumerate(probes):
        later = sorted({other for key in keys_of[index] for other in holders[key] if other > index})
        if not later:
            continue
        similar = _similar_names(probe, [rows[other] for other in later], min_score=min_score)
        for other in later:
            kinds = [kind for kind, _number in probe.documents & probes[other].documents]
            if other not in similar and not kinds:
                continue
            similarity = similar.get(other) or name_similarity(probe.names, rows[other].keys)
            score, reasons = _score(probe, rows[other], similarity, kinds)
            theirs = probes[other].thai_ids
            if score < DOCUMENT_SCORE and probe.thai_ids and theirs and not theirs & probe.thai_ids:
                score = max(0, score + DIFFERENT_THAI_ID)
                reasons = [*reasons, _("different Thai ID number")]
            if score >= min_score:
                found[index].append((other, score, tuple(reasons)))
                found[other].append((index, score, tuple(reasons)))
    return [sorted(matches, key=lambda m: (-m[1], m[0])) for matches in found]


def _repeat_keys(probe: "_Probe") -> set[tuple]:
    keys: set[tuple] = {("document", document) for document in probe.documents}
    if probe.date_of_birth:
        keys.add(("born", probe.date_of_birth))
    for name in probe.names:
        _written, folded, joined = spelling_forms(name)
        keys.add(("name", joined))
        keys.update(("word", word) for word in folded.split() if len(word) >= 2)
    return keys


# --- Names ------------------------------------------------------------------------------------


def _name_points(similarity: float) -> int:
    return round(NAME_WEIGHT * (similarity - 60) / 40)


# --- A candidate, prepared ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Probe:
    names: tuple[str, ...]
    documents: frozenset[tuple[str, str]]
    date_of_birth: dt.date | None
    age: int | None
    nationality: str

    @classmethod
    def of(cls, candidate: Candidate, today: dt.date) -> "_Probe":
        raw = (candidate.name_th, candidate.name_latin, candidate.name_native, *candidate.aliases)
        # No name on record is longer (Person's fields): a longer one is cut before the costly
        # folding and comparing, whatever let it through (the forms and the intake refuse it).
        raw = tuple(name[:MAX_NAME] for name in raw[:MAX_NAMES] if name)
        names = tuple(dict.fromkeys(n for n in map(normalise, raw) if n))
        age = candidate.estimated_age
        if candidate.date_of_birth:
            age = Person(date_of_birth=candidate.date_of_birth).age(today)
        return cls(
            names=names,
            documents=frozenset(
                (kind, IdentityDocument.normalise_number(number))
                for kind, number in candidate.documents
                if IdentityDocument.normalise_number(number)
            ),
            date_of_birth=candidate.date_of_birth,
            age=age,
            nationality=candidate.nationality,
        )

    @property
    def thai_ids(self) -> set[str]:
        return {number for kind, number in self.documents if kind == IdentityDocument.Kind.THAI_ID}

    def blocking(self, min_score: int) -> Q | None:
        """The persons with a name close to one of the candidate's (PostgreSQL, served by the
        trigram index), or None when the candidate has no name to look for."""
        if not self.search_names:
            return None
        found = reduce(
            or_, (Q(TrigramWordSimilar(F("name_key"), Value(n))) for n in self.search_names)
        )
        if reachable := self._reachable(min_score):
            found &= reachable
        return found

    @cached_property
    def search_names(self) -> tuple[str, ...]:
        # One-letter names ("a") have too few trigrams to look for.
        return tuple(
            dict.fromkeys(
                spelling
                for name in self.names
                for spelling in romanisations(name)
                if len(spelling.replace(" ", "")) >= 2
            )
        )

    def _reachable(self, min_score: int) -> Q | None:
        """Persons whose known date of birth is clearly different cannot reach min_score on a
        name (see the weights), so the database leaves them out."""
        best_score = NAME_WEIGHT + SAME_NATIONALITY + DIFFERENT_DATE_OF_BIRTH
        if not self.date_of_birth or best_score >= min_score:
            return None
        apart = dt.timedelta(days=365 * BIRTH_YEAR_WINDOW)
        return Q(date_of_birth__isnull=True) | Q(
            date_of_birth__range=(self.date_of_birth - apart, self.date_of_birth + apart)
        )


# --- Persons, as light rows -------------------------------------------------------------------

ROW_FIELDS = (
    "pk",
    "name_key",
    "name_native",
    "date_of_birth",
    "estimated_age",
    "estimated_on",
    "nationality",
)
# Person.age counts an estimate from the day it was made, else from the registration.
ESTIMATED_ON = Coalesce("age_estimated_on", Cast("created_at", DateField()))


@dataclass
class _Row:
    """What scoring needs of a person: a tuple from values_list, not a model instance."""

    pk: int
    keys: tuple[str, ...]
    date_of_birth: dt.date | None
    estimated_age: int | None
    estimated_on: dt.date
    nationality: str
    today: dt.date

    @classmethod
    def of(cls, values: Sequence, today: dt.date) -> "_Row":
        pk, key, native, *facts = values
        keys = [k for k in key.split("|") if k]
        if native and (native_key := normalise(native)) and native_key not in keys:
            keys.append(native_key)
        return cls(pk, tuple(keys), *facts, today)

    @cached_property
    def age(self) -> int | None:
        # Person.age read from this row, without a model instance per row (a mass intake
        # scores tens of thousands).
        return Person.age(self, self.today)

    @property
    def age_estimated_on(self) -> dt.date:
        return self.estimated_on


# --- One chunk --------------------------------------------------------------------------------


def _find_chunk(
    probes: list[_Probe], *, min_score: int, limit: int, today: dt.date
) -> list[list[Match]]:
    rows: dict[int, _Row] = {}
    by_document = _document_hits(probes, rows, today)
    blocked = _name_blocks(probes, rows, today=today, min_score=min_score)

    scored: list[dict[int, tuple[int, list]]] = []
    for index, probe in enumerate(probes):
        documents = by_document[index]
        similar = _similar_names(probe, [rows[pk] for pk in blocked[index]], min_score=min_score)
        for pk in documents.keys() - similar.keys():
            similar[pk] = name_similarity(probe.names, rows[pk].keys)
        scored.append(
            {
                pk: _score(probe, rows[pk], similarity, documents.get(pk, ()))
                for pk, similarity in similar.items()
            }
        )

    thai_ids = _thai_ids_of(
        {pk for probe, found in zip(probes, scored, strict=True) if probe.thai_ids for pk in found}
    )
    kept: list[list[tuple[int, int, tuple]]] = []
    for probe, found in zip(probes, scored, strict=True):
        matches = []
        for pk, (score, reasons) in found.items():
            theirs = thai_ids.get(pk)
            if score < DOCUMENT_SCORE and probe.thai_ids and theirs and not theirs & probe.thai_ids:
                score = max(0, score + DIFFERENT_THAI_ID)
                reasons = [*reasons, _("different Thai ID number")]
            if score >= min_score:
                matches.append((score, pk, tuple(reasons)))
        kept.append(sorted(matches, key=lambda m: (-m[0], m[1]))[:limit])

    persons = Person.objects.in_bulk({pk for matches in kept for _s, pk, _r in matches})
    return [
        [Match(person=persons[pk], score=score, reasons=reasons) for score, pk, reasons in matches]
        for matches in kept
    ]


def _document_hits(
    probes: list[_Probe], rows: dict[int, _Row], today: dt.date
) -> list[dict[int, list[str]]]:
    """For each probe, the persons holding one of its documents, with the kinds that match.
    One query, on the indexed number."""
    hits: list[dict[int, list[str]]] = [defaultdict(list) for _probe in probes]
    wanted = defaultdict(list)
    for index, probe in enumerate(probes):
        for document in probe.documents:
            wanted[document].append(index)
    if not wanted:
        return hits
    found = (
        Person.objects.filter(documents__number__in={number for _kind, number in wanted})
        .annotate(
            estimated_on=ESTIMATED_ON,
            document_kind=F("documents__kind"),
            document_number=F("documents__number"),
        )
        .values_list(*ROW_FIELDS, "document_kind", "document_number")
    )
    for *values, kind, number in found:
        pk = values[0]
        if pk not in rows:
            rows[pk] = _Row.of(values, today)
        for index in wanted.get((kind, number), ()):
            hits[index][pk].append(kind)
    return hits


def _name_blocks(
    probes: list[_Probe], rows: dict[int, _Row], *, today: dt.date, min_score: int
) -> list[list[int]]:
    """For each probe, the persons worth scoring against it. One query for the chunk. On
    PostgreSQL, a UNION ALL of each probe's name filter (_Probe.blocking, read from the trigram
    index) and of the persons born on the probes' dates, each row labelled with its probe
    (-1: by its date of birth). Elsewhere (SQLite, the demo
    database) every person, which the scoring then sorts out: slower, and never fewer."""
    blocked: list[list[int]] = [[] for _probe in probes]
    named = [index for index, probe in enumerate(probes) if probe.names]
    if not named:
        return blocked
    if connection.vendor != "postgresql":
        for values in Person.objects.annotate(estimated_on=ESTIMATED_ON).values_list(*ROW_FIELDS):
            rows.setdefault(values[0], _Row.of(values, today))
            for index in named:
                blocked[index].append(values[0])
        return blocked
    branches = [
        Person.objects.filter(found)
        .annotate(estimated_on=ESTIMATED_ON, probe=Value(index))
        .values_list(*ROW_FIELDS, "probe")
        for index in named
        if (found := probes[index].blocking(min_score)) is not None
    ]
    # Everyone born on a candidate's date of birth, whatever the name: few persons a day, and a
    # similar name with the same date is the strongest match short of a document. One scan
    # of the table for the chunk (no index needed), shared out here.
    born = defaultdict(list)
    for index in named:
        if probes[index].date_of_birth:
            born[probes[index].date_of_birth].append(index)
    if born:
        branches.append(
            Person.objects.filter(date_of_birth__in=list(born))
            .annotate(estimated_on=ESTIMATED_ON, probe=Value(-1))
            .values_list(*ROW_FIELDS, "probe")
        )
    if not branches:
        return blocked
    found_by: list[dict[int, None]] = [{} for _probe in probes]
    with connection.cursor() as cursor:
        # The threshold of the word similarity operator is a setting, not an argument.
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(_word_similarity(min_score))],
        )
    for *values, index in branches[0].union(*branches[1:], all=True):
        pk = values[0]
        if pk not in rows:
            rows[pk] = _Row.of(values, today)
        for probe in born[values[3]] if index < 0 else (index,):
            found_by[probe][pk] = None
    return [list(pks) for pks in found_by]


def _word_similarity(min_score: int) -> float:
    """WORD_SIMILARITY at the default min_score of 60, lower for a caller who asks for weaker
    matches."""
    return max(
        WEAKEST_WORD_SIMILARITY, min(WORD_SIMILARITY, WORD_SIMILARITY - (60 - min_score) / 100)
    )


def _similar_names(probe: _Probe, rows: list[_Row], *, min_score: int) -> dict[int, float]:
    """The similarity of the names of the rows that could reach min_score on their name, found
    with rapidfuzz's batch search, which skips the others without a Python call each."""
    if not probe.names or not rows:
        return {}
    # The similarity at which the name with every other fact agreeing reaches min_score.
    best_other = SAME_DATE_OF_BIRTH + SAME_NATIONALITY
    cutoff = max(NAME_FLOOR, 60 + 40 * (min_score - best_other) / NAME_WEIGHT - 1)
    owners = [row.pk for row in rows for _key in row.keys]
    keys = [key for row in rows for key in row.keys]
    choices = list(zip(*map(spelling_forms, keys), strict=True))
    found: dict[int, float] = {}
    for name in probe.names:
        for form, scorer in COMPARISONS:
            for _choice, similarity, position in process.extract(
                spelling_forms(name)[form],
                choices[form],
                scorer=scorer,
                score_cutoff=cutoff,
                limit=None,
            ):
                owner = owners[position]
                found[owner] = max(similarity, found.get(owner, 0.0))
    return found


def _thai_ids_of(person_ids: set[int]) -> dict[int, set[str]]:
    if not person_ids:
        return {}
    numbers = defaultdict(set)
    for person_id, number in IdentityDocument.objects.filter(
        person_id__in=person_ids, kind=IdentityDocument.Kind.THAI_ID
    ).values_list("person_id", "number"):
        numbers[person_id].add(number)
    return numbers


def _score(
    probe: _Probe, row: _Row, similarity: float, document_kinds: Sequence[str]
) -> tuple[int, list]:
    reasons = [SAME_DOCUMENT[kind] for kind in sorted(set(document_kinds))]
    if similarity >= NAME_FLOOR:
        reasons.append(_("same name") if similarity >= 100 else _("similar name"))
    elif not document_kinds:
        return 0, []
    points = _name_points(similarity) if similarity >= NAME_FLOOR else 0

    if probe.date_of_birth and row.date_of_birth:
        apart = abs((probe.date_of_birth - row.date_of_birth).days)
        if apart == 0:
            points += SAME_DATE_OF_BIRTH
            reasons.append(_("same date of birth"))
        elif probe.date_of_birth.year == row.date_of_birth.year:
            points += SAME_YEAR_OF_BIRTH
            reasons.append(_("same year of birth"))
        elif apart > 365 * BIRTH_YEAR_WINDOW:
            points += DIFFERENT_DATE_OF_BIRTH
            reasons.append(_("different date of birth"))
    elif probe.age is not None and row.age is not None:
        apart = abs(probe.age - row.age)
        if apart <= BIRTH_YEAR_WINDOW:
            points += SIMILAR_AGE
            reasons.append(_("similar age"))
        elif apart >= 10:
            points += DIFFERENT_AGE
            reasons.append(_("different age"))

    if probe.nationality and row.nationality:
        if probe.nationality == row.nationality:
            points += SAME_NATIONALITY
            reasons.append(_("same nationality"))
        else:
            points += DIFFERENT_NATIONALITY
            reasons.append(_("different nationality"))

    if document_kinds:
        return DOCUMENT_SCORE, reasons
    return max(0, min(points, NAME_ONLY_CAP)), reasons
