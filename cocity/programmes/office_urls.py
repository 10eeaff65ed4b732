from django.urls import path

from cocity.programmes import office_views

app_name = "programmes_office"

urlpatterns = [
    path("", office_views.programme_list, name="list"),
    path("<int:pk>/", office_views.programme_detail, name="detail"),
]
