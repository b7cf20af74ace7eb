from django.urls import include, path

from . import operation_urls, views

app_name = "cases"
urlpatterns = [
    path("", views.home, name="home"),
    path("operations/", include(operation_urls)),
    path("register/", views.register, name="register"),
    path("all/", views.case_list, name="list"),
    path("all/export/", views.case_export, name="export"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/summary/", views.summary, name="summary"),
    path("<int:case_id>/close/", views.close, name="close"),
    path("<int:case_id>/reopen/", views.reopen, name="reopen"),
    path("<int:case_id>/notes/", views.add_note, name="add_note"),
    path("<int:case_id>/documents/", views.add_document, name="add_document"),
    path("<int:case_id>/documents/<int:document_id>/", views.document, name="document"),
    path("<int:case_id>/consents/", views.add_consent, name="add_consent"),
    path("<int:case_id>/permits/", views.add_permit, name="add_permit"),
    path("<int:case_id>/access/", views.give_access, name="give_access"),
    path("<int:case_id>/access/<int:grant_id>/revoke/", views.revoke_access, name="revoke_access"),
    path("<int:case_id>/screenings/", views.start_screening, name="start_screening"),
    path("persons/<int:person_id>/", views.person_detail, name="person"),
    path("screenings/<int:screening_id>/", views.screening, name="screening"),
    path(
        "screenings/<int:screening_id>/members/",
        views.screening_add_member,
        name="screening_add_member",
    ),
    path(
        "screenings/<int:screening_id>/indicators/",
        views.screening_indicators,
        name="screening_indicators",
    ),
    path(
        "screenings/<int:screening_id>/interviews/",
        views.screening_interview,
        name="screening_interview",
    ),
    path("screenings/<int:screening_id>/extend/", views.screening_extend, name="screening_extend"),
    path("screenings/<int:screening_id>/decide/", views.screening_decide, name="screening_decide"),
    path(
        "screenings/<int:screening_id>/second-review/",
        views.screening_second_review,
        name="screening_second_review",
    ),
]
