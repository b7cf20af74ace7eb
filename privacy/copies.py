"""The copy of a person's data that an access or portability request is answered with (PDPA
s.30, s.31): what this system holds about them, in their language (Thai, with Buddhist-era
dates, or English), as plain text the officer reads before releasing it."""

from django.template.loader import render_to_string
from django.utils import translation

from cases.models import Case, CaseNote, Consent, Person, Screening
from cases.reference import country_name
from referrals.models import Referral
from repatriation.models import DataTransfer
from shelters.models import Placement


def person_copy(person: Person, *, language: str) -> str:
    """Everything recorded about `person`, written in `language` ("th" or "en"). Notes are
    included: the officer strikes what an exemption keeps back before releasing."""
    cases = list(Case.objects.filter(person=person).select_related("owner").order_by("pk"))
    with translation.override(language):
        return render_to_string(
            "privacy/copy.txt",
            {
                "person": person,
                "nationality": country_name(person.nationality) if person.nationality else "",
                "documents": person.documents.all(),
                "cases": cases,
                "screenings": Screening.objects.filter(case__in=cases).order_by("pk"),
                "consents": Consent.objects.filter(case__in=cases).order_by("pk"),
                "notes": CaseNote.objects.filter(case__in=cases).order_by("pk"),
                "referrals": Referral.objects.filter(case__in=cases)
                .select_related("to_organisation")
                .order_by("pk"),
                "placements": Placement.objects.filter(case__in=cases)
                .select_related("unit__shelter__organisation")
                .order_by("pk"),
                "transfers": DataTransfer.objects.filter(person=person).order_by("pk"),
            },
        ).strip()
