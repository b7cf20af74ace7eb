"""Persons, their cases, and the screening that identifies them as victims (or not).

One module per entity group; every model and public name is importable from `cases.models`.
"""

from .access import AccessGrant, CaseGroupObjectPermission, CaseUserObjectPermission, SharedPart
from .case import Case, CaseNumberCounter, ExploitationType, IntakeChannel, RiskLevel
from .intake import IntakeBatch
from .operation import Operation
from .permit import Permit
from .person import CHILD_AGE, IdentityDocument, Person, Sex
from .records import (
    DOCUMENT_EXTENSIONS,
    CaseDocument,
    CaseEvent,
    CaseNote,
    Consent,
    ConsentStep,
    document_path,
)
from .screening import Indicator, Interview, InterviewTopic, Outcome, Screening, ScreeningMember

__all__ = [
    "AccessGrant",
    "SharedPart",
    "CHILD_AGE",
    "Case",
    "CaseDocument",
    "CaseEvent",
    "CaseGroupObjectPermission",
    "CaseNote",
    "CaseNumberCounter",
    "CaseUserObjectPermission",
    "Consent",
    "ConsentStep",
    "DOCUMENT_EXTENSIONS",
    "ExploitationType",
    "IdentityDocument",
    "Indicator",
    "IntakeBatch",
    "IntakeChannel",
    "Interview",
    "InterviewTopic",
    "Operation",
    "Outcome",
    "Permit",
    "Person",
    "RiskLevel",
    "Screening",
    "ScreeningMember",
    "Sex",
    "document_path",
]
