from django.urls import path

from coursesite.reports import views

app_name = "reports"
urlpatterns = [
    path("courses/<slug:slug>/syllabus.pdf", views.syllabus_pdf, name="syllabus-pdf"),
    path("courses/<slug:slug>/grades/<int:member_id>/report.pdf", views.student_report_pdf, name="student-pdf"),
    path("courses/<slug:slug>/gradebook.pdf", views.gradesheet_pdf, name="gradesheet-pdf"),
]
