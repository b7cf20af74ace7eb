"""The case data in the Human Trafficking Case Data Standard (HTCDS, IOM / UN Migration,
github.com/UNMigration/HTCDS, v2.0 field reference): one readable table of which HTCDS field
comes from which of our fields, the standard's code lists written once, the rows of the cases a
user may see, and the anonymised form for the Counter Trafficking Data Collaborative (CTDC).

docs/HTCDS.md is the same table for people, with the HTCDS fields that have no counterpart here
(NO_COUNTERPART) and those left out on purpose because they name or reach the person
(WITHHELD). A test checks every exported code against the lists below.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import Prefetch, prefetch_related_objects

from cases.models import Case, Consent, ConsentStep, Person, Screening
from cases.models.case import ExploitationType
from cases.models.person import Sex
from cases.workflow import CaseStatus
from referrals.models import Kind as ReferralKind
from referrals.models import Referral

from .anonymised import suppress_small_groups

# --- The standard's code lists (HTCDS v2.0 field reference: "Value Names") -----------------
GENDER = ("Male", "Female", "Transgender/NonConforming", "Unknown")
CASE_STATUS = ("Active", "FollowUp", "Closed", "ClosedReferred")
METHODS_OF_CONTROL = (
    "DebtBondage",
    "TakesEarnings",
    "RestrictsFinancialAccess",
    "Threats",
    "PsychologicalAbuse",
    "PhysicalAbuse",
    "SexualAbuse",
    "FalsePromises",
    "PsychoactiveSubstances",
    "RestrictsMovement",
    "RestrictsMedicalCare",
    "ExcessiveWorkingHours",
    "UsesChildren",
    "ThreatOfLawEnforcement",
    "WithholdsNecessities",
    "WithholdsDocuments",
    "Other",
)
TYPE_OF_LABOUR_EXPLOITATION = (
    "Agriculture",
    "Aquafarming",
    "Begging",
    "Construction",
    "DomesticWork",
    "Hospitality",
    "IllicitActivities",
    "Manufacturing",
    "MiningOrDrilling",
    "Peddling",
    "Transportation",
    "Other",
)
LABOUR_INDUSTRY = (  # ISIC rev. 4 sections, as the standard names them
    "A_AgricultureForestryAndFishing",
    "B_MiningAndQuarrying",
    "C_Manufacturing",
    "D_ElectricityGasSteamAndAirConditioningSupply",
    "E_WaterSupplySewerageWasteManagement",
    "F_Construction",
    "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
    "H_TransportationAndStorage",
    "I_AccommodationAndFoodServiceActivities",
    "J_InformationAndCommunication",
    "K_FinancialAndInsuranceActivities",
    "L_RealEstateActivities",
    "M_ProfessionalScientificAndTechnicalActivities",
    "N_AdministrativeAndSupportServiceActivities",
    "O_PublicAdministrationAndDefence",
    "P_Education",
    "Q_HumanHealthAndSocialWorkActivities",
    "R_ArtsEntertainmentAndRecreation",
    "S_OtherServiceActivities",
    "T_ActivitiesOfHouseholdsAsEmployers",
    "U_ActivitiesOfExtraterritorialOrganizations",
)
TYPE_OF_SEX_EXPLOITATION = (
    "Prostitution",
    "Pornography",
    "RemoteInteractiveServices",
    "PrivateSexualServices",
)
REASON_FOR_REFERRAL = ("AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other")
BOOLEAN = ("true", "false")
# The CTDC global dataset's age groups (`ageBroad`), for the anonymised form.
AGE_BROAD = ("0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+")
SEPARATOR = ";"  # between the values of a multi-select field

# --- Our codes → the standard's --------------------------------------------------------------
SEX_TO_GENDER = {
    Sex.FEMALE: "Female",
    Sex.MALE: "Male",
    Sex.OTHER: "Transgender/NonConforming",
    Sex.UNKNOWN: "Unknown",
}
# Screening indicators (cases migration 0002) that describe how the person was controlled.
INDICATOR_TO_CONTROL = {
    "abuse_of_vulnerability": ("PsychologicalAbuse",),
    "deception": ("FalsePromises",),
    "restriction_of_movement": ("RestrictsMovement",),
    "confined_compound": ("RestrictsMovement",),
    "isolation": ("RestrictsMovement",),
    "physical_sexual_violence": ("PhysicalAbuse", "SexualAbuse"),
    "sexual_control": ("SexualAbuse",),
    "intimidation_threats": ("Threats",),
    "quota_punishment": ("Threats",),
    "retention_of_documents": ("WithholdsDocuments",),
    "withholding_of_wages": ("TakesEarnings",),
    "debt_bondage": ("DebtBondage",),
    "abusive_conditions": ("WithholdsNecessities",),
    "excessive_overtime": ("ExcessiveWorkingHours",),
}
# Forms of exploitation → (type of labour exploitation, ISIC section); fishing at sea is not
# aquafarming, so it is "Other" work in agriculture, forestry and fishing.
EXPLOITATION_TO_LABOUR = {
    ExploitationType.LABOUR_FISHING: ("Other", "A_AgricultureForestryAndFishing"),
    ExploitationType.LABOUR_AGRICULTURE: ("Agriculture", "A_AgricultureForestryAndFishing"),
    ExploitationType.LABOUR_DOMESTIC: ("DomesticWork", "T_ActivitiesOfHouseholdsAsEmployers"),
    ExploitationType.LABOUR_MANUFACTURING: ("Manufacturing", "C_Manufacturing"),
    ExploitationType.LABOUR_CONSTRUCTION: ("Construction", "F_Construction"),
    ExploitationType.LABOUR_OTHER: ("Other", ""),
    ExploitationType.BEGGING: ("Begging", ""),
    ExploitationType.SCAM_COMPOUND: ("IllicitActivities", ""),
}
INDICATOR_TO_SEX_EXPLOITATION = {
    "forced_prostitution": "Prostitution",
    "pornography": "Pornography",
}
REFERRAL_REASON = {
    ReferralKind.SHELTER_PLACEMENT: "AdditionalServicesRequired",
    ReferralKind.SERVICE: "AdditionalServicesRequired",
    ReferralKind.TRANSFER: "MigrationOrChangeOfLocation",
}


def _joined(values: Iterable[str]) -> str:
    return SEPARATOR.join(dict.fromkeys(value for value in values if value))


def _indicators(case: Case) -> set[str]:
    return {
        indicator.code
        for screening in case.htcds_screenings
        for indicator in screening.indicators.all()
    }


def _latest_referral(case: Case) -> Referral | None:
    return case.htcds_referrals[0] if case.htcds_referrals else None


def _data_sharing_agreed(case: Case) -> str:
    if not case.htcds_consents:
        return ""
    return "true" if case.htcds_consents[0].decision == Consent.Decision.GIVEN else "false"


def _status(case: Case) -> str:
    return "Closed" if case.status == CaseStatus.CLOSED else "Active"


# --- The mapping: one row per exported HTCDS field ------------------------------------------
@dataclass(frozen=True)
class Field:
    name: str  # the HTCDS field name, with its table's prefix
    source: str  # where it comes from here, for docs/HTCDS.md
    value: Callable[[Case], str]
    codes: tuple[str, ...] | None = None  # the standard's code list, when it has one
    multiple: bool = False


FIELDS = [
    Field("cas_CaseNumber", "Case.number (the record's own key)", lambda c: c.number),
    Field(
        "cas_Status", "Case.status: open, reopened → Active; closed → Closed", _status, CASE_STATUS
    ),
    Field("cas_ReasonForCaseClosure", "Case.closed_reason", lambda c: c.closed_reason),
    Field("prs_Gender", "Person.sex", lambda c: SEX_TO_GENDER[c.person.sex], GENDER),
    Field(
        "prs_Birthdate",
        "Person.date_of_birth (ISO 8601; empty when only an age was estimated)",
        lambda c: c.person.date_of_birth.isoformat() if c.person.date_of_birth else "",
    ),
    Field(
        "prs_Nationality",
        "Person.nationality (ISO 3166-1 alpha-2; empty for a stateless person)",
        lambda c: c.person.nationality,
    ),
    Field(
        "vic_AgreementToManagePersonalData",
        "the latest consent of the step 'sharing information with partners'",
        _data_sharing_agreed,
        BOOLEAN,
    ),
    Field(
        "vic_MethodsOfControl",
        "the screenings' indicators (INDICATOR_TO_CONTROL)",
        lambda c: _joined(
            code for i in sorted(_indicators(c)) for code in INDICATOR_TO_CONTROL.get(i, ())
        ),
        METHODS_OF_CONTROL,
        multiple=True,
    ),
    Field(
        "vic_TypeOfLabourExploitation",
        "Case.exploitation_types (EXPLOITATION_TO_LABOUR)",
        lambda c: _joined(EXPLOITATION_TO_LABOUR.get(t, ("", ""))[0] for t in c.exploitation_types),
        TYPE_OF_LABOUR_EXPLOITATION,
        multiple=True,
    ),
    Field(
        "vic_LabourIndustry",
        "Case.exploitation_types (EXPLOITATION_TO_LABOUR: the ISIC section)",
        lambda c: _joined(EXPLOITATION_TO_LABOUR.get(t, ("", ""))[1] for t in c.exploitation_types),
        LABOUR_INDUSTRY,
        multiple=True,
    ),
    Field(
        "vic_TypeOfSexExploitation",
        "the screenings' indicators forced_prostitution, pornography",
        lambda c: _joined(INDICATOR_TO_SEX_EXPLOITATION.get(i, "") for i in sorted(_indicators(c))),
        TYPE_OF_SEX_EXPLOITATION,
        multiple=True,
    ),
    Field(
        "cas_ReferredOrganisation",
        "the latest referral's receiving organisation (its English name)",
        lambda c: (r := _latest_referral(c)) and r.to_organisation.name_en or "",
    ),
    Field(
        "cas_OutgoingReferralDate",
        "the latest referral's submission date",
        lambda c: (
            (r := _latest_referral(c))
            and r.submitted_at
            and r.submitted_at.date().isoformat()
            or ""
        ),
    ),
    Field(
        "cas_ReasonForOutgoingReferral",
        "the latest referral's kind: a bed or a service → AdditionalServicesRequired; a transfer "
        "→ MigrationOrChangeOfLocation",
        lambda c: (r := _latest_referral(c)) and REFERRAL_REASON[r.kind] or "",
        REASON_FOR_REFERRAL,
    ),
]

# HTCDS fields this system does not record.
NO_COUNTERPART = [
    ("prs_Deceased", "a death is not recorded as such"),
    ("prs_Title, prs_Email", "about staff, not victims"),
    ("prs_Mailing* (street, city, state, postal code, country, latitude, longitude)", "no address"),
    ("vic_RecruitmentWebsitesAndApps, vic_ExploitationWebsitesAndApps", "not recorded"),
    (
        "vic_MethodOfRecruitment, vic_LocationOfRecruitment",
        "only the indicator 'recruited with a false job offer'",
    ),
    ("vic_LocationOfExploitation", "not recorded as a place"),
    ("vic_Vulnerabilities, vic_DetailsOfVulnerabilities", "not recorded as a list"),
    ("per_* (perpetrators)", "the justice records name a police case, not the persons accused"),
    (
        "hte_* (historic trafficking events)",
        "no dated places of recruitment, transit, exploitation",
    ),
    (
        "cas_ReferringOrganisation, cas_IncomingReferralDate, cas_ReasonForIncomingReferral",
        "one national system: the referral's sender is the case's own office",
    ),
    ("org_* (organisation address, phone, type)", "reference data, not case data"),
]
# HTCDS fields left out on purpose: they name or reach the person or a worker.
WITHHELD = [
    "prs_Salutation",
    "prs_FirstName",
    "prs_MiddleName",
    "prs_SecondName",
    "prs_HomePhone",
    "prs_MobilePhone",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReferredPrimaryCaseWorker",
    "cas_IncomingReferralDetails",
    "cas_OutgoingReferralDetails",
]

CHUNK = 1000


def _prefetched(cases: list[Case]) -> list[Case]:
    prefetch_related_objects(
        cases,
        Prefetch(
            "screenings",
            queryset=Screening.objects.prefetch_related("indicators"),
            to_attr="htcds_screenings",
        ),
        Prefetch(
            "consents",
            queryset=Consent.objects.filter(step=ConsentStep.DATA_SHARING).order_by("-pk"),
            to_attr="htcds_consents",
        ),
        Prefetch(
            "referrals",
            queryset=Referral.objects.filter(submitted_at__isnull=False)
            .select_related("to_organisation")
            .order_by("-created_at", "-pk"),
            to_attr="htcds_referrals",
        ),
    )
    return cases


def htcds_rows(cases) -> Iterator[list[str]]:
    """One row per case of the queryset `cases` (already a visibility selector's), in the
    order of FIELDS; the related rows read a chunk at a time (four queries per chunk)."""
    iterator = cases.select_related("person").order_by("pk").iterator(chunk_size=CHUNK)
    while chunk := list(islice(iterator, CHUNK)):
        for case in _prefetched(chunk):
            yield [field.value(case) for field in FIELDS]


def headers() -> list[str]:
    return [field.name for field in FIELDS]


# --- The anonymised form for the CTDC --------------------------------------------------------
ANONYMISED_HEADERS = [
    "prs_Gender",
    "ageBroad",
    "prs_Nationality",
    "vic_TypeOfExploitation",
    "count",
]


def age_broad(age: int | None) -> str:
    if age is None:
        return ""
    bounds = [
        (8, "0--8"),
        (17, "9--17"),
        (20, "18--20"),
        (23, "21--23"),
        (26, "24--26"),
        (29, "27--29"),
        (38, "30--38"),
        (47, "39--47"),
    ]
    return next((label for bound, label in bounds if age <= bound), "48+")


def _exploitation(types: list[str]) -> str:
    """The first recorded form, in the CTDC's three groups."""
    first = types[0] if types else ""
    if first == ExploitationType.SEXUAL:
        return "SexualExploitation"
    if first in EXPLOITATION_TO_LABOUR and first != ExploitationType.SCAM_COMPOUND:
        return "ForcedLabour"
    return "OtherExploitation" if first else ""


def anonymised_rows(victims) -> list[list]:
    """Persons (each once, by their first case) counted by gender, age group at registration,
    nationality and main form of exploitation; every combination of fewer than 11 persons is
    folded into one "other" row of at least 11 (reports.anonymised), and nothing is given for
    fewer than 11 persons in all."""
    seen, groups = set(), Counter()
    for case in (
        victims.select_related(None)
        .select_related("person")
        .only(
            "person__sex",
            "person__date_of_birth",
            "person__estimated_age",
            "person__age_estimated_on",
            "person__created_at",
            "person__nationality",
            "exploitation_types",
            "intake_date",
        )
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    ):
        if case.person_id in seen:
            continue
        seen.add(case.person_id)
        person: Person = case.person
        groups[
            (
                SEX_TO_GENDER[person.sex],
                age_broad(person.age(on=case.intake_date)),
                person.nationality,
                _exploitation(case.exploitation_types),
            )
        ] += 1
    table = suppress_small_groups([{"label": key, "count": n} for key, n in groups.items()])
    if table is None:
        return []
    return [
        [*row["label"], row["count"]]
        if isinstance(row["label"], tuple)
        else ["", "", "", str(row["label"]), row["count"]]
        for row in table
    ]
