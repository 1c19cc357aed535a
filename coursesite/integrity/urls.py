from django.urls import path

from coursesite.integrity import views

app_name = "integrity"
urlpatterns = [
    # The course's instructors and education associate handle cases; a student reads the decisions they were told.
    path("courses/<slug:slug>/integrity/cases/", views.case_list, name="case-list"),
    path("courses/<slug:slug>/integrity/cases/new/", views.case_open_page, name="case-open"),
    path("courses/<slug:slug>/integrity/cases/<int:case_id>/", views.case_detail, name="case-detail"),
    path("courses/<slug:slug>/integrity/cases/<int:case_id>/notes/", views.case_note, name="case-note"),
    path("courses/<slug:slug>/integrity/cases/<int:case_id>/decide/", views.case_decide_page, name="case-decide"),
    path("courses/<slug:slug>/integrity/cases/<int:case_id>/tell/", views.case_tell, name="case-tell"),
    path("courses/<slug:slug>/academic-integrity/", views.student_cases, name="student"),
]
