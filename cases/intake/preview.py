"""What the preview and progress of an intake file show, for its pages and the API alike."""

from audit.reads import record_display, record_list

from ..models import IntakeBatch
from .batch import intake_duplicates_for, intake_stalled
from .progress import intake_progress


def _rows(
    batch: IntakeBatch,
    duplicates: dict[int, list[dict]],
    *,
    links: dict[int, int] | None = None,
    same_as: dict[int, int | None] | None = None,
) -> list[dict]:
    """The rows as the preview shows them, with the choices made: those posted (`links`,
    `same_as`) when a confirmation was refused, else those stored (an imported batch), else
    the suggestions."""
    errors: dict[int, list[dict]] = {}
    for error in batch.errors:
        errors.setdefault(error["row"], []).append(error)
    rows = []
    for entry in batch.rows:
        raw, data, number = entry["raw"], entry["data"], entry["row"]
        matches = duplicates.get(number, [])
        repeats = data.get("repeats", [])
        earlier = [repeat for repeat in repeats if repeat["row"] < number]
        must_merge = next((r["row"] for r in earlier if r["same_document"]), None)
        suggested = next((m["person_id"] for m in matches if m["suggested"]), None)
        if same_as is None:
            answer = data.get("merge_into") or must_merge
        else:
            answer = (same_as[number] or "different") if number in same_as else None
        rows.append(
            {
                "number": number,
                "names": [raw[n] for n in ("name_th", "name_latin", "name_native") if raw[n]],
                "sex": raw["sex"],
                "born": raw["date_of_birth"],
                "estimated_age": raw["estimated_age"],
                "nationality": raw["nationality"],
                "document": " ".join(
                    p for p in (raw["document_kind"], raw["document_number"]) if p
                ),
                "custody": raw.get("custody_started_at", ""),
                "errors": errors.get(number, []),
                "matches": matches,
                "linkable": [m for m in matches if m["person"] is not None],
                "must_link": any(m["must_link"] for m in matches),
                "linked": links.get(number)
                if links is not None
                else data.get("link_person_id") or suggested,
                "repeats": repeats,
                "earlier_repeats": earlier,
                "must_merge": must_merge is not None,
                "same_as": answer,
            }
        )
    return rows


def intake_preview(*, user, batch: IntakeBatch, **choices) -> dict:
    """The checked file as its preview shows it to `user`: its rows (with the `choices` made,
    see _rows), the registered persons each may be (a person of another office only as a
    possible match there) and the counts above the table. The showing of the file, and of
    the persons it names, is logged."""
    duplicates = intake_duplicates_for(user=user, batch=batch)
    record_display(batch, user=user)
    shown = {m["person"].pk: m["person"] for ms in duplicates.values() for m in ms if m["person"]}
    record_list(list(shown.values()), user=user, name="intake preview: possible matches")
    rows = _rows(batch, duplicates, **choices)
    return {
        "rows": rows,
        "rows_with_errors": len({error["row"] for error in batch.errors}),
        "flagged": sum(1 for row in rows if row["matches"] or row["repeats"]),
        "suggested_links": sum(
            1 for matches in duplicates.values() if any(m["suggested"] for m in matches)
        ),
    }


def intake_progress_report(batch: IntakeBatch) -> dict:
    """How far the import of a file has got: rows imported, the share done, whether its worker
    was lost (the user may retry or stop it), and the rows linked to registered persons."""
    processed = intake_progress(batch)
    return {
        "processed": processed,
        "percent": int(processed * 100 / batch.total) if batch.total else 100,
        "stalled": intake_stalled(batch),
        "linked": sum(1 for entry in batch.rows if entry["data"].get("link_person_id")),
    }
