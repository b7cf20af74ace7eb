from django.contrib import admin

from .models import Shelter, ShelterUnit


class ShelterUnitInline(admin.TabularInline):
    model = ShelterUnit
    extra = 0


@admin.register(Shelter)
class ShelterAdmin(admin.ModelAdmin):
    list_display = ["organisation", "target_group"]
    list_select_related = ["organisation__province"]
    inlines = [ShelterUnitInline]
