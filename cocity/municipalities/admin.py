from django.contrib import admin

from cocity.municipalities.models import District, Municipality


class DistrictInline(admin.TabularInline):
    model = District
    fields = ("number", "name", "slug")
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "istat_code", "province", "region")
    search_fields = ("name", "slug", "istat_code")
    inlines = [DistrictInline]
    exclude = ("boundary",)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "number", "municipality")
    list_filter = ("municipality",)
    exclude = ("boundary",)
