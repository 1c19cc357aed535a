from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "coursesite.courses"
    label = "courses"
    verbose_name = "Courses and syllabus"
