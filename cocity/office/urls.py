from django.urls import path

from cocity.office import views

app_name = "office"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("staff/", views.staff, name="staff"),
    path("regulation/", views.regulation, name="regulation"),
    path("regulation/articles/", views.articles, name="articles"),
    path("staff/<int:pk>/revoke/", views.staff_revoke, name="staff_revoke"),
    path("tokens/", views.tokens, name="tokens"),
]
