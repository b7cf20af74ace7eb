"""The dashboard's figures as charts (drawn by Chart.js from a JSON block) and as the tables
behind them (for screen readers, printing and copying)."""

from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.dates import BUDDHIST_ERA_OFFSET, ENGLISH_MONTHS, THAI_MONTHS, is_thai

TOP = 12  # the longest breakdowns show their biggest groups, then one "other" bar


def month_label(month) -> str:
    """ "พ.ย. 2569" in Thai, "Nov 2026" in English."""
    if is_thai():
        return f"{THAI_MONTHS[month.month - 1]} {month.year + BUDDHIST_ERA_OFFSET}"
    return f"{ENGLISH_MONTHS[month.month - 1]} {month.year}"


def _top(rows: list[dict]) -> list[dict]:
    rows = [row for row in rows if row["count"]]
    if len(rows) <= TOP:
        return rows
    rest = sum(row["count"] for row in rows[TOP - 1 :])
    return rows[: TOP - 1] + [{"key": "", "label": _("All others"), "count": rest}]


def _link(list_url: str, filter_name: str | None, key: str) -> str | None:
    """The list of the cases a bar counts, when the list can filter on it."""
    if filter_name is None or not key or key in ("stateless", "unknown"):
        return None
    return f"{list_url}&{urlencode({filter_name: key})}"


def _chart(key, title, kind, rows, *, list_url="", filter_name=None, series_label=None) -> dict:
    return {
        "id": key,
        "title": title,
        "type": kind,
        "labels": [row["label"] for row in rows],
        "series": [{"label": series_label or title, "data": [row["count"] for row in rows]}],
        "rows": [
            {
                "label": row["label"],
                "values": [row["count"]],
                "link": _link(list_url, filter_name, row["key"]),
            }
            for row in rows
        ],
        "headers": [series_label or _("Number")],
    }


def dashboard_charts(figures: dict, list_url: str, declines_url: str) -> list[dict]:
    """The charts, each bar linked to the list it counts where the list can filter on it:
    the cases (`list_url`) or the declined referrals (`declines_url`)."""
    cases = figures["cases"]
    months = figures["monthly"]
    sla = figures["sla"]["by_clock"]
    return [
        {
            "id": "monthly",
            "title": _("Cases registered and victims identified, by month"),
            "type": "bar",
            "labels": [month_label(row["month"]) for row in months],
            "series": [
                {"label": _("Cases registered"), "data": [row["count"] for row in months]},
                {"label": _("Victims identified"), "data": [row["identified"] for row in months]},
            ],
            "rows": [
                {
                    "label": month_label(row["month"]),
                    "values": [row["count"], row["identified"]],
                }
                for row in months
            ],
            "headers": [_("Cases registered"), _("Victims identified")],
        },
        _chart(
            "sex",
            _("Cases by sex"),
            "doughnut",
            cases["by_sex"],
            list_url=list_url,
            filter_name="sex",
        ),
        _chart("age", _("Cases by age at registration"), "bar", cases["by_age_group"]),
        _chart(
            "exploitation",
            _("Cases by form of exploitation"),
            "bar",
            cases["by_exploitation"],
            list_url=list_url,
            filter_name="exploitation",
        ),
        _chart(
            "nationality",
            _("Cases by nationality"),
            "bar",
            _top(figures["by_nationality"]),
            list_url=list_url,
            filter_name="nationality",
        ),
        _chart(
            "province",
            _("Cases by province of intake"),
            "bar",
            _top(figures["by_province"]),
            list_url=list_url,
            filter_name="province",
        ),
        _chart("screenings", _("Screenings by outcome"), "bar", figures["screenings"]),
        _chart("referrals", _("Referrals by state"), "bar", figures["referrals"]),
        _chart(
            "declines",
            _("Declined referrals by reason"),
            "bar",
            figures["declines"],
            list_url=declines_url,
            filter_name="decline_reason",
        ),
        {
            "id": "sla",
            "title": _("Deadlines met on time, by clock (%)"),
            "type": "bar",
            "labels": [row["label"] for row in sla],
            "series": [{"label": _("Met on time (%)"), "data": [row["percent"] for row in sla]}],
            "percent": True,
            "rows": [
                {
                    "label": row["label"],
                    "values": [row["total"], row["met"], row["percent"]],
                }
                for row in sla
            ],
            "headers": [_("Due"), _("Met on time"), "%"],
        },
    ]
