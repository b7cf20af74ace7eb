"""The stage figures as charts (drawn by static/js/dashboard.js from a JSON block, as the
dashboard's are) and the tables behind them, each row linked to the cases it counts."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sla.selectors import Compliance

from .figures import Figure, Filters, StageFigures

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def unit_of(figures: list[Figure]) -> tuple[int, str]:
    """Minutes for a stage whose slowest tenth takes under three hours (in hours, its bars
    would all be 0.0), hours under three days, days otherwise."""
    slowest = max((figure.p90 or 0 for figure in figures), default=0)
    if slowest < 3 * HOUR:
        return MINUTE, _("minutes")
    return (HOUR, _("hours")) if slowest < 3 * DAY else (DAY, _("days"))


def in_unit(seconds: float | None, unit: int) -> float | None:
    return None if seconds is None else round(seconds / unit, 1)


def cases_link(stage_key: str, filters: Filters, group) -> str:
    query = filters.query() | {"group": "" if group is None else str(group)}
    return f"{reverse('insights:stage_cases', args=[stage_key])}?{urlencode(query)}"


def _rows(
    stage_key: str, figures: list[Figure], filters: Filters, unit: int, linked: bool
) -> list[dict]:
    return [
        {
            "label": figure.label,
            "link": cases_link(stage_key, filters, figure.key) if linked else "",
            "values": [
                figure.count,
                in_unit(figure.median, unit),
                in_unit(figure.p90, unit),
                figure.share,
                figure.late if figure.limited else None,
                figure.blocked_share,
            ],
        }
        for figure in figures
    ]


def _headers(unit_name: str) -> list[str]:
    return [
        _("People"),
        _("Median (%(unit)s)") % {"unit": unit_name},
        _("90th percentile (%(unit)s)") % {"unit": unit_name},
        _("Within the limit (%)"),
        _("Past the limit"),
        _("Time waiting on blockers (%)"),
    ]


def stage_charts(
    figures: list[StageFigures], filters: Filters, *, linked: bool = True
) -> list[dict]:
    """One chart per stage: the median and the 90th percentile of each group; each row of
    the table behind it linked to its cases (`linked`: not for a viewer who sees none of them,
    the regional officer)."""
    charts = []
    for stages in figures:
        unit, unit_name = unit_of(stages.groups)
        charts.append(
            {
                "id": stages.stage.key,
                "title": str(stages.stage.label),
                "type": "bar",
                "labels": [str(figure.label) for figure in stages.groups],
                "series": [
                    {
                        "label": _("Median (%(unit)s)") % {"unit": unit_name},
                        "data": [in_unit(f.median, unit) for f in stages.groups],
                    },
                    {
                        "label": _("90th percentile (%(unit)s)") % {"unit": unit_name},
                        "data": [in_unit(f.p90, unit) for f in stages.groups],
                    },
                ],
                "rows": _rows(stages.stage.key, stages.groups, filters, unit, linked),
                "headers": _headers(unit_name),
            }
        )
    return charts


def share_chart(figures: list[StageFigures]) -> dict:
    """The share of each limited stage done within its limit, all groups together."""
    rows = []
    for stages in figures:
        within = sum(f.within for f in stages.groups)
        limited = sum(f.limited for f in stages.groups)
        if limited:
            rows.append(
                (str(stages.stage.label), limited, within, round(100 * within / limited, 1))
            )
    return {
        "id": "within",
        "title": _("Done within the limit, by stage (%)"),
        "type": "bar",
        "percent": True,
        "labels": [row[0] for row in rows],
        "series": [{"label": _("Within the limit (%)"), "data": [row[3] for row in rows]}],
        "rows": [{"label": row[0], "values": list(row[1:]), "link": None} for row in rows],
        "headers": [_("With a limit"), _("Within the limit"), "%"],
    }


def compliance_chart(rows: list[Compliance], *, chart_id: str, title: str) -> dict:
    """The share of the deadlines met of those that ended, and the counts behind it."""
    return {
        "id": chart_id,
        "title": title,
        "type": "bar",
        "percent": True,
        "labels": [str(row.label) for row in rows],
        "series": [{"label": _("Met on time (%)"), "data": [row.share for row in rows]}],
        "rows": [
            {
                "label": row.label,
                "values": [row.met, row.missed, row.share, row.running, row.overdue],
                "link": None,
            }
            for row in rows
        ],
        "headers": [
            _("Met"),
            _("Missed"),
            _("Met on time (%)"),
            _("Running, in time"),
            _("Running, past due"),
        ],
    }
