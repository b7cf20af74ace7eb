"""Recall and precision of the duplicate finder (cases/duplicates.py) on a labelled sample of
the loaded benchmark data: how many persons registered again under another spelling the mass
intake still finds, and how much else it shows.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/nrm_bench \
        .venv/bin/python bench/duplicate_recall.py [--persons 700] [--strangers 300] [--seed 23]
        [--save results.json] [--compare results.json]

It reads a database loaded by `manage.py generate_load_data` (bench/run.py loads `nrm_bench`)
and writes nothing. `--persons` registered persons are drawn at random and each comes back as
one new registration, without identity document, in one of these ways (in turn):

    romanisation   the Latin name respelt with a regular variant of cases/names.py's FOLDS
                   (Jaidee / Chaidi, Htun / Tun, Phyo / Pyo), date of birth and nationality kept
    thai_script    only the name in Thai script (for a person on record in Latin only, built
                   from the Thai spellings of devdata/sample_names.py), with the date of birth
    swapped        the words of the Latin name in another order
    typo           one letter of the Latin name changed, dropped, doubled or swapped
    part_left_out  one word of a Latin name of three or more left out, and the date of birth
                   guessed again within the same year
    no_birth_date  the Latin name and nationality, nothing of the age
    age_only       the Latin name and nationality, the age (a year off at most) for the date

`--strangers` new persons (names drawn from the same name lists, any date of birth) are added
as registrations of nobody on record. The whole list goes through find_duplicates_bulk as the
mass intake runs it (default threshold, 5 matches a row). Printed:

    recall      registrations whose person is among the matches shown, by way and overall
    top-1       registrations whose person is the best match
    precision   matches shown that are the registration's person, of all matches shown for
                the sample (strangers included): a person of the same name and age is shown as
                well, rightly, so this is far below 1 on data this dense
    strangers   new persons shown at least one match

With `--save` the matches of every registration are written to a file; `--compare` reads such
a file (an earlier run of the same sample) and counts the registrations whose matches changed.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from cases.duplicates import Candidate, find_duplicates_bulk  # noqa: E402
from cases.models import Person  # noqa: E402
from cases.names import FOLDS, normalise  # noqa: E402
from devdata.sample_names import (  # noqa: E402
    KHMER,
    LAO,
    MYANMAR,
    THAI_FIRST,
    THAI_LAST,
    THAI_SYLLABLES,
)

WAYS = (
    "romanisation",
    "thai_script",
    "swapped",
    "typo",
    "part_left_out",
    "no_birth_date",
    "age_only",
)
# Latin name part -> Thai spelling, for a person on record in Latin script only.
THAI_OF = {
    latin.casefold(): thai
    for latin, *spellings in [*MYANMAR, *LAO, *KHMER, *THAI_FIRST, *THAI_LAST, *THAI_SYLLABLES]
    for thai in spellings[-1:]
}
TITLES = ("", "", "นาย", "นางสาว", "นาง")


def respelt(name: str, r: random.Random) -> str | None:
    """The name with one regular romanisation variant, either way (Chaidi for Jaidee, Thun for
    Htun), or None when no variant applies."""
    lowered = name.casefold()
    options = [(a, b) for a, b in FOLDS if a in lowered] + [
        (b, a) for a, b in FOLDS if b in lowered
    ]
    options += [(ch, ch * 2) for ch in "nmlt" if ch in lowered]  # doubled letters: Vanna, Van
    if not options:
        return None
    old, new = r.choice(options)
    at = r.choice([i for i in range(len(lowered)) if lowered.startswith(old, i)])
    return (lowered[:at] + new + lowered[at + len(old) :]).title()


def typo(name: str, r: random.Random) -> str:
    """One slip of the keyboard in one word of three letters or more."""
    words = name.split()
    long = [i for i, word in enumerate(words) if len(word) >= 3] or [0]
    i = r.choice(long)
    word = words[i]
    at = r.randrange(1, len(word)) if len(word) > 1 else 0
    slip = r.choice(("change", "drop", "double", "swap"))
    if slip == "change":
        word = word[:at] + r.choice("aeiounmrst".replace(word[at].lower(), "")) + word[at + 1 :]
    elif slip == "drop":
        word = word[:at] + word[at + 1 :]
    elif slip == "double":
        word = word[:at] + word[at] + word[at:]
    elif at + 1 < len(word):
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        word = word[: at - 1] + word[at] + word[at - 1]
    words[i] = word
    return " ".join(words)


def thai_spelling(person: Person, r: random.Random) -> str | None:
    if person.name_th:
        return r.choice(TITLES) + person.name_th
    parts = [THAI_OF.get(word.casefold()) for word in person.name_latin.split()]
    return " ".join(parts) if parts and all(parts) else None


def return_of(person: Person, way: str, r: random.Random, today: dt.date) -> Candidate | None:
    """The person registered again in `way`, or None when that way does not apply to them."""
    latin = person.name_latin
    facts = {"date_of_birth": person.date_of_birth, "nationality": person.nationality}
    if person.date_of_birth is None:
        facts["estimated_age"] = person.age(today)
    if way == "romanisation":
        name = respelt(latin, r)
        return Candidate(name_latin=name, **facts) if name and name != latin.title() else None
    if way == "thai_script":
        name = thai_spelling(person, r)
        return Candidate(name_th=name, **facts) if name else None
    if way == "swapped":
        words = latin.split()
        if len(set(words)) < 2:
            return None
        while (order := r.sample(words, len(words))) == words:
            pass
        return Candidate(name_latin=" ".join(order), **facts)
    if way == "typo":
        return Candidate(name_latin=typo(latin, r), **facts) if latin else None
    if way == "part_left_out":
        words = latin.split()
        if len(words) < 3 or person.date_of_birth is None:
            return None
        del words[r.randrange(len(words))]
        born = person.date_of_birth
        guessed = dt.date(born.year, r.randint(1, 12), 1) + dt.timedelta(days=r.randint(0, 27))
        if guessed == born:
            return None
        return Candidate(
            name_latin=" ".join(words), date_of_birth=guessed, nationality=person.nationality
        )
    if way == "no_birth_date":
        return Candidate(name_latin=latin, nationality=person.nationality) if latin else None
    if way == "age_only":
        age = person.age(today)
        if not latin or age is None:
            return None
        return Candidate(
            name_latin=latin,
            estimated_age=age + r.choice((-1, 0, 0, 1)),
            nationality=person.nationality,
        )
    raise ValueError(way)


def stranger(r: random.Random, today: dt.date) -> Candidate:
    """A new person, named as the loaded persons are, who is nobody on record."""
    nationality = r.choices(["MM", "TH", "LA", "KH"], [40, 22, 12, 12])[0]
    if nationality == "TH":
        (first, first_th), (last, last_th) = r.choice(THAI_FIRST), r.choice(THAI_LAST)
        latin, thai = f"{first} {last}", f"{first_th} {last_th}"
    else:
        pool = {"MM": MYANMAR, "LA": LAO, "KH": KHMER}[nationality]
        parts = r.sample(pool, r.choice([2, 2, 3]))
        latin, thai = " ".join(p[0] for p in parts), " ".join(p[2] for p in parts)
    born = today - dt.timedelta(days=r.randint(15 * 365, 50 * 365))
    return Candidate(name_latin=latin, name_th=thai, date_of_birth=born, nationality=nationality)


def sample(persons: int, strangers: int, seed: int) -> list[tuple[str, int | None, Candidate]]:
    """(way, the person on record or None for a stranger, the registration), in a fixed order
    for a given seed and database."""
    r = random.Random(seed)  # noqa: S311 (a reproducible sample, no secret)
    today = timezone.localdate()
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    labelled = []
    picked = r.sample(ids, min(len(ids), persons * 3))
    drawn = Person.objects.in_bulk(picked)
    for pk in picked:
        if len(labelled) == persons:
            break
        way = WAYS[len(labelled) % len(WAYS)]
        if candidate := return_of(drawn[pk], way, r, today):
            labelled.append((way, pk, candidate))
    return labelled + [("stranger", None, stranger(r, today)) for _ in range(strangers)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=700, help="persons registered again")
    parser.add_argument("--strangers", type=int, default=300, help="new persons")
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--save", help="write every registration's matches to this file")
    parser.add_argument("--compare", help="an earlier --save of the same sample")
    options = parser.parse_args()
    if not Person.objects.exists():
        sys.exit("No persons: load the data with bench/run.py or generate_load_data.")

    registrations = sample(options.persons, options.strangers, options.seed)
    normalise("สมชาย")  # PyThaiNLP's word list, loaded once a process, out of the timing
    started = time.perf_counter()
    found = find_duplicates_bulk([candidate for _way, _pk, candidate in registrations])
    seconds = time.perf_counter() - started

    found_by, top_by, total_by = Counter(), Counter(), Counter()
    shown = right = flagged_strangers = 0
    for (way, pk, _candidate), matches in zip(registrations, found, strict=True):
        ids = [match.person.pk for match in matches]
        shown += len(ids)
        if pk is None:
            flagged_strangers += bool(ids)
            continue
        total_by[way] += 1
        found_by[way] += pk in ids
        top_by[way] += ids[:1] == [pk]
        right += pk in ids

    labelled = sum(total_by.values())
    print(f"persons on record   {Person.objects.count()}")
    print(f"registrations       {labelled} of persons on record, {options.strangers} strangers")
    print(f"search              {seconds:.2f} s")
    print(f"{'way':<16}{'n':>6}{'recall':>9}{'top-1':>9}")
    for way in WAYS:
        n = total_by[way]
        if n:
            print(f"{way:<16}{n:>6}{found_by[way] / n:>9.3f}{top_by[way] / n:>9.3f}")
    print(
        f"{'all':<16}{labelled:>6}{sum(found_by.values()) / labelled:>9.3f}"
        f"{sum(top_by.values()) / labelled:>9.3f}"
    )
    print(f"precision           {right / shown if shown else 0:.3f} ({right} of {shown} matches)")
    print(
        f"strangers flagged   {flagged_strangers / max(1, options.strangers):.3f} "
        f"({flagged_strangers} of {options.strangers})"
    )

    matches_of = [[[m.person.pk, m.score] for m in matches] for matches in found]
    if options.save:
        Path(options.save).write_text(json.dumps(matches_of))
    if options.compare:
        earlier = json.loads(Path(options.compare).read_text())
        changed = sum(a != b for a, b in zip(earlier, matches_of, strict=True))
        lost = sum(
            len({pk for pk, _s in a} - {pk for pk, _s in b})
            for a, b in zip(earlier, matches_of, strict=True)
        )
        print(
            f"against {options.compare}: {changed} registrations with other matches, "
            f"{lost} matches no longer shown"
        )


if __name__ == "__main__":
    main()
