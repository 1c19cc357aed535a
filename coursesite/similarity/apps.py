from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "coursesite.similarity"
    label = "similarity"
    verbose_name = "Code similarity"

    def ready(self):
        # Every worker's sweep loop also queues the comparison of each coding assignment once it closed.
        from coursesite.autograding.liveness import also_sweep
        from coursesite.similarity.services import similarity_runs_sweep

        also_sweep(similarity_runs_sweep)
        # The course's case list shows the coding assignments' pairs (integrity never imports this app).
        from coursesite.integrity.sections import register_case_list_section
        from coursesite.similarity.selectors import case_list_section

        register_case_list_section(case_list_section)
