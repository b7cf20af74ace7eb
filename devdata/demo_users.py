"""Demo accounts (DESIGN.md §9), spread over provinces and shelters so that the access rules
are visible when one signs in as each."""

from django.db import transaction

from accounts.models import Organisation, Province, Role, User
from accounts.services import user_create

# username, organisation code, role, first name, last name, language
DEMO_USERS = [
    ("sw.chiangmai", "pso-50", Role.SOCIAL_WORKER, "สมศรี", "ใจดี", "th"),
    ("sw.bangkok", "pso-10", Role.SOCIAL_WORKER, "วิภา", "ทองคำ", "th"),
    ("sw.tak", "pso-63", Role.SOCIAL_WORKER, "ประเสริฐ", "แม่สอด", "th"),
    ("sup.chiangmai", "pso-50", Role.SUPERVISOR, "อรุณี", "ศรีสุข", "th"),
    ("dir.kredtrakarn", "shelter-kredtrakarn", Role.SHELTER_DIRECTOR, "มาลี", "รักษ์ดี", "th"),
    ("dir.pathumthani", "shelter-pathumthani", Role.SHELTER_DIRECTOR, "สมชาย", "มั่นคง", "th"),
    ("staff.kredtrakarn", "shelter-kredtrakarn", Role.SHELTER_STAFF, "จันทร์เพ็ญ", "สายใจ", "th"),
    ("central.reviewer", "central", Role.CENTRAL_REVIEWER, "ธนพร", "เที่ยงธรรม", "th"),
    ("sysadmin", "central", Role.SYSADMIN, "ผู้ดูแล", "ระบบ", "en"),
    ("pol.chiangmai", "partner-police-50", Role.PARTNER, "ประยุทธ์", "มีชัย", "th"),
    ("labour.chiangmai", "partner-labour-50", Role.PARTNER, "สุดา", "แรงงานดี", "th"),
    ("dpo", "central", Role.DATA_PROTECTION_OFFICER, "พิมพ์ชนก", "คุ้มครอง", "th"),
    # สสว.9, Chiang Mai: covers the upper north with Tak (accounts.reference_data).
    ("regional.north", "rso-9", Role.REGIONAL_OFFICER, "วรรณา", "ภาคเหนือ", "th"),
]

# Partner agencies of Chiang Mai's multidisciplinary team (issue 21): code, Thai and English
# names, agency type, province code.
DEMO_PARTNERS = [
    (
        "partner-police-50",
        "ตำรวจภูธรจังหวัดเชียงใหม่",
        "Chiang Mai Provincial Police",
        Organisation.Agency.POLICE,
        "50",
    ),
    (
        "partner-labour-50",
        "สำนักงานสวัสดิการและคุ้มครองแรงงานจังหวัดเชียงใหม่",
        "Chiang Mai Labour Protection and Welfare Office",
        Organisation.Agency.LABOUR,
        "50",
    ),
]


def seed_demo_partners() -> None:
    """The demo's partner agencies, unless they exist."""
    for code, name_th, name_en, agency, province in DEMO_PARTNERS:
        Organisation.objects.get_or_create(
            code=code,
            defaults={
                "name_th": name_th,
                "name_en": name_en,
                "kind": Organisation.Kind.PARTNER,
                "agency": agency,
                "province": Province.objects.get(code=province),
            },
        )


@transaction.atomic
def seed_demo_users(*, password: str) -> list[tuple[User, bool]]:
    """Create the demo accounts that do not exist yet; returns (user, created) pairs.

    Existing accounts are left as they are (their passwords too), so running it twice is safe.
    """
    seed_demo_partners()
    organisations = Organisation.objects.in_bulk(
        {code for _u, code, *_rest in DEMO_USERS}, field_name="code"
    )
    result = []
    for username, code, role, first_name, last_name, language in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = user_create(
                username=username,
                password=password,
                organisation=organisations[code],
                role=role,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@nrm.localhost",
                language=language,
            )
        result.append((user, created))
    return result
