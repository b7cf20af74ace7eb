"""Thin Celery tasks for the stage figures."""

from celery import shared_task

from . import spans


@shared_task
def count_stage_spans() -> int:
    """Beat runs this every ten minutes: the stages' rows counted again (insights/spans.py).
    Returns the number of rows."""
    return spans.count_stage_spans()
