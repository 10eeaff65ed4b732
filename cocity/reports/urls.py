from django.urls import path

from cocity.reports import files, views

app_name = "reports"

urlpatterns = [
    path("activity/", views.activity, name="activity"),
    path("activity/<int:pk>/photo/", files.activity_photo, name="activity_photo"),
    path("reports/<str:start>/", views.report, name="report"),
]
