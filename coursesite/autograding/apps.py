from django.apps import AppConfig


class AutogradingConfig(AppConfig):
    name = "coursesite.autograding"
    label = "autograding"
    verbose_name = "Autograding"

    def ready(self):
        # The apps below call this one through their registries, never by importing it: the upload
        # service when a submission is stored or made the graded one, the grades about its scores.
        from coursesite.assignments import grading
        from coursesite.autograding import services
        from coursesite.autograding.source import AUTOGRADER
        from coursesite.grades import sources

        grading.register(grading.Grader(stored=services.submission_stored, made_active=services.autograder_score_sync))
        sources.register(AUTOGRADER)
