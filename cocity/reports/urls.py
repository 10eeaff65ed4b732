from django.urls import path

from cocity.reports import views

app_name = "reports"

urlpatterns = [
    path("activity/", views.activity, name="activity"),
    path("reports/<str:start>/", views.report, name="report"),
]
