"""What a page's script (static/js/dashboard.js) needs to draw its charts; the tables behind
them are in the page itself."""


def chart_data(charts: list[dict]) -> list[dict]:
    """Each chart's id, type, labels and series, and whether its values are percentages."""
    keys = ("id", "type", "labels", "series")
    return [{key: chart[key] for key in keys} | {"percent": "percent" in chart} for chart in charts]
