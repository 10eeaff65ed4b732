from django.urls import path

from cocity.pacts import documents, files, views

app_name = "pacts"

urlpatterns = [
    path("", views.registry, name="list"),
    path("new/", views.new, name="new"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("drafts/<int:pk>/<slug:step>/", views.draft_step, name="draft_step"),
    # Private files, sent after the permission check (docs/decisions/0011).
    path("documents/<int:pk>/", files.attachment, name="attachment"),
    path("signed-files/<int:pk>/", files.signed_file, name="signature_file"),
    path("<str:number>/", views.detail, name="detail"),
    # Each form of a page has an address of its own (cocity/core/formviews.py).
    path("<str:number>/observations/", views.observe, name="observe"),
    path("<str:number>/adhesions/", views.adhere, name="adhere"),
    path("<str:number>/actions/<slug:action>/", views.transition, name="transition"),
    path("<str:number>/workspace/", views.workspace, name="workspace"),
    path("<str:number>/workspace/meetings/", views.meeting_add, name="meeting_add"),
    path("<str:number>/workspace/commitments/", views.commitment_add, name="commitment_add"),
    path("<str:number>/workspace/supports/", views.support_add, name="support_add"),
    path("<str:number>/workspace/articles/<slug:key>/", views.clause_edit, name="clause_edit"),
    path("<str:number>/articles/<slug:key>/", views.clause_history, name="clause_history"),
    path("<str:number>/sign/<int:party>/", views.sign, name="sign"),
    path("<str:number>/pact.pdf", documents.pact_pdf, name="pdf"),
]
