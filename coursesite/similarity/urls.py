from django.urls import path

from coursesite.similarity import views

app_name = "similarity"
urlpatterns = [
    # A coding assignment's comparisons, its pairs and its archive: the course's instructors and education associate.
    path("courses/<slug:slug>/assignments/<slug:key>/similarity/", views.similarity_assignment, name="assignment"),
    path("courses/<slug:slug>/assignments/<slug:key>/similarity/compare/", views.similarity_compare, name="compare"),
    path("courses/<slug:slug>/assignments/<slug:key>/similarity/pairs/<int:pair_id>/", views.similarity_pair,
         name="pair"),
    path("courses/<slug:slug>/assignments/<slug:key>/similarity/archive/", views.archive_upload,
         name="archive-upload"),
    path("courses/<slug:slug>/assignments/<slug:key>/similarity/archive/remove/", views.archive_remove,
         name="archive-remove"),
]
