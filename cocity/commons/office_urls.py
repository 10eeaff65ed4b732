from django.urls import path

from cocity.commons import office_views

app_name = "commons_office"

urlpatterns = [
    path("", office_views.office_list, name="list"),
    path("new/", office_views.office_create, name="create"),
    path("<int:pk>/", office_views.office_edit, name="edit"),
    path(
        "<int:pk>/photos/<int:photo_pk>/delete/",
        office_views.office_photo_delete,
        name="photo_delete",
    ),
]
