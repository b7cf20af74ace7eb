"""Names compared across scripts, titles and spellings."""

import pytest

from cases.names import name_key, normalise


@pytest.mark.parametrize(
    ("written", "compared"),
    [
        ("นางสาวสมศรี ใจดี", "somsri chaidi"),
        ("นางสาว สมศรี ใจดี", "somsri chaidi"),
        ("ด.ช.สมชาย", "somchai"),
        ("SOMSRI  JAI-DEE", "somsri jai dee"),
        ("Mr. Aung Kyaw", "aung kyaw"),
        ("Ngô Thị Hương", "ngo thi huong"),
    ],
)
def test_a_name_is_compared_without_titles_case_accents_or_punctuation(written, compared):
    assert normalise(written) == compared


def test_a_name_that_merely_begins_like_a_title_keeps_its_letters():
    assert normalise("Misty Lee") == "misty lee"


def test_the_key_holds_each_distinct_spelling_once():
    assert (
        name_key("สมศรี ใจดี", "Somsri Jaidee", "somsri jaidee", "") == "somsri chaidi|somsri jaidee"
    )
