"""Every write to the data protection records, one module per area; callers import from here."""

from .breaches import (
    breach_assess,
    breach_close,
    breach_not_reportable,
    breach_persons_told,
    breach_record,
    breach_report,
)
from .break_glass import break_glass_open, break_glass_review
from .requests import request_decide, request_record, request_release, request_verify
from .retention import retention_plan, retention_run

__all__ = [
    "break_glass_open",
    "break_glass_review",
    "breach_assess",
    "breach_close",
    "breach_not_reportable",
    "breach_persons_told",
    "breach_record",
    "breach_report",
    "request_decide",
    "request_record",
    "request_release",
    "request_verify",
    "retention_plan",
    "retention_run",
]
