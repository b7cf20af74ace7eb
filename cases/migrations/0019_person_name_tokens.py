"""The duplicate finder's blocking indexes (PostgreSQL): each of a person's names as a handful
of exact tokens, so that two names one letter apart, in another word order or in another
romanisation share a token, and the finder looks them up by equality instead of comparing the
trigrams of every similar name (a 1,000-row intake against 200,000 persons: about 30 s of
trigram lookups and rechecks before, under 2 s with the tokens; docs/PERFORMANCE.md).

person_name_tokens(name_key) gives, for each name of the key ('|'-separated):
- the name without spaces as written ("aungkyawmoe"), and every form of it with one letter
  left out ("ungkyawmoe", "agkyawmoe", ...);
- the name folded as cases.names.spelling_forms folds it (FOLDS below, then doubled letters
  once), its words sorted, without spaces ("aungkyawmoe" for "Moe Aung Kyaw"), and every form of
  it with one letter left out;
- the folded name without spaces in its own word order ("jaidi" for "jai dee").
Two names share a token when they are equal in one of these forms, or one letter apart (one
letter more, less, changed, or two letters swapped). Forms shorter than five letters are kept
whole: one letter less of them matches too many names.

person_name_words(name_key, date_of_birth) gives, for a person whose date of birth is known,
its year with the folded words, sorted, of each name of two words or more, and of each name of
three or more with one word left out ("1970 pyae soe" for "Hla Pyae Soe" born in 1970): the
finder looks there for persons born the same year as the one it looks for (a part of the name
left out, the date of birth guessed again).

The indexes are on the expressions, and `&&` on them needs no recheck, so the functions run
only when a person is written and for the names looked up. Each spells the folding out itself:
a function that an index's expression calls finds only the system's functions while a dump is
restored. SQLite has neither index: the finder scores every person there.
"""

from django.db import migrations, models

FUNCTION = "person_name_tokens"
INDEX = "person_name_tokens_idx"
WORDS_FUNCTION = "person_name_words"
WORDS_INDEX = "person_name_words_idx"
# cases.names.FOLDS when this was written; tests/test_duplicates.py checks that the two agree.
FOLDS = (
    ("ht", "t"),
    ("ch", "j"),
    ("ph", "p"),
    ("th", "t"),
    ("kh", "k"),
    ("ee", "i"),
    ("oo", "u"),
    ("v", "w"),
    ("orn", "on"),
)
SHORTEST_WITH_DELETIONS = 5


def _folded(column: str) -> str:
    for spelling, fold in FOLDS:
        column = f"replace({column}, '{spelling}', '{fold}')"
    return rf"regexp_replace({column}, '(.)\1+', '\1', 'g')"


CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(keys text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  WITH names AS (
    SELECT DISTINCT name AS written, {_folded("name")} AS folded
    FROM unnest(string_to_array(keys, '|')) AS name
    WHERE name <> ''
  ), forms AS (
    SELECT replace(written, ' ', '') AS form FROM names
    UNION
    SELECT (
      SELECT string_agg(word, '' ORDER BY word COLLATE "C")
      FROM unnest(string_to_array(folded, ' ')) AS word
    ) FROM names
  )
  SELECT coalesce(array_agg(DISTINCT token), '{{}}')
  FROM (
    SELECT form FROM forms
    UNION ALL
    SELECT replace(folded, ' ', '') FROM names
    UNION ALL
    SELECT overlay(form PLACING '' FROM position FOR 1)
    FROM forms, generate_series(1, length(form)) AS position
    WHERE length(form) >= {SHORTEST_WITH_DELETIONS}
  ) AS tokens (token)
  WHERE length(token) >= 2
$$
"""  # noqa: S608 (built of this module's constants only)


CREATE_WORDS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {WORDS_FUNCTION}(keys text, born date) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  WITH names AS (
    SELECT DISTINCT ARRAY(
      SELECT word FROM unnest(string_to_array({_folded("name")}, ' ')) AS word
      ORDER BY word COLLATE "C"
    ) AS words
    FROM unnest(string_to_array(keys, '|')) AS name
  )
  SELECT coalesce(
    array_agg(DISTINCT extract(year FROM born)::int || ' ' || array_to_string(words, ' ')),
    '{{}}'
  )
  FROM (
    SELECT words FROM names WHERE cardinality(words) >= 2
    UNION ALL
    SELECT words[:position - 1] || words[position + 1:]
    FROM names, generate_series(1, cardinality(words)) AS position
    WHERE cardinality(words) >= 3
  ) AS parts (words)
$$
"""  # noqa: S608 (built of this module's constants only)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION)
        schema_editor.execute(CREATE_WORDS_FUNCTION)
        # Room to sort the tokens of every person in memory (200,000 persons: 9 million).
        schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_person USING gin ({FUNCTION}(name_key))"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON cases_person"
            f" USING gin ({WORDS_FUNCTION}(name_key, date_of_birth))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {WORDS_INDEX}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {WORDS_FUNCTION}(text, date)")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0018_person_phone_and_cjk_names")]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["date_of_birth"], name="person_birth_date_idx"),
        ),
    ]
