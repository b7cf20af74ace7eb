"""Finding a person, and their cases, from what a worker types: a case number, an identity
document's number, a phone number, or a name in any script and spelling. Names are compared the
way the duplicate finder compares them (cases/names.py): "Min Htun" finds "Min Tun", "ซูซู"
finds "ซู ซู" and "Su Su", "李伟" finds "Li Wei".

The search runs inside a queryset of what the user may see (cases.selectors): it ranks the
persons it finds there, it never looks at anyone else.
"""

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connection, models, transaction
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Replace
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from core.db import statement_timeout

from .models import IdentityDocument, Person
from .names import normalise, romanisations, spelling_forms
from .validators import PHONE_CHARACTERS, normalise_phone

MAX_TEXT = 200  # no name is longer (Person.name_*)
MIN_DIGITS = 6  # of a phone number searched by a part of it
MIN_SIMILARITY = 80  # of a name to be shown: spelling variants score 85-100
MAX_PERSONS = 200  # ranked and shown, best first
MAX_BLOCK = 2000  # persons scored, at most, for one search
WORD_SIMILARITY = "0.5"  # pg_trgm's threshold for looking at a person (see duplicates.py)
SEARCH_SECONDS = 5

# Ranks: what identifies a person outright first, then names by similarity.
SAME_NUMBER = 200
SAME_DOCUMENT = 150
SAME_PHONE = 140
NAME_CONTAINED = 100

# (form of spelling_forms, scorer): a name typed in part ("somying" for "somying saengthong")
# or in another order is found through the words both have (token_set_ratio); one with its
# spaces elsewhere ("susu", "su su") through the form without spaces.
COMPARISONS = ((0, fuzz.token_set_ratio), (1, fuzz.token_set_ratio), (2, fuzz.ratio))


def person_ranks(text: str, *, persons: QuerySet[Person]) -> dict[int, int]:
    """Person id -> rank (higher is better) of the persons among `persons` whom `text` finds,
    at most MAX_PERSONS. Case numbers are matched by the caller, who holds the cases. Raises
    ValidationError when the database takes longer than SEARCH_SECONDS on a query."""
    text = text.strip()[:MAX_TEXT]
    if not text:
        return {}
    ranks: dict[int, int] = {}

    def found(person_ids, rank: int) -> None:
        for person_id in person_ids:
            ranks[person_id] = max(rank, ranks.get(person_id, 0))

    too_slow = _("The search took too long. Type more of the name, or try again in a moment.")
    with statement_timeout(SEARCH_SECONDS, too_slow):
        if number := IdentityDocument.normalise_number(text):
            found(
                persons.filter(documents__number=number).values_list("pk", flat=True),
                SAME_DOCUMENT,
            )
        # "081 234 5678" finds "+66812345678": the national number without its trunk 0.
        digits = normalise_phone(text).lstrip("+").removeprefix("0")
        if PHONE_CHARACTERS.fullmatch(text) and len(digits) >= MIN_DIGITS:
            found(persons.filter(phone__contains=digits).values_list("pk", flat=True), SAME_PHONE)
        if key := normalise(text):
            for person_id, similarity in _similar_names(key, persons).items():
                found([person_id], similarity)
    best = sorted(ranks.items(), key=lambda item: -item[1])[:MAX_PERSONS]
    return dict(best)


def cases_matching(text: str, *, cases: QuerySet) -> QuerySet:
    """The cases among `cases` whose number contains `text` or whose person `text` finds,
    best first (then newest)."""
    text = text.strip()[:MAX_TEXT]
    if not text:
        return cases
    persons = Person.objects.filter(pk__in=cases.values("person_id"))
    ranks = person_ranks(text, persons=persons)
    rank = models.Case(
        When(number__icontains=text, then=Value(SAME_NUMBER)),
        *(When(person_id=pk, then=Value(score)) for pk, score in ranks.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    matching = cases.filter(Q(number__icontains=text) | Q(person_id__in=list(ranks)))
    return matching.annotate(search_rank=rank).order_by("-search_rank", "-created_at", "-pk")


def persons_matching(text: str, *, persons: QuerySet[Person]) -> QuerySet[Person]:
    """The persons among `persons` whom `text` finds, best first."""
    text = text.strip()[:MAX_TEXT]
    if not text:
        return persons
    ranks = person_ranks(text, persons=persons)
    rank = models.Case(
        *(When(pk=pk, then=Value(score)) for pk, score in ranks.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        persons.filter(pk__in=list(ranks))
        .annotate(search_rank=rank)
        .order_by("-search_rank", "-created_at", "-pk")
    )


def _similar_names(key: str, persons: QuerySet[Person]) -> dict[int, int]:
    """Person id -> similarity (0-100) of the best of their names to `key`, for the persons
    whose names come close. On PostgreSQL the database picks the persons worth scoring (a name
    containing the text, with or without spaces, or close to it by trigram word similarity,
    served by person_name_key_trgm_idx); rapidfuzz scores them here."""
    spellings = romanisations(key)
    squeezed = key.replace(" ", "")
    block = Q(name_key__contains=key) | Q(name_key_squeezed__contains=squeezed)
    trigrams = connection.vendor == "postgresql" and len(squeezed) >= 3
    if connection.vendor != "postgresql":
        # Elsewhere (SQLite, the laptop's demo): every person is scored, slower and never fewer.
        block = Q()
    elif trigrams:
        for spelling in spellings:
            block |= Q(TrigramWordSimilar(F("name_key"), Value(spelling)))
    # The threshold is set for this transaction only, and the query runs in it: behind PgBouncer
    # in transaction mode a session setting would reach another client's connection, and the
    # query might run on a connection without it.
    with transaction.atomic():
        if trigrams:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                    [WORD_SIMILARITY],
                )
        rows = list(
            persons.annotate(name_key_squeezed=Replace("name_key", Value(" "), Value("")))
            .filter(block)
            .values_list("pk", "name_key")[:MAX_BLOCK]
        )
    similar = {}
    for person_id, name_key in rows:
        keys = name_key.split("|")
        if any(key in name or squeezed in name.replace(" ", "") for name in keys):
            similar[person_id] = NAME_CONTAINED
            continue
        best = max(
            scorer(spelling_forms(spelling)[form], spelling_forms(name)[form])
            for spelling in spellings
            for name in keys
            for form, scorer in COMPARISONS
        )
        if best >= MIN_SIMILARITY:
            similar[person_id] = int(best)
    return similar
