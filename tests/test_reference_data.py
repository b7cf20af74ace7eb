"""A fresh database holds the provinces, organisations, shelters and deadline rules at once."""

import pytest

from accounts.models import Organisation, Province, Region
from shelters.models import Shelter
from sla.models import Clock, ClockPolicy

pytestmark = pytest.mark.django_db


def test_all_77_provinces_exist_with_their_official_codes():
    assert Province.objects.count() == 77
    codes = {p.code: p.name_en for p in Province.objects.all()}
    assert codes["10"] == "Bangkok"
    assert codes["12"] == "Nonthaburi"
    assert codes["13"] == "Pathum Thani"
    assert codes["50"] == "Chiang Mai"
    assert codes["63"] == "Tak"
    assert codes["96"] == "Narathiwat"
    assert all(len(code) == 2 and code.isdigit() for code in codes)


def test_every_province_has_a_thai_name_and_a_region():
    assert Province.objects.get(code="10").name_th == "กรุงเทพมหานคร"
    assert Province.objects.get(code="50").name_th == "เชียงใหม่"
    assert not Province.objects.filter(name_th="").exists()
    assert set(Province.objects.values_list("region", flat=True)) == set(Region.values)


def test_organisations_of_each_kind():
    kinds = Organisation.Kind
    assert Organisation.objects.filter(kind=kinds.CENTRAL).count() == 1
    assert Organisation.objects.filter(kind=kinds.PROVINCIAL_OFFICE).count() == 77
    assert Organisation.objects.filter(kind=kinds.REGIONAL_OFFICE).count() == 11
    assert Organisation.objects.filter(kind=kinds.SHELTER).count() == 6


def test_each_province_has_exactly_one_provincial_office_in_it():
    offices = Organisation.objects.filter(kind=Organisation.Kind.PROVINCIAL_OFFICE)
    assert sorted(offices.values_list("province__code", flat=True)) == sorted(
        Province.objects.values_list("code", flat=True)
    )
    tak = offices.get(province__code="63")
    assert tak.code == "pso-63"
    assert tak.name_th == "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดตาก"


def test_the_six_shelters_with_their_target_groups_and_beds():
    shelters = {s.organisation.code: s for s in Shelter.objects.select_related("organisation")}
    assert set(shelters) == {
        "shelter-kredtrakarn",
        "shelter-pathumthani",
        "shelter-songkhla",
        "shelter-narisawat",
        "shelter-songkwae",
        "shelter-srisurat",
    }
    kredtrakarn = shelters["shelter-kredtrakarn"]
    assert kredtrakarn.organisation.province.code == "12"
    assert kredtrakarn.target_group == "women_and_girls"
    assert shelters["shelter-pathumthani"].target_group == "men"
    for shelter in shelters.values():
        assert 40 <= sum(u.capacity for u in shelter.units.all()) <= 150


def test_every_deadline_clock_has_a_default_rule():
    assert set(ClockPolicy.objects.values_list("clock", flat=True)) == set(Clock.values)
    identification = ClockPolicy.objects.get(clock=Clock.IDENTIFICATION)
    assert (identification.due_after, identification.due_unit) == (24, "hours")
