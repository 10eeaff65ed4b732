from django.urls import path

from cocity.municipalities import views

app_name = "municipalities"

urlpatterns = [
    path("", views.home, name="home"),
    path("rules/", views.rules, name="rules"),
]
