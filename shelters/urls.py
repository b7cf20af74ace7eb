from django.urls import path

from . import views

app_name = "shelters"
urlpatterns = [
    path("mine/", views.home, name="home"),
    path("mine/coming/", views.coming, name="coming"),
    path("mine/residents/", views.resident_list, name="residents"),
    path("national/", views.national, name="national"),
    path("admit/<int:referral_id>/", views.admit, name="admit"),
    path("units/<int:unit_id>/capacity/", views.set_capacity, name="set_capacity"),
    path("placements/", views.placement_list, name="placements"),
    path("placements/export/", views.placement_export, name="placements_export"),
    path("placements/<int:placement_id>/", views.resident, name="resident"),
    path("placements/<int:placement_id>/care-plan/", views.add_care_plan_item, name="care_plan"),
    path(
        "placements/<int:placement_id>/care-plan/<int:item_id>/",
        views.update_care_plan_item,
        name="care_plan_item",
    ),
    path("placements/<int:placement_id>/movements/", views.add_movement, name="movement"),
    path(
        "placements/<int:placement_id>/movements/<int:movement_id>/end/",
        views.end_movement,
        name="movement_end",
    ),
    path("placements/<int:placement_id>/discharge/", views.discharge, name="discharge"),
    path("placements/<int:placement_id>/section/", views.move_section, name="move_section"),
    path("placements/<int:placement_id>/transfer/", views.transfer, name="transfer"),
]
