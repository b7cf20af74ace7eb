"""Finding the persons a new registration may duplicate, across scripts, spellings and
identity documents."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone, translation

from cases import services
from cases.duplicates import Candidate, _name_blocks, _Probe, find_duplicates, find_duplicates_bulk
from cases.names import FOLDS, spelling_forms
from cases.validators import thai_id_is_valid

pytestmark = pytest.mark.django_db

BORN = dt.date(1995, 3, 2)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def register(worker_chiangmai):
    def register(**fields):
        fields.setdefault("sex", "female")
        return services.person_create(actor=worker_chiangmai, **fields)

    return register


def passport(number):
    return services.DocumentInput(kind="passport", number=number, issuing_country="MM")


def reasons(match):
    return [str(reason) for reason in match.reasons]


def test_a_thai_script_registration_finds_the_same_person_stored_in_latin_script(register):
    somsri = register(name_latin="Somsri Jaidee", date_of_birth=BORN, nationality="TH")
    somchai = register(name_latin="Somchai Jaidee", date_of_birth=BORN, nationality="TH")

    matches = find_duplicates(Candidate(name_th="สมศรี ใจดี", date_of_birth=BORN, nationality="TH"))

    assert [m.person for m in matches] == [somsri, somchai]
    assert matches[0].score == 95
    assert reasons(matches[0]) == ["same name", "same date of birth", "same nationality"]
    assert reasons(matches[1])[0] == "similar name"
    assert matches[1].score < 80


def test_a_latin_registration_finds_the_same_person_stored_in_thai_script(register):
    somsri = register(name_th="นาง สมศรี ใจดี")

    [match] = find_duplicates(Candidate(name_latin="SOMSRI JAI-DEE"))

    assert match.person == somsri
    assert reasons(match) == ["same name"]


@pytest.mark.parametrize("typed", ["MA123456", "ma 123-456", " MA-123 456 "])
def test_the_same_passport_number_is_a_match_whatever_the_name(register, typed):
    aung = register(name_latin="Aung Aung", documents=[passport("MA 123-456")])

    [match] = find_duplicates(Candidate(name_latin="Zaw Min", documents=(("passport", typed),)))

    assert match.person == aung
    assert match.score == 100
    assert reasons(match) == ["same passport number"]


def test_a_number_on_another_kind_of_document_is_not_a_match(register):
    register(name_latin="Aung Aung", documents=[passport("MA123456")])

    candidate = Candidate(name_latin="Zaw Min", documents=(("border_pass", "MA123456"),))

    assert find_duplicates(candidate) == []


def test_a_different_thai_id_number_means_a_different_person(register):
    first, second = "1101700203450", "3100900123455"
    assert thai_id_is_valid(first) and thai_id_is_valid(second)
    register(
        name_th="สมศรี ใจดี",
        date_of_birth=BORN,
        documents=[services.DocumentInput(kind="thai_id", number=first)],
    )
    same_name_and_birth = Candidate(name_th="สมศรี ใจดี", date_of_birth=BORN)

    [match] = find_duplicates(
        Candidate(name_th="สมศรี ใจดี", date_of_birth=BORN, documents=(("thai_id", first),))
    )
    assert match.score == 100
    assert reasons(match)[0] == "same Thai ID number"
    assert find_duplicates(same_name_and_birth)[0].score == 90
    with_other_id = Candidate(
        name_th="สมศรี ใจดี", date_of_birth=BORN, documents=(("thai_id", second),)
    )
    assert find_duplicates(with_other_id) == []
    [weak] = find_duplicates(with_other_id, min_score=0)
    assert "different Thai ID number" in reasons(weak)


def test_a_different_date_of_birth_hides_the_same_name_and_ranks_it_lower(register):
    right = register(name_latin="Aung Kyaw Moe", date_of_birth=BORN, nationality="MM")
    other = register(
        name_latin="Aung Kyaw Moe", date_of_birth=dt.date(1980, 7, 9), nationality="MM"
    )
    candidate = Candidate(name_latin="Aung Kyaw Moe", date_of_birth=BORN, nationality="MM")

    assert [m.person for m in find_duplicates(candidate)] == [right]
    with_weak = find_duplicates(candidate, min_score=30)
    assert [m.person for m in with_weak] == [right, other]
    assert "different date of birth" in reasons(with_weak[1])


def test_a_clearly_different_person_is_not_returned(register):
    register(name_latin="Somsri Jaidee", date_of_birth=BORN, nationality="TH")
    register(name_latin="Aung Kyaw Moe", nationality="MM")

    assert find_duplicates(Candidate(name_latin="Nguyen Van An", nationality="VN")) == []
    assert find_duplicates(Candidate(name_latin="Somying Rakthai", nationality="TH")) == []


def test_a_person_registered_by_another_office_is_found_too(worker_tak):
    # Who may see what of the match is the caller's decision (the registration page shows
    # another office's match only as a case number and an office).
    elsewhere = services.person_create(actor=worker_tak, name_latin="Aung Kyaw Moe", sex="male")

    [match] = find_duplicates(Candidate(name_latin="Aung Kyaw Moe"))

    assert match.person == elsewhere


def test_persons_are_ranked_by_how_much_of_the_registration_they_share(register):
    today = timezone.localdate()
    age = today.year - BORN.year - ((today.month, today.day) < (BORN.month, BORN.day))
    misspelt = register(name_latin="Aung Kyaw Mo", nationality="MM")
    exact = register(name_latin="Moe Aung Kyaw", date_of_birth=BORN, nationality="MM")
    estimated = register(name_latin="Aung Kyaw Moe", estimated_age=age, nationality="MM")
    register(name_latin="Aung Min Htet", date_of_birth=BORN, nationality="MM")
    candidate = Candidate(name_latin="Aung Kyaw Moe", date_of_birth=BORN, nationality="MM")

    matches = find_duplicates(candidate)

    assert [m.person for m in matches] == [exact, estimated, misspelt]
    assert [reasons(m) for m in matches] == [
        ["same name", "same date of birth", "same nationality"],
        ["same name", "similar age", "same nationality"],
        ["similar name", "same nationality"],
    ]
    assert matches[0].score > matches[1].score > matches[2].score >= 60
    assert [m.person for m in find_duplicates(candidate, limit=2)] == [exact, estimated]


def test_a_mass_intake_is_checked_in_a_few_queries_with_the_same_results(
    register, django_assert_max_num_queries
):
    stored = [
        ("Aung Kyaw Moe", "MM"),
        ("Khin Nyein Aye", "MM"),
        ("Sok Dara", "KH"),
        ("Nguyen Thi Lan", "VN"),
        ("Somsri Jaidee", "TH"),
        ("Bounmy Vongsa", "LA"),
    ]
    for number, (name, nationality) in enumerate(stored):
        register(
            name_latin=name,
            nationality=nationality,
            date_of_birth=BORN + dt.timedelta(days=number),
            documents=[passport(f"MB{number:06d}")],
        )
    spellings = [str, str.upper, lambda name: f"{name}h", lambda name: "  ".join(name.split())]
    candidates = []
    for number in range(200):
        name, nationality = stored[number % len(stored)]
        candidates.append(
            Candidate(
                name_latin=spellings[number % len(spellings)](name),
                nationality=nationality,
                date_of_birth=BORN + dt.timedelta(days=number % 9),
                documents=((("passport", f"mb-{number:06d}"),) if number % 5 == 0 else ()),
            )
        )
    candidates += [Candidate(name_latin=f"Person {number}") for number in range(20)]

    # Per hundred candidates: documents, names, Thai IDs (none here), persons; and once for the
    # whole search, its time limit (a savepoint, setting it, giving the old one back, the
    # release).
    with django_assert_max_num_queries(4 * 3 + 4):
        results = find_duplicates_bulk(candidates)

    assert len(results) == len(candidates)
    assert all(results[n] for n in range(200))
    assert not any(results[200:])
    for number in range(0, len(candidates), 7):
        assert results[number] == find_duplicates(candidates[number], limit=5)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite scores every person: no blocking"
)
def test_one_shared_common_word_does_not_make_a_candidate_but_a_swapped_order_does(register):
    # Khmer and Lao names are built of few words: "sokha" alone would bring in thousands.
    swapped = register(name_latin="Srey Sokha", nationality="KH")
    misspelt = register(name_latin="Sokha Sreyy", nationality="KH")
    in_thai = register(name_th="สุขา สรี", nationality="KH")
    born_that_day = register(name_latin="Sophea Chea", date_of_birth=BORN, nationality="KH")
    for other in ("Dara", "Vanna", "Chea"):
        register(name_latin=f"Sokha {other}", nationality="KH")
    today = timezone.localdate()
    probe = _Probe.of(
        Candidate(name_latin="Sokha Srey", name_th="สุขา สรี", date_of_birth=BORN), today
    )

    [found] = _name_blocks([probe], {}, today=today, min_score=60)

    assert set(found) == {swapped.pk, misspelt.pk, in_thai.pk, born_that_day.pk}
    assert [m.person for m in find_duplicates(Candidate(name_latin="Sokha Srey"))][:1] == [swapped]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite scores every person: no blocking"
)
def test_a_name_with_a_part_left_out_is_looked_at_for_someone_born_the_same_year(register):
    # A part of a Myanmar name is often left out, and a date of birth guessed again: with the
    # same year, a similar name and the same nationality can be shown.
    same_year = register(name_latin="Hla Pyae Soe", date_of_birth=dt.date(1970, 5, 28))
    other_year = register(name_latin="Hla Pyae Soe", date_of_birth=dt.date(1971, 2, 1))
    no_birth_date = register(name_latin="Hla Pyae Soe", estimated_age=56)
    today = timezone.localdate()
    probe = _Probe.of(Candidate(name_latin="Pyae Soe", date_of_birth=dt.date(1970, 8, 8)), today)

    [found] = _name_blocks([probe], {}, today=today, min_score=60)

    assert same_year.pk in found
    assert other_year.pk not in found and no_birth_date.pk not in found


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the blocking tokens are PostgreSQL's"
)
def test_the_database_folds_spellings_as_the_comparison_does():
    """person_name_tokens (cases/migrations/0019) folds names in SQL as cases.names.FOLDS does:
    a fold added to one and not the other, and the blocking would miss names that the scoring
    finds alike."""
    names = [f"{spelling}a{spelling} b{spelling}" for spelling, _fold in FOLDS] + ["kyaww mmoe"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, person_name_tokens(name) FROM unnest(%s::text[]) AS name", [names]
        )
        tokens = dict(cursor.fetchall())

    for name in names:
        assert spelling_forms(name)[2] in tokens[name], name
