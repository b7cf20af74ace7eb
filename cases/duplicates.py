"""Potential duplicates of a person about to be registered, from the web form, the API or a mass
intake. A victim moved between provinces is often registered again under another spelling of
the same name; showing the likely earlier record lets the worker link to it instead.

Two passes over the database, both batched (a few queries per hundred candidates):
1. identity documents, by the indexed number;
2. names, through a blocking filter that the database serves from indexes (on PostgreSQL: a
   name equal to one of the person's or one letter apart, as written or with romanisation
   variants folded, in any word order; the same words but one for someone born the same year;
   or the same date of birth), then scored here with rapidfuzz.
Matches are looked for across the whole system: the caller decides what a user may see of each.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import DateField, F
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rapidfuzz import process

from core.db import statement_timeout

from .models import IdentityDocument, Person
from .models.person import age_on
from .names import COMPARISONS, name_similarity, normalise, spelling_forms

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
# Blocking (PostgreSQL, NAME_BLOCKS_SQL): a person is looked at when one of their names shares
# a token with one of the candidate's (person_name_tokens, cases/migrations/0019): the same
# name as written, folded or with its words sorted, or one letter apart in one of those forms;
# when born the same year with the same words but one (person_name_words); or when born the
# same day, whatever the name. Without the same date of birth a name needs rapidfuzz similarity
# 87 to be shown at the default min_score, about one letter in eight: a longer name or one word
# more scores lower ("aung kyaw" and "aung kyaw moe": 82) and reaches 60 only with the same year
# of birth. The trigram word similarity used before also looked at every person whose name
# holds the candidate's, at ten times the cost; on the national benchmark data the labelled
# sample of bench/duplicate_recall.py finds as many persons as then (docs/PERFORMANCE.md).


class Reason:
    """Why a person is shown, in translatable phrases (made once: a mass intake scores hundreds
    of thousands of pairs)."""

    SAME_NAME = _("same name")
    SIMILAR_NAME = _("similar name")
    SAME_DATE_OF_BIRTH = _("same date of birth")
    SAME_YEAR_OF_BIRTH = _("same year of birth")
    DIFFERENT_DATE_OF_BIRTH = _("different date of birth")
    SIMILAR_AGE = _("similar age")
    DIFFERENT_AGE = _("different age")
    SAME_NATIONALITY = _("same nationality")
    DIFFERENT_NATIONALITY = _("different nationality")
    DIFFERENT_THAI_ID = _("different Thai ID number")


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
    same result for each as find_duplicates gives. At most four queries per CHUNK_SIZE
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
                reasons = [*reasons, Reason.DIFFERENT_THAI_ID]
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

    @property
    def key(self) -> str:
        """The names as Person.name_key holds a person's, for person_name_tokens."""
        return "|".join(name for name in self.names if len(name.replace(" ", "")) >= 2)

    def reachable(self, min_score: int) -> tuple[dt.date | None, dt.date | None, str | None]:
        """What a person found by name alone needs to be able to reach min_score (see the
        weights), for the database to leave the others out: a date of birth in this range
        unless unknown, and this nationality unless unknown (None: anything goes). A person
        born the same day comes in whatever their name."""
        born_after = born_before = nationality = None
        if self.date_of_birth and (
            min_score > NAME_WEIGHT + SAME_NATIONALITY + DIFFERENT_DATE_OF_BIRTH
        ):
            apart = dt.timedelta(days=365 * BIRTH_YEAR_WINDOW)
            born_after, born_before = self.date_of_birth - apart, self.date_of_birth + apart
        if (
            self.nationality
            and min_score > NAME_WEIGHT + SAME_YEAR_OF_BIRTH + DIFFERENT_NATIONALITY
        ):
            nationality = self.nationality
        return born_after, born_before, nationality


# --- Persons, as light rows -------------------------------------------------------------------

ROW_FIELDS = (
    "pk",
    "name_key",
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
        pk, key, *facts = values
        # Person.name_key holds every name of the person, normalised (cases.services).
        return cls(pk, tuple(k for k in key.split("|") if k), *facts, today)

    @cached_property
    def age(self) -> int | None:
        # Person.age read from this row, without a model instance per row (a mass intake
        # scores tens of thousands); the estimate's day is already the registration's when
        # none was recorded (ESTIMATED_ON).
        return age_on(
            self.today,
            date_of_birth=self.date_of_birth,
            estimated_age=self.estimated_age,
            age_estimated_on=self.estimated_on,
            created_at=None,
        )


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
                reasons = [*reasons, Reason.DIFFERENT_THAI_ID]
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


# For each probe, with its number: the persons whose names share a token with the probe's
# (person_name_tokens_idx), those a name alone could not bring to min_score left out
# (_Probe.reachable); the persons born the same year whose names have the same words but one
# (person_name_words_idx: "Naing Hnin" and "Naing Hnin Mya"); and everyone born on one of the
# probes' dates (-1), whatever the name: few persons a day, and a similar name with the same
# date is the strongest match short of a document. LATERAL looks each probe up in the indexes,
# which need no recheck: the functions run for the probes only. Each person comes once, with
# every probe that found them. The columns are ROW_FIELDS (created_at's date in UTC, the
# connection's time zone, as in ESTIMATED_ON).
NAME_BLOCKS_SQL = """
SELECT id, name_key, date_of_birth, estimated_age, estimated_on, nationality, array_agg(probe)
FROM (
    SELECT person.*, probe.number AS probe
    FROM unnest(%s::int[], %s::text[], %s::date[], %s::date[], %s::date[], %s::text[])
        AS probe (number, names, born, born_after, born_before, nationality)
    CROSS JOIN LATERAL (
        SELECT id, name_key, date_of_birth, estimated_age,
            coalesce(age_estimated_on, created_at::date) AS estimated_on, nationality
        FROM cases_person
        WHERE person_name_tokens(name_key) && person_name_tokens(probe.names)
        AND (probe.born_after IS NULL OR date_of_birth IS NULL
            OR date_of_birth BETWEEN probe.born_after AND probe.born_before)
        AND (probe.nationality IS NULL OR nationality IN ('', probe.nationality))
        UNION
        SELECT id, name_key, date_of_birth, estimated_age,
            coalesce(age_estimated_on, created_at::date), nationality
        FROM cases_person
        WHERE person_name_words(name_key, date_of_birth)
            && person_name_words(probe.names, probe.born)
    ) AS person
    UNION ALL
    SELECT id, name_key, date_of_birth, estimated_age,
        coalesce(age_estimated_on, created_at::date), nationality, -1
    FROM cases_person WHERE date_of_birth = ANY(%s::date[])
) AS found
GROUP BY id, name_key, date_of_birth, estimated_age, estimated_on, nationality
"""


def _name_blocks(
    probes: list[_Probe], rows: dict[int, _Row], *, today: dt.date, min_score: int
) -> list[list[int]]:
    """For each probe, the persons worth scoring against it. One query for the chunk on
    PostgreSQL (NAME_BLOCKS_SQL). Elsewhere (SQLite, the demo database) every person, which the
    scoring then sorts out: slower, and never fewer."""
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
    by_name = [index for index in named if probes[index].key]
    limits = [probes[index].reachable(min_score) for index in by_name]
    born_after, born_before, nationality = ([limit[n] for limit in limits] for n in range(3))
    born = defaultdict(list)
    for index in named:
        if probes[index].date_of_birth:
            born[probes[index].date_of_birth].append(index)
    if not by_name and not born:
        return blocked
    found_by: list[dict[int, None]] = [{} for _probe in probes]
    with connection.cursor() as cursor:
        cursor.execute(
            NAME_BLOCKS_SQL,
            [
                by_name,
                [probes[index].key for index in by_name],
                [probes[index].date_of_birth for index in by_name],
                born_after,
                born_before,
                nationality,
                list(born),
            ],
        )
        for *values, found in cursor.fetchall():
            pk = values[0]
            if pk not in rows:
                rows[pk] = _Row.of(values, today)
            for index in found:
                for probe in born[rows[pk].date_of_birth] if index < 0 else (index,):
                    found_by[probe][pk] = None
    return [list(pks) for pks in found_by]


def _name_cutoff(points: int) -> float:
    """The name similarity below which a name earns fewer than `points` (see the weights; one
    point below for the rounding), and never below NAME_FLOOR."""
    return max(NAME_FLOOR, 60 + 40 * points / NAME_WEIGHT - 1)


def _similar_names(probe: _Probe, rows: list[_Row], *, min_score: int) -> dict[int, float]:
    """The similarity of the names of the rows that could reach min_score with what else they
    share with the probe (_facts): found with rapidfuzz's batch search, which skips the others
    without a Python call each, a name borne by several rows compared once."""
    if not probe.names or not rows:
        return {}
    cutoff_of: dict[int, float] = {}
    owners: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        cutoff = _name_cutoff(min_score - _facts(probe, row)[0])
        if cutoff <= 100:
            cutoff_of[row.pk] = cutoff
            for key in row.keys:
                owners[key].append(row.pk)
    if not owners:
        return {}
    keys = list(owners)
    choices = list(zip(*map(spelling_forms, keys), strict=True))
    lowest = min(cutoff_of.values())
    best: dict[str, float] = {}
    for name in probe.names:
        for form, scorer in COMPARISONS:
            for _choice, similarity, position in process.extract(
                spelling_forms(name)[form],
                choices[form],
                scorer=scorer,
                score_cutoff=lowest,
                limit=None,
            ):
                key = keys[position]
                best[key] = max(similarity, best.get(key, 0.0))
    found: dict[int, float] = {}
    for key, similarity in best.items():
        for pk in owners[key]:
            if similarity >= cutoff_of[pk]:
                found[pk] = max(similarity, found.get(pk, 0.0))
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
        reasons.append(Reason.SAME_NAME if similarity >= 100 else Reason.SIMILAR_NAME)
    elif not document_kinds:
        return 0, []
    points = _name_points(similarity) if similarity >= NAME_FLOOR else 0
    facts, facts_reasons = _facts(probe, row)
    if document_kinds:
        return DOCUMENT_SCORE, reasons + facts_reasons
    return max(0, min(points + facts, NAME_ONLY_CAP)), reasons + facts_reasons


def _facts(probe: _Probe, row: _Row) -> tuple[int, list]:
    """The points and reasons of what else the probe and the row share: the date of birth (the
    age when one is missing) and the nationality."""
    points, reasons = 0, []
    if probe.date_of_birth and row.date_of_birth:
        apart = abs((probe.date_of_birth - row.date_of_birth).days)
        if apart == 0:
            points, reasons = SAME_DATE_OF_BIRTH, [Reason.SAME_DATE_OF_BIRTH]
        elif probe.date_of_birth.year == row.date_of_birth.year:
            points, reasons = SAME_YEAR_OF_BIRTH, [Reason.SAME_YEAR_OF_BIRTH]
        elif apart > 365 * BIRTH_YEAR_WINDOW:
            points, reasons = DIFFERENT_DATE_OF_BIRTH, [Reason.DIFFERENT_DATE_OF_BIRTH]
    elif probe.age is not None and row.age is not None:
        apart = abs(probe.age - row.age)
        if apart <= BIRTH_YEAR_WINDOW:
            points, reasons = SIMILAR_AGE, [Reason.SIMILAR_AGE]
        elif apart >= 10:
            points, reasons = DIFFERENT_AGE, [Reason.DIFFERENT_AGE]
    if probe.nationality and row.nationality:
        if probe.nationality == row.nationality:
            return points + SAME_NATIONALITY, [*reasons, Reason.SAME_NATIONALITY]
        return points + DIFFERENT_NATIONALITY, [*reasons, Reason.DIFFERENT_NATIONALITY]
    return points, reasons
