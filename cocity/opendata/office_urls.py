from django.urls import path

from cocity.opendata import office_views

app_name = "opendata_office"

urlpatterns = [
    path("", office_views.upload, name="import"),
    path("<int:pk>/", office_views.preview, name="import_run"),
    path("<int:pk>/confirm/", office_views.confirm, name="import_confirm"),
    path("<int:pk>/resume/", office_views.resume, name="import_resume"),
]
