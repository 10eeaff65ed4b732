from django.urls import path

from cocity.commons import views

app_name = "commons"

urlpatterns = [
    path("commons/", views.commons_list, name="list"),
    path("commons/<int:pk>-<slug:slug>/", views.commons_detail, name="detail"),
    path("hubs/", views.hub_list, name="hubs"),
]
