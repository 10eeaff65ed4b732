from django.urls import path

from cocity.pacts import office_views

app_name = "pacts_office"

urlpatterns = [
    path("pacts/", office_views.worklist, name="worklist"),
    path("pacts/<str:number>/", office_views.pact, name="pact"),
    # Each form and button of a pact's page has an address of its own.
    path("pacts/<str:number>/actions/<slug:action>/", office_views.transition, name="transition"),
    path(
        "pacts/<str:number>/opinions/new/",
        office_views.opinion_request,
        name="opinion_request",
    ),
    path(
        "pacts/<str:number>/observations/<int:pk>/hide/",
        office_views.observation_hide,
        name="observation_hide",
    ),
    path(
        "pacts/<str:number>/adhesions/<int:pk>/accept/",
        office_views.adhesion_decide,
        {"accept": True},
        name="adhesion_accept",
    ),
    path(
        "pacts/<str:number>/adhesions/<int:pk>/decline/",
        office_views.adhesion_decide,
        {"accept": False},
        name="adhesion_decline",
    ),
    path(
        "pacts/<str:number>/supports/<int:pk>/confirm/",
        office_views.support_decide,
        {"accept": True},
        name="support_confirm",
    ),
    path(
        "pacts/<str:number>/supports/<int:pk>/decline/",
        office_views.support_decide,
        {"accept": False},
        name="support_decline",
    ),
    path("pacts/<str:number>/renew/", office_views.renew, name="renew"),
    path("opinions/", office_views.opinions, name="opinions"),
]
