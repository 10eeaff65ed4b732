from django.urls import path

from cocity.pacts import office_views

app_name = "pacts_office"

urlpatterns = [
    path("pacts/", office_views.worklist, name="worklist"),
    path("pacts/<str:number>/", office_views.pact, name="pact"),
    path("opinions/", office_views.opinions, name="opinions"),
]
