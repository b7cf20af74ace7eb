"""What a page's script (static/js/dashboard.js) needs to draw its charts; the tables behind
them are in the page itself."""


def _known(chart: dict) -> list[int]:
    """The positions of the labels with a value in at least one series: a group with no figure
    ("–" in the table) is left out of the drawing rather than drawn as a bar of 0."""
    return [
        index
        for index in range(len(chart["labels"]))
        if any(series["data"][index] is not None for series in chart["series"])
    ]


def chart_data(charts: list[dict]) -> list[dict]:
    """Each drawn chart's id, type, labels and series (only the labels with a value), and
    whether its values are percentages. Marks each chart `drawn` or not: one with no value at
    all, or only zeros, is not drawn, and includes/charts.html says so instead of showing an
    empty axis."""
    data = []
    for chart in charts:
        known = _known(chart)
        values = [value for series in chart["series"] for value in series["data"]]
        chart["all_zero"] = bool(known) and not any(values)  # bars of 0 draw nothing either
        chart["drawn"] = bool(known) and not chart["all_zero"]
        if chart["drawn"]:
            data.append(
                {
                    "id": chart["id"],
                    "type": chart["type"],
                    "labels": [chart["labels"][index] for index in known],
                    "series": [
                        {**series, "data": [series["data"][index] for index in known]}
                        for series in chart["series"]
                    ],
                    "percent": "percent" in chart,
                }
            )
    return data
