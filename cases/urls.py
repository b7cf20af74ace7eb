from django.urls import include, path

from . import operation_urls
from .views import case_forms, case_sections, cases, lists, persons, records, screening

app_name = "cases"
urlpatterns = [
    path("", cases.home, name="home"),
    path("operations/", include(operation_urls)),
    path("register/", persons.register, name="register"),
    path("all/", lists.case_list, name="list"),
    path("all/export/", lists.case_export, name="export"),
    path("<int:case_id>/", cases.detail, name="detail"),
    path("<int:case_id>/summary/", cases.summary, name="summary"),
    path("<int:case_id>/forms/<slug:name>/", case_forms.case_form, name="case_form"),
    path("<int:case_id>/sections/<slug:section>/", case_sections.case_section, name="case_section"),
    path("<int:case_id>/reopen/", cases.reopen, name="reopen"),
    path("<int:case_id>/notes/", records.add_note, name="add_note"),
    path("<int:case_id>/documents/", records.add_document, name="add_document"),
    path("<int:case_id>/documents/<int:document_id>/", records.document, name="document"),
    path("<int:case_id>/consents/", records.add_consent, name="add_consent"),
    path("<int:case_id>/permits/", records.add_permit, name="add_permit"),
    path("<int:case_id>/access/", records.give_access, name="give_access"),
    path(
        "<int:case_id>/access/<int:grant_id>/revoke/", records.revoke_access, name="revoke_access"
    ),
    path("<int:case_id>/screenings/", cases.start_screening, name="start_screening"),
    path("persons/<int:person_id>/", persons.person_detail, name="person"),
    path("persons/<int:person_id>/merge/", persons.person_merge, name="person_merge"),
    path("screenings/<int:screening_id>/", screening.screening, name="screening"),
    path(
        "screenings/<int:screening_id>/members/",
        screening.screening_add_member,
        name="screening_add_member",
    ),
    path(
        "screenings/<int:screening_id>/indicators/",
        screening.screening_indicators,
        name="screening_indicators",
    ),
    path(
        "screenings/<int:screening_id>/interviews/",
        screening.screening_interview,
        name="screening_interview",
    ),
    path(
        "screenings/<int:screening_id>/extend/", screening.screening_extend, name="screening_extend"
    ),
    path(
        "screenings/<int:screening_id>/decide/", screening.screening_decide, name="screening_decide"
    ),
    path(
        "screenings/<int:screening_id>/second-review/",
        screening.screening_second_review,
        name="screening_second_review",
    ),
]
