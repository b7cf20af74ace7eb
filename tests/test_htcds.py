"""The HTCDS export: the cases a user may see in the fields and codes of the IOM Human
Trafficking Case Data Standard, and its anonymised form for the CTDC (no cell under 11)."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases import services as cases
from cases.models import Case, Screening
from cases.reference import country_choices
from reports import htcds
from tests.factories import (
    case_in_state,
    ready_to_decide,
    referral_in_state,
    register_case,
    screening_in_state,
)

pytestmark = pytest.mark.django_db

EVERY_INDICATOR = [*htcds.INDICATOR_TO_CONTROL, *htcds.INDICATOR_TO_SEX_EXPLOITATION, "under_18"]
VARIETY = [
    # sex, nationality, forms of exploitation, date of birth
    ("female", "MM", ["sexual"], dt.date(2001, 5, 2)),
    ("male", "KH", ["labour_fishing", "labour_construction"], None),
    ("other", "LA", ["labour_domestic", "begging"], dt.date(2010, 1, 1)),
    ("unknown", "", ["scam_compound", "labour_other"], None),
    ("male", "TH", ["labour_agriculture", "labour_manufacturing", "other"], None),
]


def generated_cases(worker) -> list[Case]:
    """A case of every sex, several nationalities and every form of exploitation, with decided
    screenings carrying every indicator, a data-sharing consent, a referral, a closed case."""
    made = []
    for sex, nationality, types, born in VARIETY:
        person = {"sex": sex, "nationality": nationality, "name_th": f"ทดสอบ {sex}"}
        person.update({"date_of_birth": born} if born else {"estimated_age": 30})
        case = register_case(worker, **person)
        Case.objects.filter(pk=case.pk).update(exploitation_types=types)
        made.append(case)
    screening = screening_in_state(worker, "open", case=made[0])
    ready_to_decide(screening, worker, indicator_codes=EVERY_INDICATOR)
    cases.consent_record(case=made[0], actor=worker, step="data_sharing", decision="given")
    cases.consent_record(case=made[1], actor=worker, step="data_sharing", decision="refused")
    referral_in_state(worker, "submitted", case=made[1])
    made.append(case_in_state(worker, "closed"))
    return made


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_of_generated_data_uses_only_the_standards_fields_and_codes(
    client, supervisor_chiangmai, worker_chiangmai, worker_tak
):
    made = generated_cases(worker_chiangmai)
    elsewhere = register_case(worker_tak)
    client.force_login(supervisor_chiangmai)
    response = client.get(reverse("reports:htcds_export"), {"format": "csv"})
    assert response.status_code == 200
    rows = read_csv(response)

    assert list(rows[0]) == htcds.headers()
    assert {row["cas_CaseNumber"] for row in rows} == {case.number for case in made}
    assert elsewhere.number not in {row["cas_CaseNumber"] for row in rows}  # not visible
    countries = {code for code, _name in country_choices()}
    for row in rows:
        for field in htcds.FIELDS:
            value = row[field.name]
            if field.codes is not None and value:
                values = value.split(htcds.SEPARATOR) if field.multiple else [value]
                assert set(values) <= set(field.codes), (field.name, value)
        assert row["prs_Nationality"] == "" or row["prs_Nationality"] in countries
        assert re.fullmatch(r"(\d{4}-\d{2}-\d{2})?", row["prs_Birthdate"])
    coded = {field.name for field in htcds.FIELDS if field.codes}
    for name in coded:  # the generated data reaches every coded field
        assert any(row[name] for row in rows), name

    by_number = {row["cas_CaseNumber"]: row for row in rows}
    first, second = by_number[made[0].number], by_number[made[1].number]
    assert first["prs_Gender"] == "Female" and first["prs_Birthdate"] == "2001-05-02"
    assert first["vic_TypeOfSexExploitation"] == "Prostitution;Pornography"
    assert set(first["vic_MethodsOfControl"].split(";")) == set(htcds.METHODS_OF_CONTROL) - {
        "RestrictsFinancialAccess",
        "PsychoactiveSubstances",
        "RestrictsMedicalCare",
        "UsesChildren",
        "ThreatOfLawEnforcement",
        "Other",
    }
    assert first["vic_AgreementToManagePersonalData"] == "true"
    assert second["vic_AgreementToManagePersonalData"] == "false"
    assert second["vic_TypeOfLabourExploitation"] == "Other;Construction"
    assert second["vic_LabourIndustry"] == "A_AgricultureForestryAndFishing;F_Construction"
    assert second["cas_ReasonForOutgoingReferral"] == "AdditionalServicesRequired"
    assert second["cas_ReferredOrganisation"]
    assert by_number[made[-1].number]["cas_Status"] == "Closed"
    assert by_number[made[2].number]["prs_Gender"] == "Transgender/NonConforming"
    # No name, no phone: the standard's identifying fields are withheld.
    content = str(rows)
    assert "ทดสอบ" not in content and not set(htcds.WITHHELD) & set(rows[0])

    event = AuditEvent.objects.get(action="export", changes__report="htcds")
    assert event.changes["rows"] == len(made) and event.actor == supervisor_chiangmai


def test_the_excel_file_has_the_same_columns_and_only_exporters_get_it(
    client, settings, supervisor_chiangmai, worker_chiangmai, sysadmin
):
    register_case(worker_chiangmai)
    client.force_login(worker_chiangmai)  # a social worker takes no file away
    assert client.get(reverse("reports:htcds_export"), {"format": "csv"}).status_code == 403
    client.force_login(supervisor_chiangmai)
    assert client.get(reverse("reports:htcds_export"), {"format": "pdf"}).status_code == 400
    response = client.get(reverse("reports:htcds_export"), {"format": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == htcds.headers()
    assert sheet.max_row == 2
    settings.NRM_EXPORT_IMMEDIATE_ROWS = 0  # a national list: CSV, which streams
    refused = client.get(reverse("reports:htcds_export"), {"format": "xlsx"})
    assert refused.status_code == 400 and "CSV" in refused.content.decode()


def test_the_anonymised_form_for_the_ctdc_has_no_cell_under_eleven(
    client, central_reviewer, worker_chiangmai, prepared_file
):
    groups = [
        ({"sex": "female", "nationality": "MM"}, ["sexual"], 11),
        ({"sex": "male", "nationality": "KH"}, ["labour_fishing"], 11),
        ({"sex": "male", "nationality": "LA"}, ["begging"], 2),
        ({"sex": "female", "nationality": "VN"}, ["scam_compound"], 1),
    ]
    for person, types, count in groups:
        for _n in range(count):
            case = register_case(worker_chiangmai, estimated_age=25, **person)
            Case.objects.filter(pk=case.pk).update(exploitation_types=types)
            screening_in_state(worker_chiangmai, "decided", case=case)
    Screening.objects.update(decided_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    client.force_login(central_reviewer)
    url = reverse("reports:htcds_anonymised_export")
    response = prepared_file(client, url, kind="calendar", year=2025, format="csv")
    assert response.status_code == 200
    rows = read_csv(response)
    assert list(rows[0]) == htcds.ANONYMISED_HEADERS
    counts = [int(row["count"]) for row in rows]
    assert sum(counts) == 25 and min(counts) >= 11
    shown = {
        (row["prs_Gender"], row["prs_Nationality"], row["vic_TypeOfExploitation"]) for row in rows
    }
    assert ("Female", "MM", "SexualExploitation") in shown or (
        "Male",
        "KH",
        "ForcedLabour",
    ) in shown
    for row in rows:
        assert row["prs_Gender"] in (*htcds.GENDER, "")
        assert row["ageBroad"] in (*htcds.AGE_BROAD, "")
    assert AuditEvent.objects.filter(action="export", changes__report="htcds-anonymised").exists()
    # A year still running is not shared.
    running = client.get(url, {"kind": "calendar", "year": 2026, "format": "csv"})
    assert running.status_code == 400


def test_the_docs_name_every_mapped_field_and_every_field_without_a_counterpart():
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "HTCDS.md").read_text()
    for field in htcds.FIELDS:
        assert f"`{field.name}`" in docs and field.source in docs
    for name, why in htcds.NO_COUNTERPART:
        assert f"`{name}`: {why}" in docs
    for name in htcds.WITHHELD:
        assert f"`{name}`" in docs
