from django.urls import path

from cocity.reports import views

app_name = "reports_office"

urlpatterns = [
    path("reports/", views.office_reports, name="list"),
    path("reports/<int:pk>/review/", views.office_review, name="review"),
]
