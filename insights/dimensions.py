"""What the stage figures can be broken down by: each dimension is an expression on a stage's
counted rows (insights.StageSpan, where the case's groups are written beside each row) and the
words for its values."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Value
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from accounts.models import Organisation, Province, Region
from cases.models import ExploitationType
from cases.reference import country_name
from core.dates import BUDDHIST_ERA_OFFSET

from .spans import ADULT, CHILD
from .stages import Stage


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Promise
    # The expression of a stage's group (None: the stage has no such group, e.g. a shelter
    # before the referral), and the words for the values found.
    expression: Callable[[Stage], object]
    labels: Callable[[list], dict]
    # A case may be in several groups at once (its forms of exploitation): counted over
    # insights.StageSpanForm, where a stage's row is once for each.
    many: bool = False


def _province_labels(codes):
    return {province.code: province.name for province in Province.objects.filter(code__in=codes)}


def _organisation_labels(ids):
    return {pk: str(o) for pk, o in Organisation.objects.in_bulk(ids).items()}


def _year_labels(years):
    return {year: str(year + BUDDHIST_ERA_OFFSET) for year in years if year is not None}


def _quarter_labels(keys):
    return {
        key: pgettext("quarter of a year", "Q%(quarter)s/%(year)s")
        % {"quarter": key % 10, "year": key // 10 + BUDDHIST_ERA_OFFSET}
        for key in keys
        if key is not None
    }


def _nationality_labels(codes):
    return {code: country_name(code) if code else _("Stateless or unknown") for code in codes}


def _child_labels(_keys):
    return {CHILD: _("Children"), ADULT: _("Adults")}


def _exploitation_labels(_keys):
    return dict(ExploitationType.choices)


DIMENSIONS = [
    Dimension(
        "all",
        _("No breakdown"),
        lambda stage: Value("all"),
        lambda _k: {"all": _("All cases in view")},
    ),
    Dimension(
        "province",
        _("Province"),
        lambda stage: F("province"),
        _province_labels,
    ),
    Dimension(
        "region",
        _("Region"),
        lambda stage: F("region"),
        lambda _k: dict(Region.choices),
    ),
    Dimension(
        "shelter",
        _("Shelter"),
        lambda stage: F("shelter_id") if stage.shelter else None,
        _organisation_labels,
    ),
    Dimension(
        "exploitation",
        _("Form of exploitation"),
        lambda stage: F("exploitation"),
        _exploitation_labels,
        many=True,
    ),
    Dimension(
        "nationality",
        _("Nationality"),
        lambda stage: F("nationality"),
        _nationality_labels,
    ),
    Dimension("age", _("Child or adult"), lambda stage: F("age"), _child_labels),
    Dimension("year", _("Year (B.E.)"), lambda stage: F("year"), _year_labels),
    Dimension(
        "quarter",
        _("Quarter (B.E.)"),
        lambda stage: F("quarter"),
        _quarter_labels,
    ),
]
DIMENSION_BY_KEY = {dimension.key: dimension for dimension in DIMENSIONS}
