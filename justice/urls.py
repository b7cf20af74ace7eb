from django.urls import path

from . import views

app_name = "justice"
urlpatterns = [
    path("cases/<int:case_id>/", views.case_page, name="case"),
    path("cases/<int:case_id>/prosecutions/", views.record_prosecution, name="record_prosecution"),
    path("cases/<int:case_id>/claims/", views.file_claim, name="file_claim"),
    path("prosecutions/", views.prosecution_list, name="prosecutions"),
    path("prosecutions/export/", views.prosecution_export, name="prosecutions_export"),
    path("prosecutions/<int:prosecution_id>/", views.prosecution, name="prosecution"),
    path("prosecutions/<int:prosecution_id>/charge/", views.charge, name="charge"),
    path("prosecutions/<int:prosecution_id>/witness/", views.witness, name="witness"),
    path("prosecutions/<int:prosecution_id>/conclude/", views.conclude, name="conclude"),
    path("prosecutions/<int:prosecution_id>/drop/", views.drop, name="drop"),
    path(
        "prosecutions/<int:prosecution_id>/hearings/",
        views.schedule_hearing,
        name="schedule_hearing",
    ),
    path("hearings/<int:hearing_id>/held/", views.hearing_held, name="hearing_held"),
    path("hearings/<int:hearing_id>/postpone/", views.hearing_postpone, name="hearing_postpone"),
    path("hearings/<int:hearing_id>/cancel/", views.hearing_cancel, name="hearing_cancel"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/export/", views.claim_export, name="claims_export"),
    path("claims/<int:claim_id>/", views.claim, name="claim"),
    path("claims/<int:claim_id>/award/", views.claim_award, name="claim_award"),
    path("claims/<int:claim_id>/reject/", views.claim_reject, name="claim_reject"),
    path("claims/<int:claim_id>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("claims/<int:claim_id>/receive/", views.claim_receive, name="claim_receive"),
    path("claims/<int:claim_id>/unpaid/", views.claim_unpaid, name="claim_unpaid"),
]
