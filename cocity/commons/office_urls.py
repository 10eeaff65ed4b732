from django.urls import path

from cocity.commons import office_views

app_name = "commons_office"

urlpatterns = [
    path("", office_views.office_list, name="list"),
    path("new/", office_views.office_create, name="create"),
    path("<int:pk>/", office_views.office_edit, name="edit"),
    # The other forms of a commons' page, each at an address of its own.
    path("<int:pk>/photos/", office_views.office_photo_add, name="photo_add"),
    path("<int:pk>/documents/", office_views.office_document_add, name="document_add"),
    path("<int:pk>/hub/", office_views.office_hub, name="hub"),
    path(
        "<int:pk>/photos/<int:photo_pk>/delete/",
        office_views.office_photo_delete,
        name="photo_delete",
    ),
]
