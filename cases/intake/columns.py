"""The columns of an intake file: what each holds, which are required, the template file."""

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ExploitationType, IdentityDocument, IntakeChannel, RiskLevel, Sex


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    example: str = ""
    # The accepted codes and their labels, shown on the upload page.
    choices: Callable[[], list[tuple[str, str]]] | None = None


def _yes_no() -> list[tuple[str, str]]:
    return [("yes", _("Yes")), ("no", _("No"))]


COLUMNS: tuple[Column, ...] = (
    Column(
        "name_th",
        True,
        gettext_lazy("Name in Thai script. Every row needs at least one name, in any script."),
        "มะ ลา",
    ),
    Column("name_latin", True, gettext_lazy("Name in Latin letters, as in a passport."), "Ma La"),
    Column(
        "name_native",
        False,
        gettext_lazy("Name in the person's own script: Myanmar, Lao, Khmer…"),
        "မလ",
    ),
    Column("aliases", False, gettext_lazy("Other names, separated by semicolons."), ""),
    Column(
        "sex",
        True,
        gettext_lazy("Empty means unknown."),
        "female",
        lambda: list(Sex.choices),
    ),
    Column(
        "date_of_birth",
        True,
        gettext_lazy(
            "YYYY-MM-DD or DD/MM/YYYY; a Buddhist-era year (2538) is accepted. Empty when unknown."
        ),
        "1999-04-13",
    ),
    Column(
        "estimated_age",
        False,
        gettext_lazy("Age in years, when the date of birth is not known."),
        "",
    ),
    Column(
        "age_disputed",
        False,
        gettext_lazy("yes when the age is disputed: the person is then treated as a child."),
        "no",
        _yes_no,
    ),
    Column(
        "nationality",
        True,
        gettext_lazy(
            "Two-letter country code (ISO 3166), e.g. MM, LA, KH, TH. Empty when unknown or "
            "stateless."
        ),
        "MM",
    ),
    Column(
        "stateless",
        False,
        gettext_lazy("yes for a stateless person; leave the nationality empty."),
        "no",
        _yes_no,
    ),
    Column(
        "languages",
        False,
        gettext_lazy("Language codes (ISO 639) separated by commas, e.g. my, shn."),
        "my",
    ),
    Column(
        "document_kind",
        False,
        gettext_lazy("Kind of identity document, with its number in the next column."),
        "passport",
        lambda: list(IdentityDocument.Kind.choices),
    ),
    Column(
        "document_number",
        False,
        gettext_lazy("A Thai ID needs 13 digits and a correct check digit."),
        "MB123456",
    ),
    Column(
        "document_country",
        False,
        gettext_lazy("Two-letter code of the country that issued the document (TH for a Thai ID)."),
        "MM",
    ),
    Column(
        "intake_date",
        False,
        gettext_lazy("YYYY-MM-DD. Empty means the date of the operation."),
        "",
    ),
    Column(
        "custody_started_at",
        False,
        gettext_lazy(
            "When this person was taken into custody, if not at the operation's time: "
            "YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM, a Buddhist-era year accepted. Their 24-hour "
            "identification deadline (Act s.29) counts from it."
        ),
        "",
    ),
    Column(
        "intake_channel",
        False,
        gettext_lazy("Empty means a police raid or rescue."),
        "police_raid",
        lambda: list(IntakeChannel.choices),
    ),
    Column(
        "exploitation_types",
        False,
        gettext_lazy("Forms of exploitation, separated by commas."),
        "scam_compound",
        lambda: list(ExploitationType.choices),
    ),
    Column(
        "risk_level",
        False,
        gettext_lazy("Empty means medium."),
        "high",
        lambda: list(RiskLevel.choices),
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)
COLUMN_ORDER = {name: position for position, name in enumerate(COLUMN_NAMES)}

# Where a model field's error is shown: the column the worker has to correct.
PERSON_FIELD_COLUMNS = {"__all__": "name_th"}
DOCUMENT_FIELD_COLUMNS = {
    "kind": "document_kind",
    "number": "document_number",
    "issuing_country": "document_country",
    "__all__": "document_number",
}
CASE_FIELD_COLUMNS = {"__all__": "exploitation_types"}


def template_csv() -> bytes:
    """The header row of an intake file, UTF-8 with a BOM so that Excel shows Thai text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(COLUMN_NAMES)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
