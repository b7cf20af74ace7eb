"""Every case the user may see, filtered, and its export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import EXPORTING_ROLES, has_role, may_export, role_required
from audit.exports import list_export
from audit.reads import audited_list_page
from core.lists import Column, labels, url_for_pk

from .. import selectors
from ..filters import CaseFilter
from ..models import ExploitationType, Sex
from ..reference import country_choices
from ..workflow import (
    CaseStatus,
)


def _filtered_cases(request) -> CaseFilter:
    """The one queryset behind the case list and its export: the cases the user may see,
    narrowed by the GET parameters (cases/filters.py)."""
    cases = selectors.case_list_visible_to(user=request.user).select_related("intake_province")
    return CaseFilter(request.GET, queryset=cases.order_by("-created_at", "-pk"))


@login_required  # a partner with a grant has no role: the selector shows them their cases
def case_list(request):
    if has_role(request.user, Role.SYSADMIN):
        raise PermissionDenied  # a sysadmin sees no victim data
    return audited_list_page(
        request,
        _filtered_cases(request),
        "cases/list.html",
        name="cases",
        columns=case_columns(),
        may_export=may_export(request.user),
    )


AGE_FIELDS = ("person__date_of_birth", "person__estimated_age", "person__age_estimated_on")
AGE_FIELDS += ("person__created_at", "person__age_disputed")


def _age_cell(case, today, badge) -> str:
    age = case.person.age(today)
    return format_html("{}{}", "—" if age is None else age, badge if case.person.is_child else "")


def case_columns() -> list[Column]:
    """The columns of the case list and its export, in the active language."""
    sex, status = labels(Sex.choices), labels(CaseStatus.choices)
    exploitation, country = labels(ExploitationType.choices), labels(country_choices())
    yes, no, stateless, child = _("Yes"), _("No"), _("Stateless"), _("Child")
    today = timezone.localdate()
    child_badge = format_html(' <span class="badge text-bg-warning">{}</span>', child)
    detail = url_for_pk("cases:detail")
    return [
        Column(
            _("Case number"),
            ("number",),
            lambda case: case.number,
            html=lambda case: format_html('<a href="{}">{}</a>', detail(case.pk), case.number),
            nowrap=True,
        ),
        Column(
            _("Person"),
            ("person__name_th", "person__name_latin", "person__name_native"),
            lambda case: case.person.display_name,
            in_export=False,
        ),
        Column(
            _("Name in Thai"),
            ("person__name_th",),
            lambda case: case.person.name_th,
            on_page=False,
        ),
        Column(
            _("Name in Latin script"),
            ("person__name_latin",),
            lambda case: case.person.name_latin,
            on_page=False,
        ),
        Column(
            _("Name in native script"),
            ("person__name_native",),
            lambda case: case.person.name_native,
            on_page=False,
        ),
        Column(_("Sex"), ("person__sex",), lambda case: sex(case.person.sex)),
        Column(
            _("Age"),
            AGE_FIELDS,
            lambda case: case.person.age(today),
            html=lambda case: _age_cell(case, today, child_badge),
            nowrap=True,
        ),
        Column(
            _("Child"),
            AGE_FIELDS,
            lambda case: yes if case.person.is_child else no,
            on_page=False,
        ),
        Column(
            _("Nationality"),
            ("person__nationality", "person__stateless"),
            lambda case: stateless if case.person.stateless else country(case.person.nationality),
        ),
        Column(
            _("Intake province"),
            ("intake_province__name_th", "intake_province__name_en"),
            lambda case: case.intake_province.name,
        ),
        Column(_("Intake date"), ("intake_date",), lambda case: case.intake_date, nowrap=True),
        Column(_("Status"), ("status",), lambda case: status(case.status)),
        Column(
            _("Forms of exploitation"),
            ("exploitation_types",),
            lambda case: ", ".join(map(exploitation, case.exploitation_types)),
        ),
        Column(
            _("Owning office"),
            ("owner__name_th", "owner__name_en"),
            lambda case: case.owner.name,
        ),
    ]


@role_required(*EXPORTING_ROLES)
def case_export(request):
    return list_export(
        request, name="cases", filterset=_filtered_cases(request), columns=case_columns()
    )
