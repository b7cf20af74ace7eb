"""The Excel button of a list and the files prepared from it, for templates/includes/
list_filters.html: `{% load export_jobs %}`, `{% if total|excel_in_background %}` and
`{% export_jobs_asked export_url as jobs %}`."""

from django import template

from ..models import ExportJob
from ..selectors import export_jobs_asked_in_session
from ..services import list_prepared_in_background

register = template.Library()


@register.filter
def excel_in_background(rows: int) -> bool:
    """Whether the Excel file of a list of `rows` rows is prepared by a worker."""
    return list_prepared_in_background("xlsx", rows)


@register.simple_tag(takes_context=True)
def export_jobs_asked(context, export_url: str) -> list[ExportJob]:
    """The files of this export the signed-in user asked for in this session, still kept."""
    return export_jobs_asked_in_session(context["request"], path=export_url)
